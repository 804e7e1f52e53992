#include "text/TextLsa.h"

#include "sampling/SplitMix64.h"

#include <Eigen/Eigenvalues>
#include <Eigen/QR>
#include <Eigen/SparseCore>

#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>
#include <cmath>

namespace custody {

void TfIdfWeights::fit(const TextCorpus &reference, const TextVocabulary &vocabulary)
{
    m_df.assign(kTextBuckets, 0);
    m_documents = 0;
    std::vector<uint32_t> features, stamp(kTextBuckets, 0);
    uint32_t generation = 0;
    for (int64_t d = 0; d < reference.documents(); ++d) {
        if (!reference.present[size_t(d)])
            continue;
        ++m_documents;
        ++generation;
        features.clear();
        appendHashedFeatures(reference, vocabulary, d, &features);
        for (uint32_t f : features) {
            const uint32_t b = textBucket(f);
            if (stamp[b] != generation) {
                stamp[b] = generation;
                ++m_df[b];
            }
        }
    }
    m_idf.resize(kTextBuckets);
    for (uint32_t b = 0; b < kTextBuckets; ++b)
        m_idf[b] = float(std::log((1.0 + double(m_documents)) / (1.0 + double(m_df[b]))) + 1.0);
}

void TfIdfWeights::row(const TextCorpus &corpus, const TextVocabulary &vocabulary, int64_t document, Scratch *s,
                       std::vector<uint32_t> *buckets, std::vector<float> *values) const
{
    buckets->clear();
    values->clear();
    if (s->sum.empty()) {
        s->sum.assign(kTextBuckets, 0.0f);
        s->stamp.assign(kTextBuckets, 0);
    }
    if (++s->generation == 0) { // wrapped: start the stamps afresh
        std::fill(s->stamp.begin(), s->stamp.end(), 0);
        s->generation = 1;
    }
    s->features.clear();
    appendHashedFeatures(corpus, vocabulary, document, &s->features);
    for (uint32_t f : s->features) {
        const uint32_t b = textBucket(f);
        if (s->stamp[b] != s->generation) {
            s->stamp[b] = s->generation;
            s->sum[b] = 0.0f;
            buckets->push_back(b);
        }
        s->sum[b] += textSign(f);
    }
    double norm = 0;
    size_t kept = 0;
    for (uint32_t b : *buckets) {
        const float tf = s->sum[b];
        if (tf == 0.0f)
            continue; // opposite signs cancelled
        const float magnitude = std::fabs(tf);
        const float w = std::copysign(magnitude == 1.0f ? 1.0f : 1.0f + std::log(magnitude), tf) * m_idf[b]; // most terms occur once
        (*buckets)[kept++] = b;
        values->push_back(w);
        norm += double(w) * w;
    }
    buckets->resize(kept);
    if (norm > 0) {
        const float inv = float(1.0 / std::sqrt(norm));
        for (float &v : *values)
            v *= inv;
    }
}

namespace {

Eigen::MatrixXf orthonormal(const Eigen::MatrixXf &m)
{
    Eigen::HouseholderQR<Eigen::MatrixXf> qr(m);
    return qr.householderQ() * Eigen::MatrixXf::Identity(m.rows(), m.cols());
}

} // namespace

bool TextLsa::fit(const TextCorpus &reference, const TextVocabulary &vocabulary, const TfIdfWeights &weights,
                  const Options &options, const std::atomic_bool *cancel)
{
    *this = TextLsa();
    std::vector<int64_t> rows;
    for (int64_t d = 0; d < reference.documents(); ++d) {
        int count = 0;
        reference.tokensOf(d, &count);
        if (reference.present[size_t(d)] && count > 0)
            rows.push_back(d);
    }
    if (int64_t(rows.size()) > options.maxFitRows) {
        SplitMix64 rng(options.seed ^ 0x15a15a15ull);
        for (size_t i = 0; i < size_t(options.maxFitRows); ++i)
            std::swap(rows[i], rows[i + size_t(rng.below(rows.size() - i))]);
        rows.resize(size_t(options.maxFitRows));
        std::sort(rows.begin(), rows.end());
    }
    m_fittedRows = int64_t(rows.size());
    // The sample's TF-IDF rows, on the buckets it uses (in bucket order).
    TfIdfWeights::Scratch scratch;
    std::vector<uint32_t> buckets;
    std::vector<float> values;
    std::vector<Eigen::Triplet<float>> triplets;
    std::vector<uint8_t> used(kTextBuckets, 0);
    for (size_t i = 0; i < rows.size(); ++i) {
        if (cancel && cancel->load())
            return false;
        weights.row(reference, vocabulary, rows[i], &scratch, &buckets, &values);
        for (size_t j = 0; j < buckets.size(); ++j) {
            triplets.emplace_back(int(i), int(buckets[j]), values[j]);
            used[buckets[j]] = 1;
        }
    }
    m_rowOf.assign(kTextBuckets, -1);
    std::vector<uint32_t> columnBucket;
    for (uint32_t b = 0; b < kTextBuckets; ++b)
        if (used[b]) {
            m_rowOf[b] = int32_t(columnBucket.size());
            columnBucket.push_back(b);
        }
    for (auto &t : triplets)
        t = Eigen::Triplet<float>(t.row(), m_rowOf[size_t(t.col())], t.value());
    const int m = int(rows.size()), u = int(columnBucket.size());
    const int l = std::min({options.dimensions + options.oversampling, m, u});
    if (l <= 0)
        return true;
    Eigen::SparseMatrix<float, Eigen::RowMajor> a(m, u);
    a.setFromTriplets(triplets.begin(), triplets.end());
    triplets = {};
    // Gaussian test matrix, one row per bucket from a generator keyed by the bucket (Box-Muller).
    Eigen::MatrixXf omega(u, l);
    for (int j = 0; j < u; ++j) {
        SplitMix64 rng(options.seed * 0x9E3779B97F4A7C15ull ^ (uint64_t(columnBucket[size_t(j)]) << 20));
        for (int c = 0; c < l; c += 2) {
            const double u1 = (double(rng.next() >> 11) + 0.5) * 0x1.0p-53, u2 = double(rng.next() >> 11) * 0x1.0p-53;
            const double r = std::sqrt(-2.0 * std::log(u1)), t = 2.0 * M_PI * u2;
            omega(j, c) = float(r * std::cos(t));
            if (c + 1 < l)
                omega(j, c + 1) = float(r * std::sin(t));
        }
    }
    Eigen::MatrixXf y = a * omega;
    for (int q = 0; q < options.powerIterations; ++q) {
        if (cancel && cancel->load())
            return false;
        const Eigen::MatrixXf z = orthonormal(Eigen::MatrixXf(a.transpose() * orthonormal(y)));
        y = a * z;
    }
    const Eigen::MatrixXf qy = orthonormal(y);
    const Eigen::MatrixXf bt = a.transpose() * qy;            // u x l = (Q^T A)^T
    const Eigen::MatrixXf gram = bt.transpose() * bt;          // l x l = B B^T
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXf> eig(gram);
    const int k = std::min(options.dimensions, l);
    m_dimensions = k;
    m_singular.resize(k);
    m_basis.resize(u, k);
    double total = 0;
    for (int i = 0; i < a.outerSize(); ++i)
        for (Eigen::SparseMatrix<float, Eigen::RowMajor>::InnerIterator it(a, i); it; ++it)
            total += double(it.value()) * it.value();
    double kept = 0;
    for (int i = 0; i < k; ++i) {
        const int e = l - 1 - i; // eigenvalues ascend
        const double lambda = std::max(0.0, double(eig.eigenvalues()(e)));
        const double s = std::sqrt(lambda);
        m_singular(i) = float(s);
        kept += lambda;
        Eigen::VectorXf v = s > 0 ? Eigen::VectorXf(bt * eig.eigenvectors().col(e) / float(s)) : Eigen::VectorXf::Zero(u);
        Eigen::Index at = 0;
        v.cwiseAbs().maxCoeff(&at);
        if (v(at) < 0) // a fixed sign, so the same data give the same coordinates
            v = -v;
        m_basis.col(i) = v;
    }
    m_explained = total > 0 ? kept / total : 0;
    return true;
}

bool TextLsa::transform(const TextCorpus &corpus, const TextVocabulary &vocabulary, const TfIdfWeights &weights,
                        Eigen::MatrixXf *out, const std::atomic_bool *cancel) const
{
    const int64_t n = corpus.documents();
    const int k = m_dimensions;
    out->setZero(n, k);
    if (k == 0)
        return true;
    constexpr int64_t kBlock = 1024;
    std::vector<int64_t> firsts;
    for (int64_t f = 0; f < n; f += kBlock)
        firsts.push_back(f);
    QtConcurrent::blockingMap(firsts, [&](int64_t first) {
        if (cancel && cancel->load())
            return;
        TfIdfWeights::Scratch scratch;
        std::vector<uint32_t> buckets;
        std::vector<float> values;
        Eigen::RowVectorXf acc(k);
        for (int64_t d = first; d < std::min(n, first + kBlock); ++d) {
            if (!corpus.present[size_t(d)])
                continue;
            weights.row(corpus, vocabulary, d, &scratch, &buckets, &values);
            acc.setZero();
            for (size_t j = 0; j < buckets.size(); ++j) {
                const int32_t r = m_rowOf[buckets[j]];
                if (r >= 0)
                    acc.noalias() += values[j] * m_basis.row(r);
            }
            out->row(d) = acc;
        }
    });
    return !(cancel && cancel->load());
}

} // namespace custody
