#include "detection/TriggerPhrases.h"

#include "detection/ScanContext.h"

#include <QHash>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

namespace custody {

namespace {

constexpr int kMaxGram = 3;
constexpr int kMaxPhraseWords = 12;
constexpr int kMaxPhrasesPerColumn = 50;  // reported per column, strongest first
constexpr int kMaxAttemptsPerColumn = 500; // n-grams grown into phrases per column (topic words rejected count too)
constexpr double kExtendShare = 0.9;     // a neighbouring word joins the phrase when this share of its records has it
constexpr double kOtherContentShare = 0.5; // within-batch: records whose other words point elsewhere

double upperTail(double z)
{
    return 0.5 * std::erfc(z / std::sqrt(2.0));
}

// One-sided two-proportion z (x1/n1 above x2/n2) with Yates' continuity correction.
double twoProportionZ(double x1, double n1, double x2, double n2)
{
    if (n1 <= 0 || n2 <= 0)
        return 0;
    const double p1 = x1 / n1, p2 = x2 / n2, p = (x1 + x2) / (n1 + n2);
    const double se = std::sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
    const double diff = p1 - p2 - 0.5 * (1 / n1 + 1 / n2);
    return se > 0 ? diff / se : (diff > 0 ? 1e9 : 0);
}

// The distinct word 1-3-gram keys of one document.
void gramKeys(const ScanTextColumn &t, const TextCorpus &corpus, int64_t doc, std::vector<uint64_t> *keys)
{
    keys->clear();
    int count = 0;
    const uint32_t *ids = corpus.tokensOf(doc, &count);
    for (int n = 1; n <= kMaxGram; ++n)
        for (int i = 0; i + n <= count; ++i)
            keys->push_back(wordGramHash(*t.vocabulary, ids + i, n));
    std::sort(keys->begin(), keys->end());
    keys->erase(std::unique(keys->begin(), keys->end()), keys->end());
}

bool contains(const TextCorpus &corpus, int64_t doc, const std::vector<uint32_t> &phrase)
{
    int count = 0;
    const uint32_t *ids = corpus.tokensOf(doc, &count);
    return longestPhraseRun(ids, count, phrase) == int(phrase.size());
}

struct Gram
{
    int n = 0;
    int64_t doc = 0; // a candidate row carrying it, and where
    int pos = 0;
    int total = 0;   // candidate documents carrying it
};

struct Column
{
    const ScanContext &c;
    const ScanTextColumn &t;
    std::vector<int> classNew; // candidates with text, per class
    std::vector<Gram> grams;
    // (gram, class) -> candidate documents, only for the pairs that occur: a dense grams x classes table
    // would grow with the number of labels (a version labelled per record would need terabytes).
    std::unordered_map<uint64_t, int> perClass;
    int classCount(int gram, int label) const
    {
        const auto it = perClass.find(pairKey(gram, label));
        return it == perClass.end() ? 0 : it->second;
    }
    uint64_t pairKey(int gram, int label) const { return uint64_t(gram) * uint64_t(c.classes()) + uint64_t(label); }
    std::unordered_map<uint64_t, int> index;

    Column(const ScanContext &context, const ScanTextColumn &column) : c(context), t(column) { }

    void count()
    {
        const int k = c.classes();
        classNew.assign(size_t(k), 0);
        std::vector<uint64_t> keys;
        for (int row : c.candidates) {
            const int label = c.batchLabel[size_t(row)];
            if (label < 0 || !t.batch.present[size_t(row)])
                continue;
            ++classNew[size_t(label)];
            int tokens = 0;
            const uint32_t *ids = t.batch.tokensOf(row, &tokens);
            keys.clear();
            for (int n = 1; n <= kMaxGram; ++n)
                for (int i = 0; i + n <= tokens; ++i) {
                    const uint64_t key = wordGramHash(*t.vocabulary, ids + i, n);
                    auto [it, added] = index.try_emplace(key, int(grams.size()));
                    if (added)
                        grams.push_back(Gram{n, row, i, 0});
                    keys.push_back(key);
                }
            std::sort(keys.begin(), keys.end());
            keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
            for (uint64_t key : keys) {
                const int g = index[key];
                ++grams[size_t(g)].total;
                ++perClass[pairKey(g, label)];
            }
        }
    }

