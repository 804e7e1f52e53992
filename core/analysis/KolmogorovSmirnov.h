#pragma once

#include <cstdint>
#include <span>

namespace custody {

// The two-sample Kolmogorov-Smirnov test, two-sided, as SciPy 1.10's ks_2samp computes it:
// - D is the largest gap between the two empirical CDFs, evaluated at every value of the merged samples
//   (right-continuous ECDFs, so ties move both CDFs at once);
// - method Auto is exact when max(n1, n2) <= 10000, asymptotic beyond;
// - Exact: D is taken as h / lcm(n1, n2) with integer h, and P(D >= d) is the share of monotone lattice
//   paths from (0,0) to (n1,n2) that leave the band |i/n1 - j/n2| < d (Hodges 1958). We propagate the
//   probability of each inside point along anti-diagonals and add up the mass that leaves, so the p-value
//   is a sum of positive terms: no overflow, no cancellation, full relative precision for tiny p-values;
// - Asymptotic: P(D_en >= D) under the one-sample distribution with en = round(n1 n2 / (n1 + n2))
//   (KolmogorovDistribution::sf), which is SciPy's kstwo.sf(D, round(en)).
// Ties are not corrected for: with ties the test is conservative, as in SciPy.
class KolmogorovSmirnov
{
public:
    enum class Method { Auto, Exact, Asymptotic };
    static constexpr int64_t kExactLimit = 10000; // Auto: exact when max(n1, n2) <= this

    struct Result
    {
        double statistic = 0;
        double pValue = 1;
        bool exact = false;
        int64_t n1 = 0, n2 = 0;
    };

    // a and b sorted ascending, finite, non-empty.
    static Result test(std::span<const float> a, std::span<const float> b, Method method = Method::Auto);
    // The same from max |i n2 - j n1| (EcdfMerge), for callers that walked the samples already.
    static Result fromScaledStatistic(int64_t n1, int64_t n2, int64_t maxGap, Method method = Method::Auto);
    // D alone.
    static double statistic(std::span<const float> a, std::span<const float> b);
    // max over the merged values of |i n2 - j n1|, i.e. D * n1 * n2, as an exact integer.
    static int64_t scaledStatistic(std::span<const float> a, std::span<const float> b);

    // P(D >= h / lcm(n1, n2)) exactly, for h >= 0.
    static double exactPValue(int64_t n1, int64_t n2, int64_t h);
    static double asymptoticPValue(int64_t n1, int64_t n2, double d);
};

} // namespace custody
