#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace custody {

// Population stability index, sum over bins of (q - p) ln(q / p), where p and q are the baseline's and the
// batch's shares of each bin.
//
// Numeric features are binned on the baseline's quantiles: with B bins (10 by default) the inner edges are
// e_k = the inverted-CDF quantile k/B of the baseline, i.e. its ceil(k n / B)-th smallest value, and bin k
// holds e_k < x <= e_{k+1} (e_0 = -inf, e_B = +inf). With ties several edges coincide and some bins stay
// empty in both samples; such bins add nothing. An empty bin in only one sample would make the index infinite,
// so every share is floored at kEpsilon = 1e-4 before the sum. Categorical features use one bin per category.
class PopulationStability
{
public:
    static constexpr int kDefaultBins = 10;
    static constexpr double kEpsilon = 1e-4;

    // From sorted samples (finite, non-empty).
    static double index(std::span<const float> sortedBaseline, std::span<const float> sortedBatch,
                        int bins = kDefaultBins);
    // The B - 1 inner edges described above.
    static std::vector<double> quantileEdges(std::span<const float> sortedBaseline, int bins = kDefaultBins);
    // Counts of a sorted sample in the bins those edges make.
    static std::vector<int64_t> binCounts(std::span<const float> sorted, const std::vector<double> &edges);
    // From counts per bin (or per category), aligned.
    static double fromCounts(std::span<const int64_t> baseline, std::span<const int64_t> batch);
};

} // namespace custody
