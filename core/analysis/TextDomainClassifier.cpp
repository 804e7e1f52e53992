#include "analysis/TextDomainClassifier.h"

#include "analysis/DriftOptions.h"
#include "job/Cancel.h"
#include "sampling/SplitMix64.h"
#include "text/TextCorpus.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

namespace custody {

namespace {

constexpr int kIterations = 300;
constexpr double kStep = 2.0;     // rows have unit length, so the loss's gradient is 0.25-Lipschitz per row
constexpr double kL2 = 1e-3;
constexpr int kMinWordDocuments = 3; // a separating word is carried by at least this many drawn documents

// A seeded draw of at most `limit` documents that have text, in document order.
std::vector<int64_t> draw(const TextCorpus &corpus, int64_t limit, uint64_t seed)
{
    std::vector<int64_t> docs;
    for (int64_t d = 0; d < corpus.documents(); ++d)
        if (corpus.present[size_t(d)])
            docs.push_back(d);
    if (int64_t(docs.size()) > limit) {
        SplitMix64 rng(seed);
        for (int64_t i = 0; i < limit; ++i)
            std::swap(docs[size_t(i)], docs[size_t(i + int64_t(rng.below(uint64_t(int64_t(docs.size()) - i))))]);
        docs.resize(size_t(limit));
        std::sort(docs.begin(), docs.end());
    }
    return docs;
}

struct SparseRows
{
    std::vector<int64_t> offsets{0};
    std::vector<int32_t> features;
    std::vector<float> values;
};

double sigmoid(double x)
{
    return x >= 0 ? 1 / (1 + std::exp(-x)) : std::exp(x) / (1 + std::exp(x));
}

// Weighted L2 logistic regression on the rows `train`, by full-batch gradient descent from zero.
std::vector<double> fit(const SparseRows &x, const std::vector<uint8_t> &y, const std::vector<int64_t> &train, int features)
{
    double positives = 0;
    for (int64_t r : train)
        positives += y[size_t(r)];
    const double negatives = double(train.size()) - positives;
    if (positives == 0 || negatives == 0)
        return std::vector<double>(size_t(features) + 1, 0.0);
    // Each class carries half the loss, whatever its size.
    const double wPos = 0.5 / positives, wNeg = 0.5 / negatives;
    std::vector<double> w(size_t(features) + 1, 0.0), g(size_t(features) + 1);
    for (int it = 0; it < kIterations; ++it) {
        std::fill(g.begin(), g.end(), 0.0);
        for (int64_t r : train) {
            double s = w.back();
            for (int64_t k = x.offsets[size_t(r)]; k < x.offsets[size_t(r) + 1]; ++k)
                s += w[size_t(x.features[size_t(k)])] * x.values[size_t(k)];
            const double residual = (sigmoid(s) - y[size_t(r)]) * (y[size_t(r)] ? wPos : wNeg);
            for (int64_t k = x.offsets[size_t(r)]; k < x.offsets[size_t(r) + 1]; ++k)
                g[size_t(x.features[size_t(k)])] += residual * x.values[size_t(k)];
            g.back() += residual;
        }
        for (size_t j = 0; j + 1 < w.size(); ++j)
            w[j] -= kStep * (g[j] + kL2 * w[j]);
        w.back() -= kStep * g.back();
    }
    return w;
}

double score(const SparseRows &x, const std::vector<double> &w, int64_t r)
{
    double s = w.back();
    for (int64_t k = x.offsets[size_t(r)]; k < x.offsets[size_t(r) + 1]; ++k)
        s += w[size_t(x.features[size_t(k)])] * x.values[size_t(k)];
    return s;
}

} // namespace

void TextDomainClassifier::aucAndPValue(const std::vector<double> &scores, const std::vector<uint8_t> &labels, double *auc,
                                        double *pValue)
{
    const size_t n = scores.size();
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), size_t(0));
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
    double rankSumPos = 0, ties = 0, n1 = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && scores[order[j]] == scores[order[i]])
            ++j;
        const double t = double(j - i), rank = (double(i + 1) + double(j)) / 2;
        ties += t * t * t - t;
        for (size_t k = i; k < j; ++k)
            if (labels[order[k]]) {
                rankSumPos += rank;
                ++n1;
            }
        i = j;
    }
    const double n2 = double(n) - n1;
    if (n1 == 0 || n2 == 0) {
        *auc = 0.5;
        *pValue = 1;
        return;
    }
    const double u = rankSumPos - n1 * (n1 + 1) / 2;
    *auc = u / (n1 * n2);
    const double N = n1 + n2;
    const double variance = n1 * n2 / 12 * ((N + 1) - ties / (N * (N - 1)));
    if (!(variance > 0)) {
        *pValue = 1;
        return;
    }
    const double z = (u - n1 * n2 / 2 - 0.5) / std::sqrt(variance); // continuity-corrected
    *pValue = 0.5 * std::erfc(z / std::sqrt(2.0));
}

