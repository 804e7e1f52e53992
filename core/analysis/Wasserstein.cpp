#include "analysis/Wasserstein.h"

#include <cmath>
#include <limits>

namespace custody {

double Wasserstein::distance(std::span<const float> a, std::span<const float> b)
{
    const size_t n1 = a.size(), n2 = b.size();
    if (n1 == 0 || n2 == 0)
        return NAN;
    size_t i = 0, j = 0;
    long double area = 0;
    // Between two consecutive distinct values of the merged samples both ECDFs are constant.
    double v = std::min(a[0], b[0]);
    while (i < n1 || j < n2) {
        while (i < n1 && !(v < double(a[i])))
            ++i;
        while (j < n2 && !(v < double(b[j])))
            ++j;
        if (i == n1 && j == n2)
            break;
        const double next = (i < n1 && j < n2) ? std::min(double(a[i]), double(b[j])) : (i < n1 ? double(a[i]) : double(b[j]));
        const double gap = std::fabs(double(i) / double(n1) - double(j) / double(n2));
        area += static_cast<long double>(gap * (next - v));
        v = next;
    }
    return static_cast<double>(area);
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
    long double sum = 0;
    for (float v : values)
        sum += v;
    const long double mean = sum / values.size();
    long double ss = 0;
    for (float v : values) {
        const long double d = v - mean;
        ss += d * d;
    }
    return static_cast<double>(std::sqrt(ss / values.size()));
}

} // namespace custody
