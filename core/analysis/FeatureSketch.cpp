#include "analysis/FeatureSketch.h"

#include "analysis/CategoricalTests.h"
#include "analysis/KolmogorovSmirnov.h"
#include "analysis/PopulationStability.h"

#include <algorithm>
#include <cmath>

namespace custody {

FeatureSketch::FeatureSketch(Bins bins, uint64_t seed)
    : m_bins(bins), m_histogram(size_t(std::max(bins.count, 1)) + 2, 0), m_quantiles(QuantileSketch::kDefaultK, seed)
{
}

void FeatureSketch::add(float value)
{
    if (!std::isfinite(value)) {
        ++m_nonFinite;
        return;
    }
    const double v = value;
    ++m_count;
    const double delta = v - m_mean;
    m_mean += delta / double(m_count);
    m_m2 += delta * (v - m_mean);
    m_min = std::min(m_min, v);
    m_max = std::max(m_max, v);
    // Bin i is [lo + i w, lo + (i+1) w), the last one closed at hi; slot 0 underflow, last slot overflow.
    size_t slot;
    if (v < m_bins.lo)
        slot = 0;
    else if (v > m_bins.hi)
        slot = m_histogram.size() - 1;
    else
        slot = 1 + size_t(std::min(m_bins.count - 1, int((v - m_bins.lo) / (m_bins.hi - m_bins.lo) * m_bins.count)));
    ++m_histogram[slot];
    m_quantiles.add(value);
}

void FeatureSketch::add(std::span<const float> values)
{
    for (float v : values)
        add(v);
}

bool FeatureSketch::merge(const FeatureSketch &other)
{
    if (!(other.m_bins == m_bins))
        return false;
    if (other.m_count > 0) {
        const double n = double(m_count), m = double(other.m_count);
        const double delta = other.m_mean - m_mean;
        m_mean += delta * m / (n + m);
        m_m2 += other.m_m2 + delta * delta * n * m / (n + m);
        m_min = std::min(m_min, other.m_min);
        m_max = std::max(m_max, other.m_max);
    }
    m_count += other.m_count;
    m_missing += other.m_missing;
    m_nonFinite += other.m_nonFinite;
    for (size_t i = 0; i < m_histogram.size(); ++i)
        m_histogram[i] += other.m_histogram[i];
    m_quantiles.merge(other.m_quantiles);
    return true;
}

double FeatureSketch::standardDeviation() const
{
    return m_count > 0 ? std::sqrt(m_m2 / double(m_count)) : NAN;
}

FeatureSketch::Comparison FeatureSketch::compare(const FeatureSketch &a, const FeatureSketch &b, int psiBins)
{
    Comparison c;
    if (a.m_count == 0 || b.m_count == 0)
        return c;
    const QuantileSketch &qa = a.m_quantiles, &qb = b.m_quantiles;
    // D at every retained value of either sketch: where the sketched ECDFs step.
    double d = 0;
    for (const QuantileSketch *s : {&qa, &qb})
        for (const auto &[v, w] : s->weightedItems())
            d = std::max(d, std::fabs(qa.rank(v) / double(a.m_count) - qb.rank(v) / double(b.m_count)));
    c.ksStatistic = d;
    c.ksError = 2 * QuantileSketch::kRankError;
    c.ksPValue = KolmogorovSmirnov::asymptoticPValue(a.m_count, b.m_count, d);

    std::vector<int64_t> ca, cb;
    double belowA = 0, belowB = 0;
    for (int k = 1; k <= psiBins; ++k) {
        const double edge = k < psiBins ? qa.quantile(double(k) / psiBins) : INFINITY;
        const double ra = k < psiBins ? qa.rank(edge) : double(a.m_count), rb = k < psiBins ? qb.rank(edge) : double(b.m_count);
        ca.push_back(int64_t(std::llround(ra - belowA)));
        cb.push_back(int64_t(std::llround(rb - belowB)));
        belowA = ra;
        belowB = rb;
    }
    c.psi = PopulationStability::fromCounts(ca, cb);

    const int steps = 1000;
    double area = 0;
    for (int i = 0; i < steps; ++i) {
        const double u = (i + 0.5) / steps;
        area += std::fabs(qa.quantile(u) - qb.quantile(u));
    }
    c.wasserstein = area / steps;

    const auto chi = CategoricalTests::chiSquare(a.m_histogram, b.m_histogram);
    c.histogramChiSquare = chi.statistic;
    c.histogramPValue = chi.pValue;
    return c;
}

} // namespace custody
