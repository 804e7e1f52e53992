#include "detection/Pca.h"
#include "job/BlasThreads.h"

#include "detection/FeatureView.h"

#include <Eigen/Eigenvalues>

#include <algorithm>

namespace custody {

namespace {

Pca fromCovariance(const Eigen::MatrixXd &cov, const Eigen::RowVectorXd &mean, int k)
{
    Pca pca;
    const int d = int(cov.rows());
    k = std::clamp(k, 0, d);
    pca.mean = mean.cast<float>();
    pca.totalVariance = cov.trace();
    if (d == 0) { // no feature varies (one record): no component; Eigen's solver must not see an empty matrix
        pca.components.resize(0, 0);
        pca.variances.resize(0);
        return pca;
    }
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(cov);
    pca.components.resize(d, k);
    pca.variances.resize(k);
    for (int i = 0; i < k; ++i) { // eigenvalues come in increasing order
        pca.components.col(i) = solver.eigenvectors().col(d - 1 - i).cast<float>();
        pca.variances(i) = float(std::max(0.0, solver.eigenvalues()(d - 1 - i)));
    }
    return pca;
}

} // namespace

Eigen::MatrixXf Pca::transform(const Eigen::MatrixXf &x) const
{
    return (x.rowwise() - mean) * components;
}

Pca Pca::fit(const Eigen::MatrixXf &x, int k)
{
    useSingleThreadedBlas(); // the same bits on any core count (job/BlasThreads.h)
    const Eigen::RowVectorXd mean = x.cast<double>().colwise().mean();
    const Eigen::MatrixXd centred = x.cast<double>().rowwise() - mean;
    const double n = std::max<double>(1, double(x.rows()) - 1);
    return fromCovariance((centred.transpose() * centred) / n, mean, k);
}

bool Pca::fit(const FeatureView &view, const std::vector<int> &rows, int k, Pca *pca, const std::atomic_bool *cancel)
{
    useSingleThreadedBlas(); // the same bits on any core count (job/BlasThreads.h)
    const int d = view.dims();
    const int64_t n = rows.empty() ? view.rows() : int64_t(rows.size());
    Eigen::MatrixXd scatter = Eigen::MatrixXd::Zero(d, d);
    Eigen::RowVectorXd sum = Eigen::RowVectorXd::Zero(d);
    Eigen::MatrixXf block, gram(d, d);
    constexpr int kBlock = 2048;
    // A shift (the first block's mean) keeps the float products away from cancellation.
    Eigen::RowVectorXf shift;
    for (int64_t first = 0; first < n; first += kBlock) {
        if (cancel && cancel->load())
            return false;
        const int count = int(std::min<int64_t>(kBlock, n - first));
        if (rows.empty())
            view.gatherRange(first, count, &block);
        else
            view.gather(rows.data() + first, count, &block);
        if (first == 0)
            shift = block.colwise().mean();
        block.rowwise() -= shift;
        gram.setZero();
        gram.selfadjointView<Eigen::Lower>().rankUpdate(block.transpose());
        scatter += gram.selfadjointView<Eigen::Lower>().toDenseMatrix().cast<double>();
        sum += block.colwise().sum().cast<double>();
    }
    if (n < 2) {
        // One record (or none) varies in no direction: no component, but the mean and width still match the
        // view, so that transform() takes its rows (campaign 11: a default Pca here broke the sizes).
        Pca none;
        none.mean = n == 1 && shift.size() == d ? shift : Eigen::RowVectorXf::Zero(d);
        none.components.resize(d, 0);
        none.variances.resize(0);
        *pca = none;
        return true;
    }
    const Eigen::RowVectorXd meanShifted = sum / double(n);
    const Eigen::MatrixXd cov = (scatter - double(n) * meanShifted.transpose() * meanShifted) / double(n - 1);
    *pca = fromCovariance(cov, meanShifted + shift.cast<double>(), k);
    return true;
}

Eigen::VectorXf topDirection(const Eigen::MatrixXf &x, const Eigen::RowVectorXf &centre)
{
    const int d = int(x.cols());
    if (x.rows() < 2 || d == 0)
        return Eigen::VectorXf::Zero(d);
    if (d <= 512) {
        const Eigen::MatrixXf c = x.rowwise() - centre;
        const Eigen::MatrixXd cov = (c.transpose() * c).cast<double>();
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(cov);
        return solver.eigenvectors().col(d - 1).cast<float>();
    }
    // Power iteration with implicit centring: (X - 1c)^T (X - 1c) v without forming the centred matrix.
    Eigen::VectorXf v = Eigen::VectorXf::Constant(d, 1.0f / std::sqrt(float(d)));
    const Eigen::VectorXf ones = Eigen::VectorXf::Ones(x.rows());
    for (int it = 0; it < 200; ++it) {
        const Eigen::VectorXf xv = x * v - ones * centre.dot(v);
        Eigen::VectorXf next = x.transpose() * xv - centre.transpose() * xv.sum();
        const float norm = next.norm();
        if (norm <= 0)
            break;
        next /= norm;
        const float change = (next - v).norm();
        v = next;
        if (change < 1e-6f)
            break;
    }
    return v;
}

} // namespace custody
