#include "analysis/FeatureDriftTests.h"

#include "analysis/CategoricalTests.h"
#include "analysis/EcdfMerge.h"
#include "analysis/KolmogorovSmirnov.h"
#include "analysis/PopulationStability.h"
#include "analysis/Wasserstein.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace custody {

namespace {

DriftTest numericTest(DriftTest requested)
{
    switch (requested) {
    case DriftTest::Wasserstein:
    case DriftTest::PopulationStability:
    case DriftTest::KolmogorovSmirnov: return requested;
    default: return DriftTest::KolmogorovSmirnov; // chi-square / JS make no sense on raw numbers
    }
}

bool isSmallIntegerRange(std::span<const float> a, std::span<const float> b, double lo, double hi, int bins)
{
    if (hi - lo + 1 > bins || lo != std::floor(lo))
        return false;
    const auto integral = [](float v) { return v == std::floor(v); };
    return std::all_of(a.begin(), a.end(), integral) && std::all_of(b.begin(), b.end(), integral);
}

std::vector<int64_t> countBins(std::span<const float> sorted, const std::vector<double> &edges)
{
    // Bin i is [e_i, e_{i+1}), the last one closed: count values below each inner edge.
    std::vector<int64_t> counts(edges.size() - 1, 0);
    int64_t below = 0;
    for (size_t i = 1; i + 1 < edges.size(); ++i) {
        const auto it = std::lower_bound(sorted.begin(), sorted.end(), edges[i], [](float v, double e) { return double(v) < e; });
        const int64_t b = int64_t(it - sorted.begin());
        counts[i - 1] = b - below;
        below = b;
    }
    counts.back() = int64_t(sorted.size()) - below;
    return counts;
}

} // namespace

DriftHistogram FeatureDriftTests::numericHistogram(std::span<const float> a, std::span<const float> b, int bins)
{
    DriftHistogram h;
    if (a.empty() && b.empty())
        return h;
    double lo = INFINITY, hi = -INFINITY;
    for (std::span<const float> s : {a, b}) {
        if (!s.empty()) {
            lo = std::min(lo, double(s.front()));
            hi = std::max(hi, double(s.back()));
        }
    }
    bins = std::max(bins, 1);
    if (lo == hi) {
        h.edges = {lo, hi};
    } else if (isSmallIntegerRange(a, b, lo, hi, bins)) {
        for (double e = lo - 0.5; e <= hi + 0.5; e += 1)
            h.edges.push_back(e); // one bin per integer value
    } else {
        for (int i = 0; i <= bins; ++i)
            h.edges.push_back(i == bins ? hi : lo + (hi - lo) * i / bins);
    }
    h.baseline = countBins(a, h.edges);
    h.batch = countBins(b, h.edges);
    markMovedBins(&h);
    return h;
}

void FeatureDriftTests::markMovedBins(DriftHistogram *h)
{
    const double na = std::max<double>(1, std::accumulate(h->baseline.begin(), h->baseline.end(), 0.0));
    const double nb = std::max<double>(1, std::accumulate(h->batch.begin(), h->batch.end(), 0.0));
    std::vector<std::pair<double, int>> moves;
    for (int i = 0; i < h->bins(); ++i) {
        const double d = std::fabs(double(h->batch[size_t(i)]) / nb - double(h->baseline[size_t(i)]) / na);
        if (d > 0)
            moves.push_back({d, i});
    }
    std::stable_sort(moves.begin(), moves.end(), [](const auto &x, const auto &y) { return x.first > y.first; });
    h->movedMost.clear();
    for (size_t i = 0; i < moves.size() && i < 3; ++i)
        h->movedMost.push_back(moves[i].second);
}

void FeatureDriftTests::numeric(std::span<const float> a, std::span<const float> b, DriftTest requested,
                                const DriftOptions &options, FeatureDrift *out)
{
    out->nBaseline = int64_t(a.size());
    out->nBatch = int64_t(b.size());
    out->histogram = numericHistogram(a, b, options.histogramBins);
    if (a.empty() || b.empty()) {
        out->note = a.empty() ? QStringLiteral("no values in the baseline") : QStringLiteral("no values in the batch");
        return;
    }
    out->test = numericTest(requested);
    out->tested = true;
    const EcdfMerge::Result merged = EcdfMerge::walk(a, b); // KS and Wasserstein in one pass
    const double d = double(merged.maxGap) / (double(a.size()) * double(b.size()));
    out->wasserstein = merged.area;
    out->wassersteinNormalised = Wasserstein::normalised(out->wasserstein, Wasserstein::standardDeviation(a));
    out->psi = PopulationStability::index(a, b, options.psiBins);
    switch (out->test) {
    case DriftTest::Wasserstein:
        out->statistic = out->wassersteinNormalised;
        out->drifted = out->statistic >= options.wassersteinThreshold;
        out->effect = d;
        break;
    case DriftTest::PopulationStability:
        out->statistic = out->psi;
        out->drifted = out->statistic >= options.psiThreshold;
        out->effect = d;
        break;
    default: {
        const auto ks = KolmogorovSmirnov::fromScaledStatistic(int64_t(a.size()), int64_t(b.size()), merged.maxGap, options.ksMethod);
        out->statistic = ks.statistic;
        out->pValue = ks.pValue;
        out->exact = ks.exact;
        out->effect = ks.statistic;
        break;
    }
    }
}

