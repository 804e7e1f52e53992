#pragma once

#include <Eigen/Core>

#include <atomic>
#include <vector>

namespace custody {

// Exact k-nearest-neighbour search (squared Euclidean) by blocked matrix products, parallel over query blocks.
// For every query it keeps two lists: the k nearest references that share the query's label and the k nearest
// that do not, which is what label consistency, outliers and near duplicates all need from one pass (the k
// nearest overall are inside their union). A query may name the reference that is itself, to be skipped.
class NearestNeighbours
{
public:
    struct Hit
    {
        int ref = -1;
        float distance = 0; // Euclidean (not squared)
    };
    struct Result
    {
        std::vector<Hit> same;  // ascending, up to k
        std::vector<Hit> other; // ascending, up to k
        // The k nearest overall (merged), ascending.
        std::vector<Hit> nearest(int k) const;
    };

    // references: m x d with labels (m); queries: q x d with labels (q) and self (q; -1 when none).
    static bool search(const Eigen::MatrixXf &references, const std::vector<int> &referenceLabels,
                       const Eigen::MatrixXf &queries, const std::vector<int> &queryLabels,
                       const std::vector<int> &self, int k, std::vector<Result> *out,
                       const std::atomic_bool *cancel = nullptr);
};

} // namespace custody
