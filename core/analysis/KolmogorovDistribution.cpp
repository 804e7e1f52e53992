#include "analysis/KolmogorovDistribution.h"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

namespace custody {

namespace {

constexpr double kPi = std::numbers::pi;

double clip01(double p)
{
    return std::clamp(p, 0.0, 1.0);
}

// log(n! / n^n), in long double: for n = 1e6 the terms are ~1e7, so double would lose five digits.
long double logFactorialOverPower(int64_t n)
{
    return std::lgamma(static_cast<long double>(n) + 1.0L) - static_cast<long double>(n) * std::log(static_cast<long double>(n));
}

} // namespace

double KolmogorovDistribution::smirnovSf(int64_t n, double x)
{
    if (x <= 0)
        return 1.0;
    if (x >= 1)
        return 0.0;
    const int64_t last = static_cast<int64_t>(std::floor(static_cast<double>(n) * (1.0 - x)));
    const double dn = static_cast<double>(n);
    std::vector<double> logTerms;
    logTerms.reserve(size_t(last) + 1);
    double maxLog = -INFINITY;
    // log C(n, j) by accumulation with compensated (Kahan) summation: one log per term instead of three
    // lgamma calls; what is left is the rounding of each log, ~1e-12 after a million terms.
    double logChoose = 0, compensation = 0;
    for (int64_t j = 0; j <= last; ++j) {
        if (j > 0) {
            const double step = std::log(static_cast<double>(n - j + 1) / static_cast<double>(j)) - compensation;
            const double sum = logChoose + step;
            compensation = (sum - logChoose) - step;
            logChoose = sum;
        }
        const double a = x + static_cast<double>(j) / dn;
        const double b = (static_cast<double>(n - j) - dn * x) / dn; // 1 - a without the cancellation
        if (b <= 0 && n - j > 0)
            continue; // the term is 0^(n-j)
        const double t = logChoose + static_cast<double>(j - 1) * std::log(a)
            + (n - j > 0 ? static_cast<double>(n - j) * std::log(b) : 0.0);
        logTerms.push_back(t);
        maxLog = std::max(maxLog, t);
    }
    if (logTerms.empty())
        return 0.0;
    double sum = 0;
    for (double t : logTerms)
        sum += std::exp(t - maxLog);
    return clip01(x * std::exp(maxLog) * sum);
}

double KolmogorovDistribution::durbinCdf(int64_t n, double x)
{
    if (x <= 0)
        return 0.0;
    if (x >= 1)
        return 1.0;
    const double nd = static_cast<double>(n) * x;
    const int k = static_cast<int>(std::floor(nd)) + 1;
    const int m = 2 * k - 1;
    const double h = k - nd;
    Eigen::MatrixXd H = Eigen::MatrixXd::Zero(m, m);
    std::vector<double> invFactorial(size_t(m) + 1);
    invFactorial[0] = 1;
    for (int i = 1; i <= m; ++i)
        invFactorial[size_t(i)] = invFactorial[size_t(i - 1)] / i;
    for (int i = 0; i < m; ++i)
        for (int j = 0; j < m; ++j)
            if (i - j + 1 >= 0)
                H(i, j) = invFactorial[size_t(i - j + 1)];
    for (int i = 0; i < m; ++i) {
        H(i, 0) -= std::pow(h, i + 1) * invFactorial[size_t(i + 1)];
        H(m - 1, i) -= std::pow(h, m - i) * invFactorial[size_t(m - i)];
    }
    if (2 * h - 1 > 0)
        H(m - 1, 0) += std::pow(2 * h - 1, m) * invFactorial[size_t(m)];

    // H^n by squaring, keeping the scale in a separate power-of-two exponent so nothing overflows.
    Eigen::MatrixXd result = Eigen::MatrixXd::Identity(m, m);
    int64_t resultExp = 0, baseExp = 0;
    Eigen::MatrixXd base = H;
    const auto rescale = [](Eigen::MatrixXd &a, int64_t &e) {
        const double top = a.cwiseAbs().maxCoeff();
        if (top > 0 && (top > 0x1p200 || top < 0x1p-200)) {
            int shift;
            std::frexp(top, &shift);
            a = a * std::ldexp(1.0, -shift);
            e += shift;
        }
    };
    for (int64_t p = n; p > 0; p >>= 1) {
        if (p & 1) {
            result = result * base;
            resultExp += baseExp;
            rescale(result, resultExp);
        }
        if (p > 1) {
            base = base * base;
            baseExp *= 2;
            rescale(base, baseExp);
        }
    }
    const double v = result(k - 1, k - 1);
    if (v <= 0)
        return 0.0;
    const long double logCdf = std::log(static_cast<long double>(v)) + static_cast<long double>(resultExp) * std::log(2.0L)
        + logFactorialOverPower(n);
    return clip01(static_cast<double>(std::exp(logCdf)));
}

double KolmogorovDistribution::pelzGoodCdf(int64_t n, double x)
{
    if (x <= 0)
        return 0.0;
    if (x >= 1)
        return 1.0;
    const double z = std::sqrt(static_cast<double>(n)) * x;
    const double z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2, z7 = z6 * z, z8 = z4 * z4, z10 = z8 * z2;
    const double pi2 = kPi * kPi, pi4 = pi2 * pi2, pi6 = pi4 * pi2;
    if (-pi2 / (8 * z2) < -745)
        return 0.0; // even the first term underflows
    // Sums over half-integers (k - 1/2) and over integers k, each until its exponential underflows.
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (int k = 1;; ++k) {
        const double u2 = (k - 0.5) * (k - 0.5), u4 = u2 * u2, u6 = u4 * u2;
        const double e = -pi2 * u2 / (2 * z2);
        if (e < -745)
            break;
        const double w = std::exp(e);
        s0 += w;
        s1 += (pi2 * u2 - z2) * w;
        s2 += (6 * z6 + 2 * z4 + pi2 * (2 * z4 - 5 * z2) * u2 + pi4 * (1 - 2 * z2) * u4) * w;
        s3 += (-30 * z6 - 90 * z8 + pi2 * (135 * z4 - 96 * z6) * u2 + pi4 * (212 * z4 - 60 * z2) * u4
               + pi6 * (5 - 30 * z2) * u6) * w;
    }
    double t2 = 0, t3 = 0;
    for (int k = 1;; ++k) {
        const double k2 = double(k) * k;
        const double e = -pi2 * k2 / (2 * z2);
        if (e < -745)
            break;
        const double w = std::exp(e);
        t2 += pi2 * k2 * w;
        t3 += (3 * pi2 * k2 * z2 - pi4 * k2 * k2) * w;
    }
    const double c = std::sqrt(kPi / 2);
    const double K0 = std::sqrt(2 * kPi) / z * s0;
    const double K1 = c / (3 * z4) * s1;
    const double K2 = c / (36 * z7) * s2 - c / (18 * z3) * t2;
    const double K3 = c / (3240 * z10) * s3 + c / (108 * z6) * t3;
    const double rn = std::sqrt(static_cast<double>(n));
    return K0 + K1 / rn + K2 / static_cast<double>(n) + K3 / (static_cast<double>(n) * rn);
}

double KolmogorovDistribution::sf(int64_t n, double x)
{
    if (n < 1 || std::isnan(x))
        return NAN;
    if (x >= 1)
        return 0.0;
    if (x <= 0)
        return 1.0;
    const double dn = static_cast<double>(n);
    const double t = dn * x;
    if (t <= 1.0) { // Ruben and Gambino: P(D_n < x) = n!/n^n (2t - 1)^n for 1/(2n) < x <= 1/n
        if (t <= 0.5)
            return 1.0;
        const long double logCdf = logFactorialOverPower(n) + static_cast<long double>(n) * std::log(static_cast<long double>(2 * t - 1));
        return clip01(1.0 - static_cast<double>(std::exp(logCdf)));
    }
    if (t >= dn - 1) // Ruben and Gambino, the other end
        return clip01(2 * std::pow(1.0 - x, dn));
    if (x >= 0.5) // the two one-sided events cannot both happen
        return clip01(2 * smirnovSf(n, x));
    const double nx2 = t * x;
    if (n <= 140) {
        if (nx2 <= 4)
            return clip01(1.0 - durbinCdf(n, x));
        return clip01(2 * smirnovSf(n, x));
    }
    if (nx2 >= 370)
        return 0.0;
    if (nx2 >= 2.2)
        return clip01(2 * smirnovSf(n, x));
    const double cdf = (n <= 100000 && dn * std::pow(x, 1.5) <= 1.4) ? durbinCdf(n, x) : pelzGoodCdf(n, x);
    return clip01(1.0 - cdf);
}

} // namespace custody
