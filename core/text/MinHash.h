#pragma once

#include "text/TextCorpus.h"

#include <atomic>
#include <cstdint>
#include <utility>
#include <vector>

namespace custody {

// MinHash signatures of documents over their 5-word shingles (a document of fewer words is one shingle of all
// of them), 128 seeded hash functions, and an LSH index of 32 bands of 4 rows (docs/detection.md, "Near
// duplicates"): a pair of Jaccard similarity s shares a band with probability 1 - (1 - s^4)^32, so a pair at
// 0.8 is missed with probability 4.7e-8, and one at 0.3 becomes a candidate 23% of the time (its estimate then
// rejects it).
class MinHashSignatures
{
public:
    static constexpr int kPermutations = 128;
    static constexpr int kBands = 32;
    static constexpr int kRows = 4;
    static constexpr int kShingleWords = 5;

    // False only when cancelled.
    bool compute(const TextCorpus &corpus, const TextVocabulary &vocabulary, uint64_t seed,
                 const std::atomic_bool *cancel = nullptr);
    int64_t documents() const { return int64_t(m_has.size()); }
    bool has(int64_t document) const { return m_has[size_t(document)] != 0; } // present, with at least one word
    const uint32_t *of(int64_t document) const { return m_values.data() + size_t(document) * kPermutations; }
    // The share of the 128 minima two signatures have in common: an unbiased estimate of the Jaccard similarity.
    static double similarity(const uint32_t *a, const uint32_t *b);

private:
    std::vector<uint32_t> m_values;
    std::vector<uint8_t> m_has;
};

// Band buckets of a set of signatures: add() them all, finish(), then candidates() lists the documents
// sharing at least one band with a query. Each band is one sorted array of (key, id), so building costs no
// allocation per bucket.
class MinHashIndex
{
public:
    static constexpr int kMaxBucket = 64; // documents a query takes from one band's bucket

    void add(int id, const uint32_t *signature);
    void finish();
    void candidates(const uint32_t *signature, std::vector<int> *out) const; // ascending, without repeats

private:
    static uint64_t bandKey(const uint32_t *signature, int band);
    std::vector<std::pair<uint64_t, int>> m_bands[MinHashSignatures::kBands];
};

} // namespace custody
