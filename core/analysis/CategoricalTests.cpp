#include "analysis/CategoricalTests.h"

#include <boost/math/special_functions/gamma.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

namespace custody {

double CategoricalTests::chiSquareSf(double statistic, double dof)
{
    if (std::isnan(statistic) || dof <= 0)
        return NAN;
    if (statistic <= 0)
        return 1.0;
    return boost::math::gamma_q(dof / 2, statistic / 2);
}

CategoricalTests::ChiSquare CategoricalTests::chiSquare(std::span<const int64_t> baseline, std::span<const int64_t> batch)
{
    ChiSquare r;
    std::vector<double> a, b;
    double na = 0, nb = 0;
    for (size_t k = 0; k < std::min(baseline.size(), batch.size()); ++k) {
        if (baseline[k] + batch[k] == 0)
            continue;
        a.push_back(double(baseline[k]));
        b.push_back(double(batch[k]));
        na += double(baseline[k]);
        nb += double(batch[k]);
    }
    if (na == 0 || nb == 0) {
        r.pValue = NAN;
        return r;
    }
    r.dof = int(a.size()) - 1;
    if (r.dof <= 0)
        return r;
    r.yates = r.dof == 1;
    const double total = na + nb;
    double x2 = 0;
    for (size_t k = 0; k < a.size(); ++k) {
        const double column = a[k] + b[k];
        for (const auto &[observed, rowTotal] : {std::pair{a[k], na}, std::pair{b[k], nb}}) {
            const double expected = rowTotal * column / total;
            double o = observed;
            if (r.yates) {
                const double diff = expected - o;
                o += std::copysign(std::min(0.5, std::fabs(diff)), diff) * (diff != 0 ? 1.0 : 0.0);
            }
            x2 += (o - expected) * (o - expected) / expected;
        }
    }
    r.statistic = x2;
    r.pValue = chiSquareSf(x2, r.dof);
    return r;
}

double CategoricalTests::jensenShannonDistance(std::span<const int64_t> baseline, std::span<const int64_t> batch)
{
    double na = 0, nb = 0;
    for (int64_t c : baseline)
        na += double(c);
    for (int64_t c : batch)
        nb += double(c);
    if (na == 0 || nb == 0 || baseline.size() != batch.size())
        return NAN;
    double left = 0, right = 0;
    for (size_t k = 0; k < baseline.size(); ++k) {
        const double p = double(baseline[k]) / na, q = double(batch[k]) / nb, m = (p + q) / 2;
        if (p > 0)
            left += p * std::log(p / m);
        if (q > 0)
            right += q * std::log(q / m);
    }
    const double divergence = (left + right) / std::numbers::ln2 / 2;
    return std::sqrt(std::max(0.0, divergence));
}

} // namespace custody
