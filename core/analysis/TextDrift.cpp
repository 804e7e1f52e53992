#include "analysis/TextDrift.h"

#include "analysis/DriftOptions.h"
#include "analysis/MultipleTesting.h"
#include "analysis/TextDomainClassifier.h"
#include "job/Cancel.h"
#include "sampling/DriftSample.h"
#include "text/TextCorpus.h"

#include <QHash>
#include <QJsonArray>
#include <QThread>
#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>
#include <array>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

namespace custody {

namespace {

constexpr int kMaxGram = 3;
constexpr int kFilterBits = 21;           // the hashed pre-count: 2^21 counters per sample
constexpr int kMovedReported = 20;
constexpr int kClassGramsReported = 5;    // per class
constexpr int kClassesReported = 50;      // the largest classes of the batch
constexpr int kRecordsPerGram = 5;

// Support a document frequency needs to be tested: an n-gram in fewer documents than this on both sides is
// too rare for a proportion test to say anything.
int64_t minimumSupport(int64_t documents)
{
    return std::max<int64_t>(5, (documents + 999) / 1000);
}

struct Hit
{
    uint64_t key;
    int32_t pos;
    int32_t n;
};

// The distinct word 1-3-grams of one document, each with its first position.
void documentGrams(const TextCorpus &corpus, const TextVocabulary &vocabulary, int64_t doc, std::vector<Hit> *hits)
{
    hits->clear();
    int count = 0;
    const uint32_t *ids = corpus.tokensOf(doc, &count);
    for (int n = 1; n <= kMaxGram; ++n)
        for (int i = 0; i + n <= count; ++i)
            hits->push_back(Hit{wordGramHash(vocabulary, ids + i, n), i, n});
    std::sort(hits->begin(), hits->end(), [](const Hit &a, const Hit &b) { return a.key != b.key ? a.key < b.key : a.pos < b.pos; });
    hits->erase(std::unique(hits->begin(), hits->end(), [](const Hit &a, const Hit &b) { return a.key == b.key; }), hits->end());
}

int chunkCount(int64_t documents)
{
    return int(std::clamp<int64_t>(documents / 2048, 1, std::max(1, QThread::idealThreadCount())));
}

// Runs f(chunk, first, last) over contiguous document ranges, one per thread (results are summed, so the split
// does not change them).
template<typename F>
bool overChunks(int64_t documents, const std::atomic_bool *cancel, F &&f)
{
    const int chunks = chunkCount(documents);
    std::vector<int> ids(static_cast<size_t>(chunks));
    for (int c = 0; c < chunks; ++c)
        ids[size_t(c)] = c;
    QtConcurrent::blockingMap(ids, [&](int c) {
        if (!isCancelled(cancel))
            f(c, documents * c / chunks, documents * (c + 1) / chunks);
    });
    return !isCancelled(cancel);
}

// Pass 1: how many documents carry each hashed bucket of n-grams (an upper bound of every n-gram's count).
std::vector<uint32_t> bucketCounts(const TextCorpus &corpus, const TextVocabulary &vocabulary, const std::atomic_bool *cancel)
{
    const int64_t docs = corpus.documents();
    std::vector<std::vector<uint32_t>> partial(size_t(chunkCount(docs)));
    overChunks(docs, cancel, [&](int c, int64_t first, int64_t last) {
        std::vector<uint32_t> &counts = partial[size_t(c)];
        counts.assign(size_t(1) << kFilterBits, 0);
        std::vector<Hit> hits;
        for (int64_t d = first; d < last; ++d) {
            documentGrams(corpus, vocabulary, d, &hits);
            for (const Hit &h : hits)
                ++counts[size_t(h.key & ((uint64_t(1) << kFilterBits) - 1))];
        }
    });
    // A chunk that a cancel kept from running has no counts: the caller checks the flag before using any.
    std::vector<uint32_t> total(size_t(1) << kFilterBits, 0);
    for (const std::vector<uint32_t> &counts : partial)
        for (size_t i = 0; i < counts.size(); ++i)
            total[i] += counts[i];
    return total;
}

struct PairKey
{
    uint64_t key;
    int32_t label; // unified label index; the last one is "no label"
    bool operator==(const PairKey &o) const { return key == o.key && label == o.label; }
};
struct PairHash
{
    size_t operator()(const PairKey &p) const { return size_t(p.key ^ (uint64_t(uint32_t(p.label)) * 0x9e3779b97f4a7c15ull)); }
};
struct Cell
{
    int64_t count = 0;
    int64_t doc = -1; // the first document carrying it, and where
    int32_t pos = 0, n = 0;
    int32_t firstCount = 0;
    std::array<int64_t, kRecordsPerGram> first{}; // the first documents carrying it, in order: the records shown

