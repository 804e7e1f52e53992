#include "analysis/Wasserstein.h"

#include "analysis/EcdfMerge.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace custody {

double Wasserstein::distance(std::span<const float> a, std::span<const float> b)
{
    if (a.empty() || b.empty())
        return NAN;
    return EcdfMerge::walk(a, b).area;
}

double Wasserstein::normalised(double distance, double baselineStdDev)
{
    if (std::isnan(distance) || std::isnan(baselineStdDev))
        return NAN;
    if (baselineStdDev > 0)
        return distance / baselineStdDev;
    return distance == 0 ? 0.0 : std::numeric_limits<double>::infinity();
}

double Wasserstein::standardDeviation(std::span<const float> values)
{
    if (values.empty())
        return NAN;
    // Two passes in double, with partial sums per block (pairwise-like rounding, vectorisable).
    const auto blockSum = [&](auto term) {
        double total = 0;
        for (size_t first = 0; first < values.size(); first += 4096) {
            double block = 0;
            const size_t last = std::min(values.size(), first + 4096);
            for (size_t i = first; i < last; ++i)
                block += term(double(values[i]));
            total += block;
        }
        return total;
    };
    const double mean = blockSum([](double v) { return v; }) / double(values.size());
    const double ss = blockSum([mean](double v) { return (v - mean) * (v - mean); });
    return std::sqrt(ss / double(values.size()));
}

} // namespace custody
