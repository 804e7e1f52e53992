#pragma once

#include "text/TextCorpus.h"

#include <Eigen/Core>

#include <atomic>
#include <cstdint>
#include <vector>

namespace custody {

// TF-IDF weights of the hashed features, from a reference corpus's document frequencies: a document's weight
// for a bucket is sign x (1 + ln |tf|) x idf, idf = ln((1 + N) / (1 + df)) + 1 (scikit-learn's smoothed
// idf), the row then scaled to unit length.
class TfIdfWeights
{
public:
    void fit(const TextCorpus &reference, const TextVocabulary &vocabulary);
    int64_t documents() const { return m_documents; }
    int32_t documentFrequency(uint32_t bucket) const { return m_df[bucket]; }
    float idf(uint32_t bucket) const { return m_idf[bucket]; }

    // One document's weighted row: buckets (in order of first appearance) and values. `scratch` is reused
    // between calls (one per thread).
    struct Scratch
    {
        std::vector<uint32_t> features;
        std::vector<float> sum;
        std::vector<uint32_t> stamp;
        uint32_t generation = 0;
    };
    void row(const TextCorpus &corpus, const TextVocabulary &vocabulary, int64_t document, Scratch *scratch,
             std::vector<uint32_t> *buckets, std::vector<float> *values) const;

private:
    int64_t m_documents = 0;
    std::vector<int32_t> m_df;
    std::vector<float> m_idf;
};

// Latent semantic analysis: a randomised truncated SVD (Halko, Martinsson and Tropp 2011) of the reference's
// TF-IDF rows, fitted on a seeded sample of at most maxFitRows documents, then every document of any corpus
// projected on the top right singular vectors. Deterministic for a seed: the random test matrix comes from
// SplitMix64 keyed by bucket, and each document's projection is computed alone (blocks run in parallel).
class TextLsa
{
public:
    struct Options
    {
        int dimensions = 64;
        int oversampling = 8;
        int powerIterations = 2;
        int maxFitRows = 8000;
        uint64_t seed = 1;
    };
    // False only when cancelled. A reference with no words gives zero dimensions.
    bool fit(const TextCorpus &reference, const TextVocabulary &vocabulary, const TfIdfWeights &weights,
             const Options &options, const std::atomic_bool *cancel = nullptr);
    int dimensions() const { return m_dimensions; }
    const Eigen::VectorXf &singularValues() const { return m_singular; }
    double explainedShare() const { return m_explained; } // of the fitted sample's squared Frobenius norm
    int64_t fittedRows() const { return m_fittedRows; }
    // out: documents x dimensions().
    bool transform(const TextCorpus &corpus, const TextVocabulary &vocabulary, const TfIdfWeights &weights,
                   Eigen::MatrixXf *out, const std::atomic_bool *cancel = nullptr) const;

private:
    using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    RowMajor m_basis;             // one row per bucket seen while fitting, dims columns
    std::vector<int32_t> m_rowOf; // per bucket: its row of m_basis, or -1
    Eigen::VectorXf m_singular;
    double m_explained = 0;
    int m_dimensions = 0;
    int64_t m_fittedRows = 0;
};

} // namespace custody
