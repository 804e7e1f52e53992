#include "detection/NearestNeighbours.h"
#include "job/BlasThreads.h"

#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>
#include <cmath>

namespace custody {

namespace {

// A bounded max-heap kept as a sorted small vector: k is about 10, so insertion sort beats a heap.
struct TopK
{
    std::vector<NearestNeighbours::Hit> hits;
    int k = 0;
    float worst() const { return int(hits.size()) < k ? INFINITY : hits.back().distance; }
    void offer(int ref, float d)
    {
        if (d >= worst())
            return;
        auto it = std::upper_bound(hits.begin(), hits.end(), d,
                                   [](float v, const NearestNeighbours::Hit &h) { return v < h.distance; });
        hits.insert(it, NearestNeighbours::Hit{ref, d});
        if (int(hits.size()) > k)
            hits.pop_back();
    }
};

} // namespace

std::vector<NearestNeighbours::Hit> NearestNeighbours::Result::nearest(int k) const
{
    std::vector<Hit> all;
    std::merge(same.begin(), same.end(), other.begin(), other.end(), std::back_inserter(all),
               [](const Hit &a, const Hit &b) { return a.distance < b.distance; });
    if (int(all.size()) > k)
        all.resize(size_t(k));
    return all;
}

bool NearestNeighbours::search(const Eigen::MatrixXf &references, const std::vector<int> &referenceLabels,
                               const Eigen::MatrixXf &queries, const std::vector<int> &queryLabels,
                               const std::vector<int> &self, int k, std::vector<Result> *out,
                               const std::atomic_bool *cancel)
{
    const int q = int(queries.rows()), m = int(references.rows());
    out->assign(size_t(q), Result());
    if (q == 0 || m == 0)
        return !(cancel && cancel->load());
    const Eigen::VectorXf refNorms = references.rowwise().squaredNorm();
    constexpr int kQueryBlock = 512, kRefBlock = 4096;
    std::vector<int> blocks;
    for (int first = 0; first < q; first += kQueryBlock)
        blocks.push_back(first);
    std::atomic_bool stopped{false};
    // Parallel over query blocks of a fixed size; each block's product single-threaded, which also keeps the
    // distances the same bits on any core count.
    useSingleThreadedBlas();
    QtConcurrent::blockingMap(blocks, [&](int first) {
        if (stopped.load() || (cancel && cancel->load())) {
            stopped = true;
            return;
        }
        const int count = std::min(kQueryBlock, q - first);
        const Eigen::MatrixXf block = queries.middleRows(first, count);
        const Eigen::VectorXf qNorms = block.rowwise().squaredNorm();
        std::vector<TopK> same(static_cast<size_t>(count)), other(static_cast<size_t>(count));
        for (int i = 0; i < count; ++i)
            same[size_t(i)].k = other[size_t(i)].k = k;
        Eigen::MatrixXf dots;
        for (int r0 = 0; r0 < m; r0 += kRefBlock) {
            const int rc = std::min(kRefBlock, m - r0);
            // references x queries, column-major: one query's dot products are contiguous.
            dots.noalias() = references.middleRows(r0, rc) * block.transpose();
            for (int i = 0; i < count; ++i) {
                const int query = first + i;
                const int label = queryLabels[size_t(query)], me = self[size_t(query)];
                TopK &s = same[size_t(i)], &o = other[size_t(i)];
                const float *col = dots.col(i).data();
                const float qn = qNorms(i);
                for (int j = 0; j < rc; ++j) {
                    const int ref = r0 + j;
                    const float d2 = std::max(0.0f, qn + refNorms(ref) - 2.0f * col[j]);
                    if (d2 >= s.worst() && d2 >= o.worst())
                        continue; // the common case once both lists are full
                    if (ref == me)
                        continue;
                    if (referenceLabels[size_t(ref)] == label)
                        s.offer(ref, d2);
                    else
                        o.offer(ref, d2);
                }
            }
        }
        for (int i = 0; i < count; ++i) {
            Result &r = (*out)[size_t(first + i)];
            r.same = std::move(same[size_t(i)].hits);
            r.other = std::move(other[size_t(i)].hits);
            for (Hit &h : r.same)
                h.distance = std::sqrt(h.distance);
            for (Hit &h : r.other)
                h.distance = std::sqrt(h.distance);
        }
    });
    return !stopped.load() && !(cancel && cancel->load());
}

} // namespace custody
