#pragma once

#include <span>

namespace custody {

// The first Wasserstein (earth mover's) distance between two empirical distributions in one dimension:
// the area between their ECDFs, integral |F_a(x) - F_b(x)| dx, exactly as scipy.stats.wasserstein_distance
// computes it from unweighted samples.
//
// For drift we also report it normalised by the baseline's spread, so that one threshold fits every feature:
// W / sd(baseline), with the population standard deviation (ddof = 0). It is +inf when the baseline is
// constant and the batch is not, 0 when both are the same constant.
class Wasserstein
{
public:
    // a and b sorted ascending, finite, non-empty.
    static double distance(std::span<const float> a, std::span<const float> b);
    static double normalised(double distance, double baselineStdDev);
    static double standardDeviation(std::span<const float> values); // population (ddof = 0), NaN when empty
};

} // namespace custody
