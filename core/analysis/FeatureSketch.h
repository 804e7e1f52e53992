#pragma once

#include "analysis/QuantileSketch.h"

#include <cstdint>
#include <span>
#include <vector>

namespace custody {

// A per-feature summary that can be built per shard and merged, for drift at a scale where no machine holds
// a whole column (docs/drift.md, "Exact and approximate"):
// - counts (values, missing, non-finite), min, max, mean and sum of squared deviations (Chan et al.'s
//   pairwise update): merged exactly up to floating-point rounding;
// - a fixed-bin histogram over a range agreed up front by every shard (plus under- and overflow): merged
//   exactly, bin by bin;
// - a KLL quantile sketch (QuantileSketch): merged within its stated rank error.
class FeatureSketch
{
public:
    struct Bins
    {
        double lo = 0, hi = 1;
        int count = 32;
        bool operator==(const Bins &) const = default;
    };

    explicit FeatureSketch(Bins bins, uint64_t seed = 0x6b6c6c);

    void add(float value); // NaN and infinities are counted, not sketched
    void addMissing() { ++m_missing; }
    void add(std::span<const float> values);
    // False (and nothing changes) when the two were built on different bins.
    bool merge(const FeatureSketch &other);

    int64_t count() const { return m_count; }
    int64_t missing() const { return m_missing; }
    int64_t nonFinite() const { return m_nonFinite; }
    double min() const { return m_min; }
    double max() const { return m_max; }
    double mean() const { return m_mean; }
    double standardDeviation() const; // population
    const Bins &bins() const { return m_bins; }
    const std::vector<int64_t> &histogram() const { return m_histogram; } // underflow, bins..., overflow
    const QuantileSketch &quantiles() const { return m_quantiles; }

    // Approximate two-sample statistics from two sketches (the baseline first).
    struct Comparison
    {
        double ksStatistic = NAN; // within ksError of the exact D
        double ksError = NAN;     // kRankError of each sketch, added
        double ksPValue = NAN;    // asymptotic, from the approximate D
        double psi = NAN;         // on the baseline's sketched deciles
        double wasserstein = NAN; // integral of |Q_a(u) - Q_b(u)| over 1000 quantiles
        double histogramChiSquare = NAN, histogramPValue = NAN; // exact, on the agreed bins
    };
    static Comparison compare(const FeatureSketch &baseline, const FeatureSketch &batch, int psiBins = 10);

private:
    Bins m_bins;
    int64_t m_count = 0, m_missing = 0, m_nonFinite = 0;
    double m_min = INFINITY, m_max = -INFINITY, m_mean = 0, m_m2 = 0;
    std::vector<int64_t> m_histogram;
    QuantileSketch m_quantiles;
};

} // namespace custody