TextDomainTest TextDomainClassifier::test(const TextVocabulary &vocabulary, const TextCorpus &baseline, const TextCorpus &batch,
                                          const DriftOptions &options, const std::atomic_bool *cancel)
{
    TextDomainTest t;
    const std::vector<int64_t> a = draw(baseline, kMaxPerSide, options.seed ^ 0x61), b = draw(batch, kMaxPerSide, options.seed ^ 0x62);
    t.baselineDocuments = int64_t(a.size());
    t.batchDocuments = int64_t(b.size());
    if (a.size() < 10 || b.size() < 10) {
        t.note = QStringLiteral("fewer than 10 texts on one side");
        return t;
    }
    // Rows: the baseline's draw, then the batch's. Word ids become feature indices in order of first use.
    std::vector<std::pair<const TextCorpus *, int64_t>> docs;
    for (int64_t d : a)
        docs.emplace_back(&baseline, d);
    for (int64_t d : b)
        docs.emplace_back(&batch, d);
    std::vector<uint8_t> y(docs.size(), 0);
    std::fill(y.begin() + ptrdiff_t(a.size()), y.end(), 1);
    std::unordered_map<uint32_t, int32_t> featureOf;
    std::vector<uint32_t> wordOf;
    std::vector<int32_t> df;
    SparseRows x;
    std::unordered_map<int32_t, int> tf;
    for (const auto &[corpus, d] : docs) {
        tf.clear();
        int count = 0;
        const uint32_t *ids = corpus->tokensOf(d, &count);
        for (int i = 0; i < count; ++i) {
            auto [it, added] = featureOf.try_emplace(ids[i], int32_t(wordOf.size()));
            if (added) {
                wordOf.push_back(ids[i]);
                df.push_back(0);
            }
            ++tf[it->second];
        }
        std::vector<std::pair<int32_t, int>> row(tf.begin(), tf.end());
        std::sort(row.begin(), row.end());
        for (const auto &[f, n] : row) {
            ++df[size_t(f)];
            x.features.push_back(f);
            x.values.push_back(float(1 + std::log(double(n))));
        }
        x.offsets.push_back(int64_t(x.features.size()));
    }
    if (isCancelled(cancel))
        return t;
    const double n = double(docs.size());
    for (size_t r = 0; r + 1 < x.offsets.size(); ++r) {
        double norm = 0;
        for (int64_t k = x.offsets[r]; k < x.offsets[r + 1]; ++k) {
            x.values[size_t(k)] *= float(std::log((1 + n) / (1 + df[size_t(x.features[size_t(k)])])) + 1);
            norm += double(x.values[size_t(k)]) * x.values[size_t(k)];
        }
        for (int64_t k = x.offsets[r]; k < x.offsets[r + 1] && norm > 0; ++k)
            x.values[size_t(k)] = float(x.values[size_t(k)] / std::sqrt(norm));
    }
    // Two seeded halves by content: a text and its copies fall in the same half (a batch that carries the
    // baseline's records would otherwise teach one half the opposite of what the other is scored on). Each half
    // is scored by the model fitted on the other.
    std::vector<int64_t> order(docs.size()), halves[2];
    std::iota(order.begin(), order.end(), int64_t(0));
    for (int64_t r : order) {
        int count = 0;
        const uint32_t *ids = docs[size_t(r)].first->tokensOf(docs[size_t(r)].second, &count);
        uint64_t h = options.seed ^ 0x646f6d61696eull; // "domain"
        for (int i = 0; i < count; ++i)
            h = SplitMix64(h ^ vocabulary.hash(ids[i])).next();
        halves[h & 1].push_back(r);
    }
    std::vector<double> scores(docs.size());
    const int features = int(wordOf.size());
    for (int h = 0; h < 2; ++h) {
        if (isCancelled(cancel))
            return t;
        const std::vector<double> w = fit(x, y, halves[1 - h], features);
        for (int64_t r : halves[h])
            scores[size_t(r)] = score(x, w, r);
    }
    aucAndPValue(scores, y, &t.auc, &t.pValue);
    t.drifted = t.pValue < options.alpha;
    t.computed = true;

    // The separating words: the largest weights of a model fitted on everything, among words in enough documents.
    if (isCancelled(cancel))
        return t;
    const std::vector<double> w = fit(x, y, order, features);
    std::vector<int32_t> candidates;
    for (int32_t f = 0; f < features; ++f)
        if (df[size_t(f)] >= kMinWordDocuments)
            candidates.push_back(f);
    const auto strongest = [&](bool positive) {
        std::vector<int32_t> c = candidates;
        std::sort(c.begin(), c.end(), [&](int32_t p, int32_t q) {
            const double wp = positive ? w[size_t(p)] : -w[size_t(p)], wq = positive ? w[size_t(q)] : -w[size_t(q)];
            return wp != wq ? wp > wq : vocabulary.word(wordOf[size_t(p)]) < vocabulary.word(wordOf[size_t(q)]);
        });
        QStringList words;
        for (int32_t f : c) {
            if (words.size() == kWordsReported || (positive ? w[size_t(f)] : -w[size_t(f)]) <= 0)
                break;
            words.append(vocabulary.word(wordOf[size_t(f)]));
        }
        return words;
    };
    t.batchWords = strongest(true);
    t.baselineWords = strongest(false);
    return t;
}

QJsonObject TextDomainTest::toJson() const
{
    QJsonObject o{{QStringLiteral("computed"), computed},
                  {QStringLiteral("baseline_documents"), qint64(baselineDocuments)},
                  {QStringLiteral("batch_documents"), qint64(batchDocuments)}};
    if (!computed) {
        o.insert(QStringLiteral("note"), note);
        return o;
    }
    o.insert(QStringLiteral("auc"), auc);
    o.insert(QStringLiteral("p_value"), pValue);
    o.insert(QStringLiteral("drifted"), drifted);
    o.insert(QStringLiteral("batch_words"), QJsonArray::fromStringList(batchWords));
    o.insert(QStringLiteral("baseline_words"), QJsonArray::fromStringList(baselineWords));
    return o;
}

} // namespace custody
