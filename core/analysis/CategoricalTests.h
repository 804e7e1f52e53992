#pragma once

#include <cstdint>
#include <span>

namespace custody {

// Tests on two samples of a categorical variable, given as aligned counts per category.
//
// Chi-square test of homogeneity on the 2 x k table (scipy.stats.chi2_contingency with its default
// correction=True): categories absent from both samples are dropped (their expected count would be zero);
// with one degree of freedom (a 2 x 2 table) Yates' continuity correction moves each observed count by
// min(0.5, |expected - observed|) towards its expected count; the p-value is the chi-square survival
// function Q(dof/2, X^2/2). With fewer than two categories left, X^2 = 0 and p = 1; an empty sample gives NaN.
//
// Jensen-Shannon: the distance of scipy.spatial.distance.jensenshannon(p, q, base=2), i.e. the square root
// of the JS divergence in bits, in [0, 1]. The divergence is its square.
class CategoricalTests
{
public:
    struct ChiSquare
    {
        double statistic = 0;
        double pValue = 1;
        int dof = 0;
        bool yates = false;
    };

    static ChiSquare chiSquare(std::span<const int64_t> baseline, std::span<const int64_t> batch);
    static double jensenShannonDistance(std::span<const int64_t> baseline, std::span<const int64_t> batch);
    // Survival function of the chi-square distribution.
    static double chiSquareSf(double statistic, double dof);
};

} // namespace custody