    std::vector<uint32_t> tokensOf(const Gram &g) const
    {
        int count = 0;
        const uint32_t *ids = t.batch.tokensOf(g.doc, &count);
        return std::vector<uint32_t>(ids + g.pos, ids + g.pos + g.n);
    }

    // Grows `phrase` left and right while one word sits beside it in >= 90% of the records carrying it.
    std::vector<uint32_t> extend(std::vector<uint32_t> phrase, const std::vector<int> &rows) const
    {
        if (rows.empty())
            return phrase;
        for (int side = 0; side < 2; ++side) {
            while (int(phrase.size()) < kMaxPhraseWords) {
                QHash<uint32_t, int> next;
                for (int row : rows) {
                    int count = 0;
                    const uint32_t *ids = t.batch.tokensOf(row, &count);
                    for (int i = 0; i + int(phrase.size()) <= count; ++i)
                        if (std::equal(phrase.begin(), phrase.end(), ids + i)) {
                            const int at = side == 0 ? i - 1 : i + int(phrase.size());
                            if (at >= 0 && at < count)
                                ++next[ids[at]];
                            break;
                        }
                }
                uint32_t best = 0;
                int bestCount = 0;
                for (auto it = next.constBegin(); it != next.constEnd(); ++it)
                    if (it.value() > bestCount || (it.value() == bestCount && it.key() < best)) {
                        best = it.key();
                        bestCount = it.value();
                    }
                if (bestCount == 0 || bestCount < int(std::ceil(kExtendShare * double(rows.size()))))
                    break;
                if (side == 0)
                    phrase.insert(phrase.begin(), best);
                else
                    phrase.push_back(best);
            }
        }
        return phrase;
    }

    // Share of `rows` whose LSA row is nearer (cosine) another class's centroid of the batch than `label`'s.
    mutable Eigen::MatrixXf centroid; // per class: the batch's mean LSA row, unit length

    double otherContentShare(const std::vector<int> &rows, int label) const
    {
        const int k = c.classes();
        if (centroid.rows() != k) {
            centroid = Eigen::MatrixXf::Zero(k, t.batchRep.cols());
            for (int r = 0; r < int(t.batchRep.rows()); ++r)
                if (c.batchLabel[size_t(r)] >= 0)
                    centroid.row(c.batchLabel[size_t(r)]) += t.batchRep.row(r);
            for (int j = 0; j < k; ++j)
                if (centroid.row(j).norm() > 0)
                    centroid.row(j).normalize();
        }
        int other = 0;
        for (int row : rows) {
            Eigen::Index best = 0;
            (centroid * t.batchRep.row(row).transpose()).maxCoeff(&best);
            other += int(best) != label ? 1 : 0;
        }
        return rows.empty() ? 0 : double(other) / double(rows.size());
    }

    static void describe(TriggerPhrase *p, double prior)
    {
        const QString quoted = QStringLiteral("'%1'").arg(p->phrase);
        const double otherShare = p->otherRecords ? 100.0 * p->otherSupport / p->otherRecords : 0.0;
        if (p->view == QLatin1String("baseline"))
            // One arg() call: a label or phrase holding "%6" must not be filled in by a later call (campaign 10).
            p->description = QStringLiteral("%1 new records of class '%2' contain %3 (%4 of %5 baseline records of that class; %6% of other classes)")
                                 .arg(formatCount(p->support), p->label, quoted, formatCount(p->baselineSupport),
                                      formatCount(p->baselineRecords), QString::number(otherShare, 'f', 1));
        else
            p->description = QStringLiteral("%1 records of class '%2' contain %3: %4% of the records that do, against %5% of all records; their other words point to other classes")
                                 .arg(formatCount(p->support), p->label, quoted, QString::number(100.0 * p->purity, 'f', 1),
                                      QString::number(100.0 * prior, 'f', 1));
    }

