#pragma once

#include <cstdint>

namespace custody {

// The exact finite-n distributions of the one-sample Kolmogorov-Smirnov statistics, used for the two-sample
// test's large-sample p-value (SciPy's convention: the two-sided D of two samples is referred to the
// one-sample distribution of D_n with n = round(n1 n2 / (n1 + n2))).
//
// sf(n, x) = P(D_n >= x) follows the method selection of Simard and L'Ecuyer (2011), "Computing the
// two-sided Kolmogorov-Smirnov distribution", J. Stat. Softw. 39(11), the same selection SciPy's kstwo makes:
// Ruben-Gambino closed forms near x = 1/n and x = 1; the Durbin matrix (Marsaglia, Tsang and Wang 2003) for
// small n x^2; twice the one-sided tail (Miller 1956) in the upper tail; the Pelz-Good (1976) expansion for
// large n. Where Simard and L'Ecuyer use Pomeranz's recursion (n <= 140) we use the Durbin matrix, which is
// also exact there.
class KolmogorovDistribution
{
public:
    // P(D_n >= x), two-sided, n >= 1.
    static double sf(int64_t n, double x);
    // P(D+_n >= x), one-sided, exactly (Birnbaum and Tingey 1951), summed in log space.
    static double smirnovSf(int64_t n, double x);

    // Exposed for tests: P(D_n < x) by the Durbin matrix (exact) and by the Pelz-Good expansion.
    static double durbinCdf(int64_t n, double x);
    static double pelzGoodCdf(int64_t n, double x);
};

} // namespace custody