    void addDocument(int64_t d)
    {
        if (firstCount < kRecordsPerGram)
            first[size_t(firstCount++)] = d;
    }
    // Keeps the smallest documents of both (each list is in order).
    void mergeFirst(const Cell &o)
    {
        std::array<int64_t, 2 * kRecordsPerGram> all{};
        const auto end = std::merge(first.begin(), first.begin() + firstCount, o.first.begin(), o.first.begin() + o.firstCount, all.begin());
        firstCount = int32_t(std::min<ptrdiff_t>(end - all.begin(), kRecordsPerGram));
        std::copy(all.begin(), all.begin() + firstCount, first.begin());
    }
};
using PairCounts = std::unordered_map<PairKey, Cell, PairHash>;

// Pass 2: exact document counts per (n-gram, label) for the n-grams whose bucket may reach the support.
PairCounts exactCounts(const TextCorpus &corpus, const TextVocabulary &vocabulary, const std::vector<int32_t> &labels,
                       const std::function<bool(uint64_t)> &keep, const std::atomic_bool *cancel)
{
    const int64_t docs = corpus.documents();
    std::vector<PairCounts> partial(size_t(chunkCount(docs)));
    overChunks(docs, cancel, [&](int c, int64_t first, int64_t last) {
        PairCounts &counts = partial[size_t(c)];
        std::vector<Hit> hits;
        for (int64_t d = first; d < last; ++d) {
            if (!corpus.present[size_t(d)])
                continue;
            documentGrams(corpus, vocabulary, d, &hits);
            for (const Hit &h : hits) {
                if (!keep(h.key))
                    continue;
                Cell &cell = counts[PairKey{h.key, labels[size_t(d)]}];
                if (cell.count++ == 0) {
                    cell.doc = d;
                    cell.pos = h.pos;
                    cell.n = h.n;
                }
                cell.addDocument(d);
            }
        }
    });
    PairCounts total = std::move(partial[0]);
    for (size_t c = 1; c < partial.size(); ++c)
        for (const auto &[key, cell] : partial[c]) {
            Cell &t = total[key];
            if (t.count == 0 || cell.doc < t.doc) {
                t.doc = cell.doc;
                t.pos = cell.pos;
                t.n = cell.n;
            }
            t.count += cell.count;
            t.mergeFirst(cell);
        }
    return total;
}

// Two-sided two-proportion z of x2/n2 (batch) against x1/n1 (baseline), with Yates' continuity correction.
void test(TextGramShift *s, double x1, double n1, double x2, double n2)
{
    s->baselineDocuments = int64_t(x1);
    s->batchDocuments = int64_t(x2);
    s->baselineShare = n1 > 0 ? x1 / n1 : 0;
    s->batchShare = n2 > 0 ? x2 / n2 : 0;
    const double p = (x1 + x2) / (n1 + n2);
    const double se = std::sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
    const double diff = std::max(0.0, std::abs(s->batchShare - s->baselineShare) - 0.5 * (1 / n1 + 1 / n2));
    s->z = se > 0 ? std::copysign(diff / se, s->batchShare - s->baselineShare) : 0;
    s->pValue = std::erfc(std::abs(s->z) / std::sqrt(2.0));
}

struct Tested
{
    TextGramShift shift;
    uint64_t key = 0;
    int32_t label = -1;
};

bool byStrength(const Tested &a, const Tested &b)
{
    const double za = std::abs(a.shift.z), zb = std::abs(b.shift.z);
    return za != zb ? za > zb : a.shift.gram < b.shift.gram;
}

} // namespace

bool textColumnDrift(const QString &column, const TextVocabulary &vocabulary, const TextCorpus &baseline,
                     const TextCorpus &batch, const DriftSample &baselineSample, const DriftSample &batchSample,
                     const DriftOptions &options, TextColumnDrift *out, const std::atomic_bool *cancel)
{
    *out = TextColumnDrift();
    out->column = column;
    // One label index for both samples, by name; the last index stands for "no label".
    QStringList names = baselineSample.labelNames;
    for (const QString &name : batchSample.labelNames)
        if (!names.contains(name))
            names.append(name);
    const int32_t none = int32_t(names.size());
    const auto unify = [&](const DriftSample &s, const TextCorpus &corpus) {
        std::vector<int32_t> labels(size_t(corpus.documents()), none);
        for (int64_t d = 0; d < corpus.documents() && d < s.rows(); ++d)
            if (const int32_t l = s.labels[size_t(d)]; l >= 0)
                labels[size_t(d)] = int32_t(names.indexOf(s.labelNames[l]));
        return labels;
    };
    const std::vector<int32_t> labelsA = unify(baselineSample, baseline), labelsB = unify(batchSample, batch);
    std::vector<int64_t> docsA(size_t(none) + 1, 0), docsB(size_t(none) + 1, 0);
    int64_t nA = 0, nB = 0;
    for (int64_t d = 0; d < baseline.documents(); ++d)
        if (baseline.present[size_t(d)])
            ++docsA[size_t(labelsA[size_t(d)])], ++nA;
    for (int64_t d = 0; d < batch.documents(); ++d)
        if (batch.present[size_t(d)])
            ++docsB[size_t(labelsB[size_t(d)])], ++nB;
    if (nA < 2 || nB < 2)
        return !isCancelled(cancel);

    const int64_t supA = minimumSupport(nA), supB = minimumSupport(nB);
    const std::vector<uint32_t> bucketsA = bucketCounts(baseline, vocabulary, cancel);
    const std::vector<uint32_t> bucketsB = bucketCounts(batch, vocabulary, cancel);
    if (isCancelled(cancel))
        return false;
    // A bucket's count bounds each of its n-grams' counts: only the n-grams that may reach the support on one side
    // are counted exactly (the per-class table tests these too, so an n-gram rare overall is not tested per class).
    const auto keep = [&](uint64_t key) {
        const size_t b = size_t(key & ((uint64_t(1) << kFilterBits) - 1));
        return bucketsA[b] >= uint64_t(supA) || bucketsB[b] >= uint64_t(supB);
    };
    const PairCounts countsA = exactCounts(baseline, vocabulary, labelsA, keep, cancel);
    const PairCounts countsB = exactCounts(batch, vocabulary, labelsB, keep, cancel);
    if (isCancelled(cancel))
        return false;

    // Overall counts per n-gram, with the text of a witness.
    struct Gram
    {
        int64_t a = 0, b = 0;
        QString text;
    };
    std::unordered_map<uint64_t, Gram> grams;
    const auto add = [&](const PairCounts &counts, const TextCorpus &corpus, bool isBatch) {
        for (const auto &[pair, cell] : counts) {
            Gram &g = grams[pair.key];
            (isBatch ? g.b : g.a) += cell.count;
            if (g.text.isEmpty()) {
                int count = 0;
                const uint32_t *ids = corpus.tokensOf(cell.doc, &count);
                g.text = vocabulary.phrase(ids + cell.pos, cell.n);
            }
        }
    };
    add(countsA, baseline, false);
    add(countsB, batch, true);

    std::vector<Tested> overall;
    for (const auto &[key, g] : grams) {
        if (g.a < supA && g.b < supB)
            continue;
        Tested t;
        t.key = key;
        t.shift.gram = g.text;
        test(&t.shift, double(g.a), double(nA), double(g.b), double(nB));
        overall.push_back(std::move(t));
    }
    std::sort(overall.begin(), overall.end(), byStrength);
    std::vector<double> p;
    for (const Tested &t : overall)
        p.push_back(t.shift.pValue);
    const std::vector<double> adjusted = MultipleTesting::benjaminiHochberg(p);
    for (size_t i = 0; i < overall.size(); ++i) {
        overall[i].shift.pAdjusted = adjusted[i];
        overall[i].shift.drifted = adjusted[i] < options.alpha;
        out->driftedGrams += overall[i].shift.drifted ? 1 : 0;
    }
    out->testedGrams = int64_t(overall.size());
    overall.resize(std::min<size_t>(overall.size(), kMovedReported));

    // Per class present on both sides with enough documents: the (n-gram, class) pairs that reach the class's
    // support on one side.
    std::vector<Tested> perClass;
    if (options.classConditional) {
        std::vector<int32_t> classes;
        for (int32_t c = 0; c < none; ++c)
            if (docsA[size_t(c)] >= options.minClassSize && docsB[size_t(c)] >= options.minClassSize)
                classes.push_back(c);
        std::stable_sort(classes.begin(), classes.end(), [&](int32_t x, int32_t y) { return docsB[size_t(x)] > docsB[size_t(y)]; });
        classes.resize(std::min<size_t>(classes.size(), kClassesReported));
        const std::unordered_set<int32_t> wanted(classes.begin(), classes.end());
        std::unordered_set<PairKey, PairHash> seen;
        for (const PairCounts *counts : {&countsA, &countsB})
            for (const auto &[pair, cell] : *counts) {
                if (!wanted.count(pair.label) || !seen.insert(pair).second)
                    continue;
                const auto a = countsA.find(pair), b = countsB.find(pair);
                const int64_t xa = a == countsA.end() ? 0 : a->second.count, xb = b == countsB.end() ? 0 : b->second.count;
                const int64_t na = docsA[size_t(pair.label)], nb = docsB[size_t(pair.label)];
                const Gram &g = grams[pair.key];
                if ((g.a < supA && g.b < supB) || (xa < minimumSupport(na) && xb < minimumSupport(nb)))
                    continue;
                Tested t;
                t.key = pair.key;
                t.label = pair.label;
                t.shift.gram = g.text;
                t.shift.label = names[pair.label];
                test(&t.shift, double(xa), double(na), double(xb), double(nb));
                perClass.push_back(std::move(t));
            }
        std::sort(perClass.begin(), perClass.end(), [](const Tested &x, const Tested &y) {
            return x.shift.label != y.shift.label ? x.shift.label < y.shift.label : byStrength(x, y);
        });
        std::vector<double> cp;
        for (const Tested &t : perClass)
            cp.push_back(t.shift.pValue);
        const std::vector<double> cadj = MultipleTesting::benjaminiHochberg(cp);
        std::vector<Tested> kept;
        QHash<int32_t, int> taken;
        for (size_t i = 0; i < perClass.size(); ++i) {
            perClass[i].shift.pAdjusted = cadj[i];
            perClass[i].shift.drifted = cadj[i] < options.alpha;
            if (taken[perClass[i].label]++ < kClassGramsReported)
                kept.push_back(std::move(perClass[i]));
        }
        out->testedClassGrams = int64_t(perClass.size());
        perClass = std::move(kept);
        std::stable_sort(perClass.begin(), perClass.end(), [&](const Tested &x, const Tested &y) {
            const int32_t ix = int32_t(std::find(classes.begin(), classes.end(), x.label) - classes.begin());
            const int32_t iy = int32_t(std::find(classes.begin(), classes.end(), y.label) - classes.begin());
            return ix < iy;
        });
    }

    // The records behind each reported n-gram, from the first documents each count kept: the side where it is
    // more common, all labels overall or the row's own class.
    const auto recordsOf = [&](const Tested &t) {
        const bool batchSide = t.shift.z > 0;
        const PairCounts &counts = batchSide ? countsB : countsA;
        const DriftSample &sample = batchSide ? batchSample : baselineSample;
        Cell merged;
        for (int32_t l = t.label < 0 ? 0 : t.label; l <= (t.label < 0 ? none : t.label); ++l)
            if (const auto it = counts.find(PairKey{t.key, l}); it != counts.end())
                merged.mergeFirst(it->second);
        QStringList ids;
        for (int32_t i = 0; i < merged.firstCount; ++i)
            if (merged.first[size_t(i)] < sample.rows())
                ids << sample.ids[merged.first[size_t(i)]];
        return ids;
    };
    for (Tested &t : overall)
        t.shift.records = recordsOf(t);
    for (Tested &t : perClass)
        t.shift.records = recordsOf(t);
    for (Tested &t : overall)
        out->movedMost.push_back(std::move(t.shift));
    for (Tested &t : perClass)
        out->byClass.push_back(std::move(t.shift));

    out->domain = TextDomainClassifier::test(vocabulary, baseline, batch, options, cancel);
    return !isCancelled(cancel);
}

namespace {
QJsonValue finite(double v)
{
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue();
}

QJsonArray shiftsJson(const std::vector<TextGramShift> &shifts)
{
    QJsonArray out;
    for (const TextGramShift &s : shifts) {
        QJsonObject o{{QStringLiteral("ngram"), s.gram},
                      {QStringLiteral("baseline_documents"), qint64(s.baselineDocuments)},
                      {QStringLiteral("batch_documents"), qint64(s.batchDocuments)},
                      {QStringLiteral("baseline_share"), finite(s.baselineShare)},
                      {QStringLiteral("batch_share"), finite(s.batchShare)},
                      {QStringLiteral("z"), finite(s.z)},
                      {QStringLiteral("p_value"), finite(s.pValue)},
                      {QStringLiteral("p_adjusted"), finite(s.pAdjusted)},
                      {QStringLiteral("drifted"), s.drifted},
                      {QStringLiteral("records"), QJsonArray::fromStringList(s.records)}};
        if (!s.label.isEmpty())
            o.insert(QStringLiteral("label"), s.label);
        out.append(o);
    }
    return out;
}
} // namespace

QJsonObject TextColumnDrift::toJson(bool includeByClass) const
{
    QJsonObject o{{QStringLiteral("column"), column},
                  {QStringLiteral("ngrams_tested"), qint64(testedGrams)},
                  {QStringLiteral("ngrams_drifted"), qint64(driftedGrams)},
                  {QStringLiteral("moved_ngrams"), shiftsJson(movedMost)},
                  {QStringLiteral("domain_classifier"), domain.toJson()}};
    if (includeByClass) {
        o.insert(QStringLiteral("class_ngrams_tested"), qint64(testedClassGrams));
        o.insert(QStringLiteral("by_class"), shiftsJson(byClass));
    }
    return o;
}

} // namespace custody
