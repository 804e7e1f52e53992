#include "analysis/MaximumMeanDiscrepancy.h"

#include "sampling/SplitMix64.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace custody {

namespace {

// The first `keep` entries of a seeded partial Fisher-Yates shuffle of 0..n-1, sorted back into row order.
std::vector<int64_t> subsample(int64_t n, int64_t keep, SplitMix64 &rng)
{
    std::vector<int64_t> rows(static_cast<size_t>(n));
    std::iota(rows.begin(), rows.end(), 0);
    if (keep >= n)
        return rows;
    for (int64_t i = 0; i < keep; ++i)
        std::swap(rows[size_t(i)], rows[size_t(i + int64_t(rng.below(uint64_t(n - i))))]);
    rows.resize(size_t(keep));
    std::sort(rows.begin(), rows.end());
    return rows;
}

// MMD^2_u for the split given by the 0/1 indicator v (n1 ones), from K's row sums c and total t.
double unbiasedMmd2(const Eigen::MatrixXd &K, const Eigen::VectorXd &v, const Eigen::VectorXd &c, double t, double n1, double n2)
{
    const Eigen::VectorXd kv = K * v;
    const double q = v.dot(kv);   // sum over X x X, diagonal included
    const double vc = v.dot(c);   // sum over X x all
    const double sxx = q - n1;    // the diagonal of a Gaussian kernel is 1
    const double syy = t - 2 * vc + q - n2;
    const double sxy = vc - q;
    return sxx / (n1 * (n1 - 1)) + syy / (n2 * (n2 - 1)) - 2 * sxy / (n1 * n2);
}

} // namespace

MaximumMeanDiscrepancy::Result MaximumMeanDiscrepancy::test(std::span<const float> x, std::span<const float> y, int dims,
                                                            const Options &options)
{
    Result r;
    if (dims <= 0)
        return r;
    const int64_t n1All = int64_t(x.size()) / dims, n2All = int64_t(y.size()) / dims;
    if (n1All < 2 || n2All < 2)
        return r;
    SplitMix64 rng(options.seed);
    const std::vector<int64_t> rx = subsample(n1All, options.maxPerSample, rng);
    const std::vector<int64_t> ry = subsample(n2All, options.maxPerSample, rng);
    r.n1 = int64_t(rx.size());
    r.n2 = int64_t(ry.size());
    const int64_t N = r.n1 + r.n2;

    Eigen::MatrixXf Z(N, dims);
    for (int64_t i = 0; i < r.n1; ++i)
        Z.row(i) = Eigen::Map<const Eigen::RowVectorXf>(x.data() + rx[size_t(i)] * dims, dims);
    for (int64_t i = 0; i < r.n2; ++i)
        Z.row(r.n1 + i) = Eigen::Map<const Eigen::RowVectorXf>(y.data() + ry[size_t(i)] * dims, dims);
    // Centre first: distances do not change and the Gram trick loses less precision.
    Z.rowwise() -= Z.colwise().mean();
    const Eigen::MatrixXd Zd = Z.cast<double>();
    const Eigen::MatrixXd G = Zd * Zd.transpose();
    const Eigen::VectorXd sq = G.diagonal();
    Eigen::MatrixXd D2 = (-2.0 * G).colwise() + sq;
    D2.rowwise() += sq.transpose();
    D2 = D2.cwiseMax(0.0);

    std::vector<double> pairs;
    pairs.reserve(size_t(N * (N - 1) / 2));
    for (int64_t j = 1; j < N; ++j)
        for (int64_t i = 0; i < j; ++i)
            pairs.push_back(D2(i, j));
    auto mid = pairs.begin() + pairs.size() / 2;
    std::nth_element(pairs.begin(), mid, pairs.end());
    double median2 = *mid;
    if (!(median2 > 0)) { // more than half the pairs identical: fall back to the mean squared distance
        double sum = 0;
        for (double d : pairs)
            sum += d;
        median2 = sum / double(pairs.size());
    }
    if (!(median2 > 0))
        median2 = 1.0; // every point identical: any bandwidth gives MMD = 0
    r.bandwidth = std::sqrt(median2);

    const Eigen::MatrixXd K = (D2 / (-2.0 * median2)).array().exp().matrix();
    const Eigen::VectorXd c = K.rowwise().sum();
    const double t = c.sum();
    Eigen::VectorXd v = Eigen::VectorXd::Zero(N);
    v.head(r.n1).setOnes();
    r.mmd2 = unbiasedMmd2(K, v, c, t, double(r.n1), double(r.n2));

    std::vector<int64_t> labels(static_cast<size_t>(N));
    std::iota(labels.begin(), labels.end(), 0);
    int atLeast = 0;
    for (int b = 0; b < options.permutations; ++b) {
        if (options.cancel && options.cancel->load(std::memory_order_relaxed)) {
            r.cancelled = true;
            r.permutations = b;
            return r;
        }
        for (int64_t i = N - 1; i > 0; --i)
            std::swap(labels[size_t(i)], labels[size_t(rng.below(uint64_t(i + 1)))]);
        v.setZero();
        for (int64_t i = 0; i < r.n1; ++i)
            v[labels[size_t(i)]] = 1.0;
        if (unbiasedMmd2(K, v, c, t, double(r.n1), double(r.n2)) >= r.mmd2)
            ++atLeast;
    }
    r.permutations = options.permutations;
    r.pValue = double(1 + atLeast) / double(1 + options.permutations);
    return r;
}

} // namespace custody
