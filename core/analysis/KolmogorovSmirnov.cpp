#include "analysis/KolmogorovSmirnov.h"

#include "analysis/EcdfMerge.h"
#include "analysis/KolmogorovDistribution.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace custody {

namespace {

int64_t floorDiv(int64_t a, int64_t b) // b > 0
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

} // namespace

double KolmogorovSmirnov::statistic(std::span<const float> a, std::span<const float> b)
{
    if (a.empty() || b.empty())
        return NAN;
    return double(scaledStatistic(a, b)) / (double(a.size()) * double(b.size()));
}

int64_t KolmogorovSmirnov::scaledStatistic(std::span<const float> a, std::span<const float> b)
{
    return EcdfMerge::walk(a, b).maxGap;
}

double KolmogorovSmirnov::exactPValue(int64_t n1, int64_t n2, int64_t h)
{
    if (h <= 0)
        return 1.0;
    const int64_t m = n1, n = n2, g = std::gcd(n1, n2);
    const int64_t hg = h * g; // inside the band: |i n - j m| < h g
    // prob[i + 1] holds P(reach (i, s - i) without having left the band) on the current anti-diagonal s.
    std::vector<double> prev(size_t(m) + 3, 0.0), cur(size_t(m) + 3, 0.0);
    prev[1] = 1.0;
    int64_t lo = 0, hi = 0; // the nonzero range of prev
    double escaped = 0;
    for (int64_t s = 1; s <= m + n; ++s) {
        const int64_t first = std::max(std::max<int64_t>(0, s - n), lo);
        const int64_t last = std::min(std::min(m, s), hi + 1);
        const double r = 1.0 / double(m + n - s + 1);
        // prev is zero outside [lo, hi] and cur is all zero, so the reads at first - 1 and last see zeros.
        // From (i-1, s-i) by an x step, probability (m-i+1)/(m+n-s+1); from (i, s-1-i) by a y step, (n-s+i+1)/(...).
        double *c = cur.data() + 1;
        const double *p = prev.data() + 1;
        for (int64_t i = first; i <= last; ++i)
            c[i] = r * (double(m - i + 1) * p[i - 1] + double(n - s + i + 1) * p[i]);
        // The band on this diagonal: |i (m+n) - s m| < h g. Mass that steps outside it has left for good.
        const int64_t bandLo = floorDiv(s * m - hg, m + n) + 1;
        const int64_t bandHi = floorDiv(s * m + hg - 1, m + n);
        const int64_t newLo = std::max(first, bandLo), newHi = std::min(last, bandHi);
        for (int64_t i = first; i <= last; ++i) {
            if (i < newLo || i > newHi) {
                escaped += c[i];
                c[i] = 0.0;
            }
        }
        if (newLo > newHi)
            return 1.0; // every path has left the band
        std::fill(prev.begin() + (lo + 1), prev.begin() + (hi + 2), 0.0);
        std::swap(prev, cur);
        lo = newLo;
        hi = newHi;
    }
    return std::clamp(escaped, 0.0, 1.0);
}

double KolmogorovSmirnov::asymptoticPValue(int64_t n1, int64_t n2, double d)
{
    const double a = double(std::max(n1, n2)), b = double(std::min(n1, n2));
    const double en = a * b / (a + b);
    const int64_t n = int64_t(std::nearbyint(en)); // round half to even, like NumPy
    return KolmogorovDistribution::sf(std::max<int64_t>(n, 1), d);
}

KolmogorovSmirnov::Result KolmogorovSmirnov::test(std::span<const float> a, std::span<const float> b, Method method)
{
    if (a.empty() || b.empty()) {
        Result r;
        r.n1 = int64_t(a.size());
        r.n2 = int64_t(b.size());
        r.pValue = NAN;
        return r;
    }
    return fromScaledStatistic(int64_t(a.size()), int64_t(b.size()), scaledStatistic(a, b), method);
}

KolmogorovSmirnov::Result KolmogorovSmirnov::fromScaledStatistic(int64_t n1, int64_t n2, int64_t maxGap, Method method)
{
    Result r;
    r.n1 = n1;
    r.n2 = n2;
    const bool exact = method == Method::Exact || (method == Method::Auto && std::max(n1, n2) <= kExactLimit);
    if (exact) {
        const int64_t g = std::gcd(n1, n2);
        const int64_t h = maxGap / g; // D * lcm, an integer
        const int64_t lcm = (n1 / g) * n2;
        r.statistic = double(h) / double(lcm);
        r.pValue = exactPValue(n1, n2, h);
        r.exact = true;
    } else {
        r.statistic = double(maxGap) / (double(n1) * double(n2));
        r.pValue = asymptoticPValue(n1, n2, r.statistic);
    }
    return r;
}

} // namespace custody
