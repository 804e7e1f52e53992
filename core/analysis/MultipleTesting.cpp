#include "analysis/MultipleTesting.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace custody {

std::vector<double> MultipleTesting::benjaminiHochberg(const std::vector<double> &pValues)
{
    std::vector<double> adjusted(pValues.size(), NAN);
    std::vector<size_t> order;
    for (size_t i = 0; i < pValues.size(); ++i)
        if (!std::isnan(pValues[i]))
            order.push_back(i);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return pValues[a] < pValues[b]; });
    const double m = double(order.size());
    double running = 1.0;
    for (size_t r = order.size(); r-- > 0;) {
        running = std::min(running, pValues[order[r]] * m / double(r + 1));
        adjusted[order[r]] = std::clamp(running, 0.0, 1.0);
    }
    return adjusted;
}

} // namespace custody