    QList<TriggerPhrase> find() const
    {
        QList<TriggerPhrase> found;
        const int k = c.classes();
        if (grams.empty() || k == 0)
            return found;
        const double tests = double(grams.size()) * double(k);
        const double pMax = c.options.phraseAlpha / tests;
        const TextCorpus &ref = t.reference(c);
        const std::vector<int> &refLabel = c.referenceLabel();
        std::vector<int> refClass(size_t(k), 0);
        for (int64_t d = 0; d < ref.documents(); ++d)
            if (refLabel[size_t(d)] >= 0 && ref.present[size_t(d)])
                ++refClass[size_t(refLabel[size_t(d)])];
        const int64_t refAll = std::accumulate(refClass.begin(), refClass.end(), int64_t(0));
        // Screen on support and purity, then count the survivors in the reference.
        struct Pair { int gram, label; };
        std::vector<Pair> screened;
        for (const auto &[key, x] : perClass) {
            const int g = int(key / uint64_t(k)), l = int(key % uint64_t(k));
            const int minSupport = std::max(c.options.phraseMinSupport, int(std::ceil(0.001 * classNew[size_t(l)])));
            if (x >= minSupport && double(x) >= c.options.phraseMinPurity * grams[size_t(g)].total)
                screened.push_back({g, l});
        }
        // The map's order is not the same on every platform: sort, so the same data give the same phrases.
        std::sort(screened.begin(), screened.end(), [](const Pair &a, const Pair &b) {
            return a.gram != b.gram ? a.gram < b.gram : a.label < b.label;
        });
        if (screened.empty())
            return found;
        std::unordered_map<uint64_t, int> wanted;
        for (const Pair &p : screened)
            wanted.emplace(wordGramHash(*t.vocabulary, tokensOf(grams[size_t(p.gram)]).data(), grams[size_t(p.gram)].n), p.gram);
        std::unordered_map<uint64_t, int> refCount; // (gram, class) -> reference documents, screened grams only
        std::vector<uint64_t> keys;
        for (int64_t d = 0; d < ref.documents(); ++d) {
            if (refLabel[size_t(d)] < 0 || !ref.present[size_t(d)])
                continue;
            gramKeys(t, ref, d, &keys);
            for (uint64_t key : keys)
                if (const auto it = wanted.find(key); it != wanted.end())
                    ++refCount[pairKey(it->second, refLabel[size_t(d)])];
        }
        struct Hit { int gram, label; double z; };
        std::vector<Hit> hits;
        for (const Pair &p : screened) {
            const double x = classCount(p.gram, p.label);
            double z = 0;
            if (c.hasBaseline()) {
                const auto ref = refCount.find(pairKey(p.gram, p.label));
                z = twoProportionZ(x, classNew[size_t(p.label)], ref == refCount.end() ? 0 : ref->second,
                                   refClass[size_t(p.label)]);
            } else {
                const double n = grams[size_t(p.gram)].total, prior = double(refClass[size_t(p.label)]) / double(std::max<int64_t>(1, refAll));
                z = prior > 0 && prior < 1 ? (x - n * prior) / std::sqrt(n * prior * (1 - prior)) : 0;
            }
            if (upperTail(z) <= pMax)
                hits.push_back({p.gram, p.label, z});
        }
        // Strongest first; each grows into its phrase, and the n-grams inside a phrase found already are done.
        std::sort(hits.begin(), hits.end(), [&](const Hit &a, const Hit &b) {
            const int sa = classCount(a.gram, a.label), sb = classCount(b.gram, b.label);
            if (sa != sb)
                return sa > sb;
            if (grams[size_t(a.gram)].n != grams[size_t(b.gram)].n)
                return grams[size_t(a.gram)].n > grams[size_t(b.gram)].n;
            return a.z != b.z ? a.z > b.z : a.gram < b.gram;
        });
        // Which candidates carry each significant n-gram (any class), from one pass: a phrase's carriers are
        // among its seed's, so growing and counting a phrase costs only its seed's records.
        std::unordered_map<uint64_t, std::vector<int>> postings;
        for (const Hit &h : hits)
            postings.emplace(wordGramHash(*t.vocabulary, tokensOf(grams[size_t(h.gram)]).data(), grams[size_t(h.gram)].n),
                             std::vector<int>());
        for (int row : c.candidates) {
            if (!t.batch.present[size_t(row)])
                continue;
            gramKeys(t, t.batch, row, &keys);
            for (uint64_t key : keys)
                if (const auto it = postings.find(key); it != postings.end())
                    it->second.push_back(row);
        }
        std::vector<std::pair<int, std::vector<uint32_t>>> phrases; // label, words: every phrase grown
        for (const Hit &h : hits) {
            if (c.cancelled() || int(found.size()) >= kMaxPhrasesPerColumn || int(phrases.size()) >= kMaxAttemptsPerColumn)
                break;
            const std::vector<uint32_t> seed = tokensOf(grams[size_t(h.gram)]);
            bool inside = false;
            for (const auto &[label, words] : phrases)
                inside = inside || (label == h.label && longestPhraseRun(words.data(), int(words.size()), seed) == int(seed.size()));
            if (inside)
                continue;
            const std::vector<int> &seedRows = postings[wordGramHash(*t.vocabulary, seed.data(), int(seed.size()))];
            std::vector<int> seedClassRows;
            for (int row : seedRows)
                if (c.batchLabel[size_t(row)] == h.label)
                    seedClassRows.push_back(row);
            const std::vector<uint32_t> phrase = extend(seed, seedClassRows);
            phrases.emplace_back(h.label, phrase);
            std::vector<int> rows; // the class's candidates carrying the whole phrase
            int carrying = 0;      // every candidate carrying it, any class
            for (int row : seedRows)
                if (contains(t.batch, row, phrase)) {
                    ++carrying;
                    if (c.batchLabel[size_t(row)] == h.label)
                        rows.push_back(row);
                }
            // Without a baseline, the content test that tells a trigger from a topic word comes first (cheap).
            if (!c.hasBaseline() && otherContentShare(rows, h.label) < kOtherContentShare)
                continue;
            TriggerPhrase p;
            p.column = t.name;
            p.label = c.labelName(h.label);
            for (uint32_t w : phrase)
                p.words << t.vocabulary->word(w);
            p.phrase = p.words.join(QLatin1Char(' '));
            p.view = c.hasBaseline() ? QStringLiteral("baseline") : QStringLiteral("within-batch");
            p.support = int(rows.size());
            p.classRecords = classNew[size_t(h.label)];
            p.purity = carrying ? double(p.support) / carrying : 0;
            for (int64_t d = 0; d < ref.documents(); ++d) {
                const int l = refLabel[size_t(d)];
                if (l < 0 || !ref.present[size_t(d)])
                    continue;
                const bool has = contains(ref, d, phrase);
                if (l == h.label) {
                    ++p.baselineRecords;
                    p.baselineSupport += has ? 1 : 0;
                } else {
                    ++p.otherRecords;
                    p.otherSupport += has ? 1 : 0;
                }
            }
            const double prior = double(refClass[size_t(h.label)]) / double(std::max<int64_t>(1, refAll));
            if (c.hasBaseline()) {
                p.z = twoProportionZ(p.support, p.classRecords, p.baselineSupport, p.baselineRecords);
            } else {
                // Z-defence on the whole phrase: the class's share of the records carrying it against the prior.
                p.baselineSupport = p.baselineRecords = 0;
                const double n = carrying;
                p.z = prior > 0 && prior < 1 ? (p.support - n * prior) / std::sqrt(n * prior * (1 - prior)) : 0;
            }
            p.pValue = upperTail(p.z);
            if (p.pValue > pMax || p.support < c.options.phraseMinSupport || p.purity < c.options.phraseMinPurity)
                continue;
            for (int row : rows)
                p.records << c.recordId(row);
            describe(&p, prior);
            found << p;
        }
        return found;
    }
};

} // namespace

int longestPhraseRun(const uint32_t *tokens, int count, const std::vector<uint32_t> &phrase)
{
    int best = 0;
    const int m = int(phrase.size());
    for (int i = 0; i < count && best < m; ++i)
        for (int j = 0; j < m; ++j) {
            int run = 0;
            while (i + run < count && j + run < m && tokens[i + run] == phrase[size_t(j + run)])
                ++run;
            best = std::max(best, run);
        }
    return best;
}

QList<TriggerPhrase> TriggerPhrases::find(const ScanContext &c)
{
    QList<TriggerPhrase> all;
    for (const ScanTextColumn &t : c.text) {
        Column column(c, t);
        column.count();
        all << column.find();
    }
    return all;
}

} // namespace custody
