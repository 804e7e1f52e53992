#include "text/TextCorpus.h"
#include "text/TextNormaliser.h"

#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>

namespace custody {

namespace {

constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ull, kFnvPrime = 0x100000001b3ull;

uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

uint64_t fnv(const QByteArray &bytes, uint64_t seed)
{
    uint64_t h = kFnvOffset ^ seed;
    for (char c : bytes) {
        h ^= uint8_t(c);
        h *= kFnvPrime;
    }
    return mix64(h);
}

// Seeds that keep the kinds of features apart: a word unigram and a character gram of the same bytes land in
// different buckets.
constexpr uint64_t kWordSeed = 0x776f7264ull, kCharSeed = 0x63686172ull;

} // namespace

uint32_t packTextFeature(uint64_t hash)
{
    return uint32_t(hash & (kTextBuckets - 1)) | ((hash >> 63) ? kTextNegative : 0u);
}

uint32_t TextVocabulary::add(const QString &word)
{
    const auto it = m_index.constFind(word);
    if (it != m_index.constEnd())
        return it.value();
    const uint32_t id = uint32_t(m_words.size());
    m_index.insert(word, id);
    m_words << word;
    m_hashes.push_back(fnv(word.toUtf8(), kWordSeed));
    // Character 3-5-grams of " word ", each hashed from its UTF-8 bytes with n mixed in.
    const QList<uint> cps = (QLatin1Char(' ') + word + QLatin1Char(' ')).toUcs4();
    for (int n = 3; n <= 5; ++n)
        for (qsizetype i = 0; i + n <= cps.size(); ++i) {
            const QByteArray gram = QString::fromUcs4(reinterpret_cast<const char32_t *>(cps.constData() + i), n).toUtf8();
            m_grams.push_back(packTextFeature(fnv(gram, kCharSeed + uint64_t(n))));
        }
    m_gramOffsets.push_back(uint32_t(m_grams.size()));
    return id;
}

int64_t TextVocabulary::find(const QString &word) const
{
    const auto it = m_index.constFind(word);
    return it == m_index.constEnd() ? -1 : int64_t(it.value());
}

const uint32_t *TextVocabulary::charGrams(uint32_t id, int *count) const
{
    *count = int(m_gramOffsets[id + 1] - m_gramOffsets[id]);
    return m_grams.data() + m_gramOffsets[id];
}

QString TextVocabulary::phrase(const uint32_t *ids, int n) const
{
    QStringList words;
    for (int i = 0; i < n; ++i)
        words << m_words[ids[i]];
    return words.join(QLatin1Char(' '));
}

uint64_t wordGramHash(const TextVocabulary &vocabulary, const uint32_t *ids, int n)
{
    uint64_t h = mix64(kWordSeed + uint64_t(n));
    for (int i = 0; i < n; ++i)
        h = mix64(h ^ vocabulary.hash(ids[i]));
    return h;
}

bool TextCorpus::build(const QStringList &texts, TextVocabulary *vocabulary, TextCorpus *corpus,
                       const std::atomic_bool *cancel)
{
    *corpus = TextCorpus();
    const qsizetype n = texts.size();
    constexpr qsizetype kBlock = 2048;
    struct Block
    {
        qsizetype first = 0, count = 0;
        std::vector<QStringList> words;
        std::vector<int32_t> characters, letters;
    };
    std::vector<Block> blocks;
    for (qsizetype first = 0; first < n; first += kBlock)
        blocks.push_back(Block{first, std::min(kBlock, n - first), {}, {}, {}});
    corpus->present.resize(size_t(n));
    corpus->characters.resize(size_t(n));
    corpus->letters.resize(size_t(n));
    // Normalising and splitting is per document, so the blocks run in parallel; ids are then given in
    // document order, so they are the same on any number of cores.
    QtConcurrent::blockingMap(blocks, [&](Block &b) {
        if (cancel && cancel->load())
            return;
        b.words.resize(size_t(b.count));
        for (qsizetype i = 0; i < b.count; ++i) {
            const QString &raw = texts[b.first + i];
            if (raw.isNull())
                continue;
            const QString norm = normaliseText(raw);
            b.words[size_t(i)] = wordTokens(norm);
            int32_t letters = 0, chars = 0;
            for (const char32_t c : norm.toUcs4()) {
                ++chars;
                letters += QChar::isLetter(c) ? 1 : 0;
            }
            corpus->characters[size_t(b.first + i)] = chars;
            corpus->letters[size_t(b.first + i)] = letters;
        }
    });
    if (cancel && cancel->load())
        return false;
    for (Block &b : blocks) {
        for (qsizetype i = 0; i < b.count; ++i) {
            corpus->present[size_t(b.first + i)] = texts[b.first + i].isNull() ? 0 : 1;
            for (const QString &w : b.words[size_t(i)])
                corpus->tokens.push_back(vocabulary->add(w));
            corpus->offsets.push_back(int64_t(corpus->tokens.size()));
        }
        b = Block();
    }
    return true;
}

void appendHashedFeatures(const TextCorpus &corpus, const TextVocabulary &vocabulary, int64_t document,
                          std::vector<uint32_t> *features)
{
    int count = 0;
    const uint32_t *ids = corpus.tokensOf(document, &count);
    for (int n = 1; n <= 3; ++n)
        for (int i = 0; i + n <= count; ++i)
            features->push_back(packTextFeature(wordGramHash(vocabulary, ids + i, n)));
    for (int i = 0; i < count; ++i) {
        int grams = 0;
        const uint32_t *g = vocabulary.charGrams(ids[i], &grams);
        features->insert(features->end(), g, g + grams);
    }
}

} // namespace custody
