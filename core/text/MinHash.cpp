#include "text/MinHash.h"

#include "sampling/SplitMix64.h"

#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>
#include <climits>

namespace custody {

namespace {

uint64_t mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

} // namespace

bool MinHashSignatures::compute(const TextCorpus &corpus, const TextVocabulary &vocabulary, uint64_t seed,
                                const std::atomic_bool *cancel)
{
    const int64_t n = corpus.documents();
    m_values.assign(size_t(n) * kPermutations, UINT32_MAX);
    m_has.assign(size_t(n), 0);
    uint64_t salts[kPermutations];
    SplitMix64 rng(seed ^ 0x6d696e68617368ull);
    for (uint64_t &s : salts)
        s = rng.next();
    constexpr int64_t kBlock = 1024;
    std::vector<int64_t> firsts;
    for (int64_t f = 0; f < n; f += kBlock)
        firsts.push_back(f);
    QtConcurrent::blockingMap(firsts, [&](int64_t first) {
        if (cancel && cancel->load())
            return;
        std::vector<uint64_t> shingles;
        for (int64_t d = first; d < std::min(n, first + kBlock); ++d) {
            int count = 0;
            const uint32_t *ids = corpus.tokensOf(d, &count);
            if (!corpus.present[size_t(d)] || count == 0)
                continue;
            shingles.clear();
            const int width = std::min(count, kShingleWords);
            for (int i = 0; i + width <= count; ++i)
                shingles.push_back(wordGramHash(vocabulary, ids + i, width));
            std::sort(shingles.begin(), shingles.end());
            shingles.erase(std::unique(shingles.begin(), shingles.end()), shingles.end());
            uint32_t *sig = m_values.data() + size_t(d) * kPermutations;
            for (uint64_t s : shingles)
                for (int p = 0; p < kPermutations; ++p)
                    sig[p] = std::min(sig[p], uint32_t(mix(s ^ salts[p]) >> 32));
            m_has[size_t(d)] = 1;
        }
    });
    return !(cancel && cancel->load());
}

double MinHashSignatures::similarity(const uint32_t *a, const uint32_t *b)
{
    int same = 0;
    for (int p = 0; p < kPermutations; ++p)
        same += a[p] == b[p] ? 1 : 0;
    return double(same) / kPermutations;
}

uint64_t MinHashIndex::bandKey(const uint32_t *signature, int band)
{
    uint64_t h = mix(uint64_t(band) + 0x62616e64ull);
    for (int r = 0; r < MinHashSignatures::kRows; ++r)
        h = mix(h ^ signature[band * MinHashSignatures::kRows + r]);
    return h;
}

void MinHashIndex::add(int id, const uint32_t *signature)
{
    for (int b = 0; b < MinHashSignatures::kBands; ++b)
        m_bands[b].emplace_back(bandKey(signature, b), id);
}

void MinHashIndex::finish()
{
    for (auto &band : m_bands)
        std::sort(band.begin(), band.end());
}

void MinHashIndex::candidates(const uint32_t *signature, std::vector<int> *out) const
{
    out->clear();
    for (int b = 0; b < MinHashSignatures::kBands; ++b) {
        const uint64_t key = bandKey(signature, b);
        auto it = std::lower_bound(m_bands[b].begin(), m_bands[b].end(), std::make_pair(key, INT_MIN));
        // A bucket shared by very many documents (boilerplate) contributes its first ones only, so one query
        // never costs a pass over the corpus; their exact copies are the content hash's to find.
        for (int taken = 0; it != m_bands[b].end() && it->first == key && taken < kMaxBucket; ++it, ++taken)
            out->push_back(it->second);
    }
    std::sort(out->begin(), out->end());
    out->erase(std::unique(out->begin(), out->end()), out->end());
}

} // namespace custody
