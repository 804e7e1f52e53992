#include "analysis/PopulationStability.h"

#include <algorithm>
#include <cmath>

namespace custody {

std::vector<double> PopulationStability::quantileEdges(std::span<const float> sortedBaseline, int bins)
{
    std::vector<double> edges;
    const int64_t n = int64_t(sortedBaseline.size());
    if (n == 0 || bins < 2)
        return edges;
    for (int k = 1; k < bins; ++k) {
        const int64_t rank = (k * n + bins - 1) / bins; // ceil(k n / B), 1-based
        edges.push_back(double(sortedBaseline[size_t(std::max<int64_t>(rank, 1) - 1)]));
    }
    return edges;
}

std::vector<int64_t> PopulationStability::binCounts(std::span<const float> sorted, const std::vector<double> &edges)
{
    std::vector<int64_t> counts(edges.size() + 1, 0);
    int64_t below = 0;
    for (size_t k = 0; k < edges.size(); ++k) {
        const auto it = std::upper_bound(sorted.begin(), sorted.end(), edges[k],
                                         [](double e, float v) { return e < double(v); });
        const int64_t atOrBelow = int64_t(it - sorted.begin());
        counts[k] = atOrBelow - below;
        below = atOrBelow;
    }
    counts.back() = int64_t(sorted.size()) - below;
    return counts;
}

double PopulationStability::fromCounts(std::span<const int64_t> baseline, std::span<const int64_t> batch)
{
    int64_t na = 0, nb = 0;
    for (int64_t c : baseline)
        na += c;
    for (int64_t c : batch)
        nb += c;
    if (na == 0 || nb == 0 || baseline.size() != batch.size())
        return NAN;
    double psi = 0;
    for (size_t k = 0; k < baseline.size(); ++k) {
        const double p = std::max(double(baseline[k]) / double(na), kEpsilon);
        const double q = std::max(double(batch[k]) / double(nb), kEpsilon);
        psi += (q - p) * std::log(q / p);
    }
    return psi;
}

double PopulationStability::index(std::span<const float> sortedBaseline, std::span<const float> sortedBatch, int bins)
{
    if (sortedBaseline.empty() || sortedBatch.empty())
        return NAN;
    const std::vector<double> edges = quantileEdges(sortedBaseline, bins);
    const std::vector<int64_t> a = binCounts(sortedBaseline, edges), b = binCounts(sortedBatch, edges);
    return fromCounts(a, b);
}

} // namespace custody
