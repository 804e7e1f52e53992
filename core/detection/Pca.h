#pragma once

#include <Eigen/Core>

#include <atomic>
#include <functional>

namespace custody {

class FeatureView;

// Principal components from the covariance matrix (accumulated in double over row blocks, so a whole version
// is never held as one float matrix), solved with Eigen's self-adjoint eigensolver.
struct Pca
{
    Eigen::RowVectorXf mean;
    Eigen::MatrixXf components; // dims x k, unit columns, by decreasing variance
    Eigen::VectorXf variances;  // k
    double totalVariance = 0;

    int dims() const { return int(components.cols()); }
    bool empty() const { return components.size() == 0; }
    // rows x k
    Eigen::MatrixXf transform(const Eigen::MatrixXf &x) const;
    double explained() const { return totalVariance > 0 ? double(variances.sum()) / totalVariance : 0; }

    static Pca fit(const Eigen::MatrixXf &x, int k);
    // Fits on the given rows of `view` (all rows when `rows` is empty).
    static bool fit(const FeatureView &view, const std::vector<int> &rows, int k, Pca *pca,
                    const std::atomic_bool *cancel = nullptr);
};

// The top eigenvector of the covariance of `x`'s rows about `centre`: exact for up to 512 dimensions,
// power iteration (capped at 200 steps) beyond.
Eigen::VectorXf topDirection(const Eigen::MatrixXf &x, const Eigen::RowVectorXf &centre);

} // namespace custody