void FeatureDriftTests::numericCell(std::span<const float> a, std::span<const float> b, DriftTest requested,
                                    const DriftOptions &options, ClassDrift *out)
{
    out->nBaseline = int64_t(a.size());
    out->nBatch = int64_t(b.size());
    if (a.empty() || b.empty())
        return;
    out->test = numericTest(requested);
    switch (out->test) {
    case DriftTest::Wasserstein:
        out->statistic = Wasserstein::normalised(Wasserstein::distance(a, b), Wasserstein::standardDeviation(a));
        out->drifted = out->statistic >= options.wassersteinThreshold;
        out->effect = KolmogorovSmirnov::statistic(a, b);
        break;
    case DriftTest::PopulationStability:
        out->statistic = PopulationStability::index(a, b, options.psiBins);
        out->drifted = out->statistic >= options.psiThreshold;
        out->effect = KolmogorovSmirnov::statistic(a, b);
        break;
    default: {
        const auto ks = KolmogorovSmirnov::test(a, b, options.ksMethod);
        out->statistic = ks.statistic;
        out->pValue = ks.pValue;
        out->effect = ks.statistic;
        break;
    }
    }
}

DriftTest FeatureDriftTests::chooseCategorical(std::span<const int64_t> a, std::span<const int64_t> b, DriftTest requested)
{
    if (requested == DriftTest::ChiSquare || requested == DriftTest::JensenShannon || requested == DriftTest::PopulationStability)
        return requested;
    // Cochran's rule: the chi-square approximation needs at least 80% of expected counts >= 5.
    const double na = std::accumulate(a.begin(), a.end(), 0.0), nb = std::accumulate(b.begin(), b.end(), 0.0);
    int cells = 0, adequate = 0;
    for (size_t k = 0; k < a.size(); ++k) {
        const double column = double(a[k] + b[k]);
        if (column == 0)
            continue;
        for (double row : {na, nb}) {
            ++cells;
            adequate += row * column / (na + nb) >= 5 ? 1 : 0;
        }
    }
    return cells > 0 && adequate >= 0.8 * cells ? DriftTest::ChiSquare : DriftTest::JensenShannon;
}

void FeatureDriftTests::categorical(std::span<const int64_t> a, std::span<const int64_t> b, const QStringList &categories,
                                    DriftTest requested, const DriftOptions &options, FeatureDrift *out)
{
    out->nBaseline = std::accumulate(a.begin(), a.end(), int64_t(0));
    out->nBatch = std::accumulate(b.begin(), b.end(), int64_t(0));
    out->histogram.categories = categories;
    out->histogram.baseline.assign(a.begin(), a.end());
    out->histogram.batch.assign(b.begin(), b.end());
    markMovedBins(&out->histogram);
    if (out->nBaseline == 0 || out->nBatch == 0) {
        out->note = out->nBaseline == 0 ? QStringLiteral("no values in the baseline") : QStringLiteral("no values in the batch");
        return;
    }
    out->tested = true;
    out->test = chooseCategorical(a, b, requested);
    out->jensenShannon = CategoricalTests::jensenShannonDistance(a, b);
    out->psi = PopulationStability::fromCounts(a, b);
    out->effect = out->jensenShannon;
    switch (out->test) {
    case DriftTest::JensenShannon:
        out->statistic = out->jensenShannon;
        out->drifted = out->statistic >= options.jensenShannonThreshold;
        break;
    case DriftTest::PopulationStability:
        out->statistic = out->psi;
        out->drifted = out->statistic >= options.psiThreshold;
        break;
    default: {
        const auto chi = CategoricalTests::chiSquare(a, b);
        out->statistic = chi.statistic;
        out->pValue = chi.pValue;
        break;
    }
    }
}

void FeatureDriftTests::categoricalCell(std::span<const int64_t> a, std::span<const int64_t> b, DriftTest requested,
                                        const DriftOptions &options, ClassDrift *out)
{
    FeatureDrift f;
    categorical(a, b, QStringList(), requested, options, &f);
    out->nBaseline = f.nBaseline;
    out->nBatch = f.nBatch;
    out->test = f.test;
    out->statistic = f.statistic;
    out->pValue = f.pValue;
    out->effect = f.effect;
    out->drifted = f.drifted;
}

} // namespace custody
