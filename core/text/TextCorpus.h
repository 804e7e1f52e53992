#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

#include <atomic>
#include <cstdint>
#include <vector>

namespace custody {

// Feature hashing of text (docs/detection.md, "Text"): every word 1-3-gram and every character 3-5-gram inside
// a word padded by one space on each side (scikit-learn's char_wb) maps to one of 2^18 buckets with a sign.
// A hashed feature is packed in 32 bits: the bucket in the low 18 bits, bit 31 set for a negative sign.
constexpr int kTextBucketBits = 18;
constexpr uint32_t kTextBuckets = 1u << kTextBucketBits;
constexpr uint32_t kTextNegative = 0x80000000u;
inline uint32_t textBucket(uint32_t packed) { return packed & (kTextBuckets - 1); }
inline float textSign(uint32_t packed) { return (packed & kTextNegative) ? -1.0f : 1.0f; }

// The words seen by one scan or drift run (shared by the baseline's and the batch's corpus so that a word has
// one id in both), each with its 64-bit hash and its hashed character n-grams, computed once per word.
class TextVocabulary
{
public:
    uint32_t add(const QString &word);
    int64_t find(const QString &word) const; // -1 when unknown
    uint32_t size() const { return uint32_t(m_words.size()); }
    const QString &word(uint32_t id) const { return m_words[id]; }
    uint64_t hash(uint32_t id) const { return m_hashes[id]; }
    const uint32_t *charGrams(uint32_t id, int *count) const;
    // The words of ids[0..n) joined by spaces.
    QString phrase(const uint32_t *ids, int n) const;

private:
    QHash<QString, uint32_t> m_index;
    QStringList m_words;
    std::vector<uint64_t> m_hashes;
    std::vector<uint32_t> m_gramOffsets{0}, m_grams;
};

// 64-bit hash of a word n-gram given its words' hashes (order matters; n is mixed in).
uint64_t wordGramHash(const TextVocabulary &vocabulary, const uint32_t *ids, int n);
uint32_t packTextFeature(uint64_t hash);

// One text column of one sample, normalised and tokenised (text/TextNormaliser.h). Missing values are empty
// documents with present = 0.
struct TextCorpus
{
    std::vector<uint32_t> tokens;   // word ids, all documents
    std::vector<int64_t> offsets{0}; // document d is tokens[offsets[d], offsets[d+1])
    std::vector<uint8_t> present;
    std::vector<int32_t> characters, letters; // of the normalised text, per document

    int64_t documents() const { return int64_t(present.size()); }
    const uint32_t *tokensOf(int64_t d, int *count) const
    {
        *count = int(offsets[size_t(d) + 1] - offsets[size_t(d)]);
        return tokens.data() + offsets[size_t(d)];
    }
    // Tokenises `texts` (null strings are missing) on both cores; false when cancelled.
    static bool build(const QStringList &texts, TextVocabulary *vocabulary, TextCorpus *corpus,
                      const std::atomic_bool *cancel = nullptr);
};

// Appends the hashed features of one document, with repeats: its word 1-3-grams, then each word's
// character grams.
void appendHashedFeatures(const TextCorpus &corpus, const TextVocabulary &vocabulary, int64_t document,
                          std::vector<uint32_t> *features);

} // namespace custody
