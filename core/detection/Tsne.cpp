#include "detection/Tsne.h"
#include "job/BlasThreads.h"
#include "job/Cancel.h"

#include "sampling/SplitMix64.h"

#include <Eigen/Dense>
#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <numbers>
#include <numeric>
#include <vector>

namespace custody {

namespace {

struct RowBlock
{
    int begin = 0;
    int end = 0;
};

std::vector<RowBlock> rowBlocks(int n, int blockRows)
{
    std::vector<RowBlock> blocks;
    for (int b = 0; b < n; b += blockRows)
        blocks.push_back({b, std::min(n, b + blockRows)});
    return blocks;
}

// Rows are independent, so each block is computed by one thread and the result does not depend on scheduling.
template<typename F>
void forBlocks(int n, int blockRows, F &&f)
{
    std::vector<RowBlock> blocks = rowBlocks(n, blockRows);
    QtConcurrent::blockingMap(blocks, [&f](RowBlock &b) { f(b.begin, b.end); });
}

// Non-finite inputs count as 0 rather than poisoning every distance; centring keeps the Gram-trick distances
// (|a|^2 + |b|^2 - 2 a.b) accurate in float.
Eigen::MatrixXf centred(const Eigen::MatrixXf &input)
{
    Eigen::MatrixXf x = input.unaryExpr([](float v) { return std::isfinite(v) ? v : 0.0f; });
    const double rows = double(std::max<Eigen::Index>(x.rows(), 1));
    x.rowwise() -= (x.colwise().sum().cast<double>() / rows).cast<float>();
    return x;
}

// Too few rows for t-SNE (perplexity needs neighbours): the first two principal axes, from the tiny Gram matrix.
Eigen::MatrixXf principalLayout(const Eigen::MatrixXf &x)
{
    const Eigen::Index n = x.rows();
    Eigen::MatrixXf out = Eigen::MatrixXf::Zero(n, 2);
    if (n < 2)
        return out;
    const Eigen::MatrixXd xd = x.cast<double>();
    const Eigen::MatrixXd gram = xd * xd.transpose();
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(gram);
    for (int c = 0; c < 2 && c < n; ++c) {
        const Eigen::Index k = n - 1 - c; // eigenvalues ascend
        Eigen::VectorXd v = solver.eigenvectors().col(k);
        Eigen::Index big = 0;
        v.cwiseAbs().maxCoeff(&big);
        if (v(big) < 0) // a fixed sign, so that the output is reproducible
            v = -v;
        out.col(c) = (v * std::sqrt(std::max(0.0, solver.eigenvalues()(k)))).cast<float>();
    }
    return out;
}

// The conditional distribution p(j|i) for one row: the Gaussian bandwidth is searched (on beta = 1 / 2 sigma^2)
// until the entropy equals log(perplexity). `d` holds squared distances and is overwritten;
// `e` is scratch of the same length. Float with Eigen's vectorised exp: the search dominates the set-up time.
void conditionalRow(Eigen::Ref<Eigen::ArrayXf> d, Eigen::ArrayXf &e, int i, double logPerplexity, float *p)
{
    const Eigen::Index m = d.size();
    d(i) = std::numeric_limits<float>::max();
    const float dmin = d.minCoeff();
    d(i) = dmin; // the pair (i, i) now adds exactly 1 to the kernel sum and 0 to the weighted sum
    const Eigen::Index ties = (d <= dmin).count() - 1;
    d -= dmin; // shifted, so that the largest kernel value is exp(0): no underflow of the whole row
    const double mean = double(d.sum()) / double(m - 1);
    Eigen::Map<Eigen::ArrayXf> out(p, m);
    // As many duplicates as the perplexity (or all rows equidistant): no bandwidth reaches the target, the
    // limit is uniform over the nearest ties.
    if (std::log(double(ties)) >= logPerplexity - 1e-9 || mean <= 0) {
        out = (d <= 0).cast<float>() * float(1.0 / double(ties));
        out(i) = 0;
        return;
    }
    // Newton steps on H(beta), whose slope is -beta Var(d), kept inside the bisection bracket: about six
    // evaluations per row instead of some twenty-five for bisection alone.
    double beta = 1.0 / mean, lo = 0, hi = std::numeric_limits<double>::infinity();
    for (int step = 0; step < 64; ++step) {
        e = (-float(beta) * d).exp();
        const double sum = double(e.sum()) - 1.0;
        const double m1 = double((d * e).sum()) / sum, m2 = double((d * d * e).sum()) / sum;
        const double diff = std::log(sum) + beta * m1 - logPerplexity;
        if (std::abs(diff) < 1e-5)
            break;
        if (diff > 0) // too flat: narrow the kernel
            lo = beta;
        else
            hi = beta;
        const double variance = m2 - m1 * m1;
        double next = variance > 0 ? beta + diff / (beta * variance) : -1;
        if (!(next > lo && next < hi))
            next = std::isinf(hi) ? beta * 2 : (lo + hi) / 2;
        beta = next;
    }
    e = (-float(beta) * d).exp();
    e(i) = 0;
    out = e / e.sum();
}

// One row's pass over all pairs of the exact gradient: with d = yj - yi and w = 1 / (1 + |d|^2), the sums of
// w, p w d and w^2 d. Fused into one loop over four lanes (GCC/Clang vector extensions): as separate Eigen
// reductions it made six passes over the row and took twice as long.
struct PairSums
{
    float kernel, attract0, attract1, repel0, repel1;
};

PairSums pairSums(const float *y0, const float *y1, const float *p, int m, float yi0, float yi1)
{
    using Float4 = float __attribute__((vector_size(16)));
    const Float4 zero = {0, 0, 0, 0}, one = zero + 1.0f, c0 = zero + yi0, c1 = zero + yi1;
    Float4 kernel = zero, a0 = zero, a1 = zero, r0 = zero, r1 = zero;
    int j = 0;
    for (; j + 4 <= m; j += 4) {
        Float4 x, y, pj;
        std::memcpy(&x, y0 + j, sizeof x);
        std::memcpy(&y, y1 + j, sizeof y);
        std::memcpy(&pj, p + j, sizeof pj);
        const Float4 dx = x - c0, dy = y - c1;
        const Float4 w = one / (one + dx * dx + dy * dy);
        const Float4 pw = pj * w, w2 = w * w;
        kernel += w;
        a0 += pw * dx;
        a1 += pw * dy;
        r0 += w2 * dx;
        r1 += w2 * dy;
    }
    const auto total = [](Float4 v) { return (v[0] + v[1]) + (v[2] + v[3]); };
    PairSums s{total(kernel), total(a0), total(a1), total(r0), total(r1)};
    for (; j < m; ++j) {
        const float dx = y0[j] - yi0, dy = y1[j] - yi1;
        const float w = 1.0f / (1.0f + dx * dx + dy * dy);
        s.kernel += w;
        s.attract0 += p[j] * w * dx;
        s.attract1 += p[j] * w * dy;
        s.repel0 += w * w * dx;
        s.repel1 += w * w * dy;
    }
    return s;
}

} // namespace

bool Tsne::project(const Eigen::MatrixXf &input, Eigen::MatrixXf *out, QString *error)
{
    useSingleThreadedBlas(); // the same bits on any core count (job/BlasThreads.h)
    const auto cancelled = [this] { return m_cancel && m_cancel->load(std::memory_order_relaxed); };
    const auto fail = [error] {
        if (error)
            *error = cancelledMessage();
        return false;
    };
    const int n = int(input.rows());
    if (cancelled())
        return fail();
    const Eigen::MatrixXf x = centred(input);
    if (n < 4) {
        *out = principalLayout(x);
        if (m_progress)
            m_progress(1, 1);
        return true;
    }

    // A seeded subsample, sorted so that rows keep their input order (and memory locality).
    const int m = std::min(n, std::max(4, m_options.maxExact));
    std::vector<int> sample(size_t(n), 0);
    std::iota(sample.begin(), sample.end(), 0);
    SplitMix64 rng(m_options.seed);
    if (m < n) {
        for (int k = 0; k < m; ++k)
            std::swap(sample[size_t(k)], sample[size_t(k) + size_t(rng.below(uint64_t(n - k)))]);
        sample.resize(size_t(m));
        std::sort(sample.begin(), sample.end());
    }
    Eigen::MatrixXf xs(m, x.cols());
    for (int k = 0; k < m; ++k)
        xs.row(k) = x.row(sample[size_t(k)]);

    const int iterations = std::max(0, m_options.iterations);
    constexpr int kPlacementBlock = 512;
    const qint64 placementSteps = m < n ? (n - m + kPlacementBlock - 1) / kPlacementBlock : 0;
    const qint64 total = 1 + iterations + placementSteps;
    const auto report = [&](qint64 done) {
        if (m_progress)
            m_progress(done, total);
    };

    // Symmetric joint probabilities P = (P(j|i) + P(i|j)) / 2m; the perplexity cannot exceed what m rows allow.
    const double perplexity = std::clamp(m_options.perplexity, 1.0, std::max(1.0, (m - 1) / 3.0));
    const double logPerplexity = std::log(perplexity);
    const Eigen::VectorXf norms = xs.rowwise().squaredNorm();
    Eigen::MatrixXf p(m, m); // column i holds p(.|i) first, then the symmetric P
    forBlocks(m, 128, [&](int b, int e) {
        if (cancelled())
            return;
        Eigen::MatrixXf d = (-2.0f * (xs * xs.middleRows(b, e - b).transpose())).colwise() + norms;
        Eigen::ArrayXf scratch(m);
        for (int i = b; i < e; ++i) {
            auto col = d.col(i - b).array();
            col = (col + norms(i)).max(0.0f);
            conditionalRow(col, scratch, i, logPerplexity, p.col(i).data());
        }
    });
    if (cancelled())
        return fail();
    const float norm = 1.0f / (2.0f * float(m));
    for (int i = 0; i < m; ++i) {
        for (int j = i; j < m; ++j) {
            const float v = std::max((p(j, i) + p(i, j)) * norm, 1e-12f);
            p(j, i) = v;
            p(i, j) = v;
        }
        p(i, i) = 0;
    }
    report(1);

    // Start from a seeded, tiny Gaussian cloud so that no structure is imposed before the optimisation.
    Eigen::ArrayXf y0(m), y1(m);
    SplitMix64 init(m_options.seed ^ 0x5A17E5EEDull);
    const auto gaussian = [&init] {
        const double u1 = (double(init.next() >> 11) + 0.5) * 0x1.0p-53;
        const double u2 = double(init.next() >> 11) * 0x1.0p-53;
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
    };
    for (int i = 0; i < m; ++i) {
        y0(i) = float(1e-4 * gaussian());
        y1(i) = float(1e-4 * gaussian());
    }

    // Optimiser settings from the paper, with the learning rate scaled to the sample (Belkina et al. 2019).
    const int exaggerationIterations = std::min(250, iterations / 3);
    const float learningRate = float(std::max(m / 12.0 / 4.0, 50.0));
    Eigen::ArrayXf u0 = Eigen::ArrayXf::Zero(m), u1 = Eigen::ArrayXf::Zero(m);
    Eigen::ArrayXf gain0 = Eigen::ArrayXf::Ones(m), gain1 = Eigen::ArrayXf::Ones(m);
    Eigen::ArrayXf attract0(m), attract1(m), repel0(m), repel1(m);
    std::vector<double> rowZ(size_t(m), 0.0);
    for (int it = 0; it < iterations; ++it) {
        if (cancelled())
            return fail();
        const bool early = it < exaggerationIterations;
        const float exaggeration = early ? 12.0f : 1.0f;
        const float momentum = early ? 0.5f : 0.8f;
        // One pass over all pairs per row: attraction sum p w (yj - yi) and repulsion sum w^2 (yj - yi), with
        // w = 1 / (1 + |yi - yj|^2); Z (the sum of w over all pairs) is only known at the end of the pass.
        forBlocks(m, 64, [&](int b, int e) {
            for (int i = b; i < e; ++i) {
                const PairSums sums = pairSums(y0.data(), y1.data(), p.col(i).data(), m, y0(i), y1(i));
                rowZ[size_t(i)] = double(sums.kernel) - 1.0; // without the pair (i, i)
                attract0(i) = sums.attract0;
                attract1(i) = sums.attract1;
                repel0(i) = sums.repel0;
                repel1(i) = sums.repel1;
            }
        });
        const float invZ = float(1.0 / std::max(std::accumulate(rowZ.begin(), rowZ.end(), 0.0), 1e-300));
        for (int i = 0; i < m; ++i) {
            const float g[2] = {-4.0f * (exaggeration * attract0(i) - repel0(i) * invZ),
                                -4.0f * (exaggeration * attract1(i) - repel1(i) * invZ)};
            float *u[2] = {&u0(i), &u1(i)};
            float *gain[2] = {&gain0(i), &gain1(i)};
            for (int c = 0; c < 2; ++c) {
                // Delta-bar-delta: grow the step while the gradient keeps pointing the way we move.
                *gain[c] = (g[c] > 0) != (*u[c] > 0) ? *gain[c] + 0.2f : std::max(*gain[c] * 0.8f, 0.01f);
                *u[c] = momentum * *u[c] - learningRate * *gain[c] * g[c];
            }
        }
        y0 += u0;
        y1 += u1;
        y0 -= y0.mean();
        y1 -= y1.mean();
        if (it % 5 == 4 || it + 1 == iterations)
            report(2 + it);
    }

    out->resize(n, 2);
    for (int k = 0; k < m; ++k) {
        (*out)(sample[size_t(k)], 0) = y0(k);
        (*out)(sample[size_t(k)], 1) = y1(k);
    }
    if (m == n)
        return true;

    // Every other row goes to the inverse-distance-weighted mean of its nearest sampled rows in the input space:
    // candidates from blocked Gram distances, final weights from exact distances (duplicates land exactly).
    std::vector<int> others;
    others.reserve(size_t(n - m));
    for (int r = 0, k = 0; r < n; ++r) {
        if (k < m && sample[size_t(k)] == r)
            ++k;
        else
            others.push_back(r);
    }
    const int neighbours = std::clamp(m_options.placementNeighbours, 1, m);
    const auto place = [&](RowBlock &block) {
        if (cancelled())
            return;
        const int b = block.begin, e = block.end;
        Eigen::MatrixXf xb(e - b, x.cols());
        for (int r = b; r < e; ++r)
            xb.row(r - b) = x.row(others[size_t(r)]);
        const Eigen::MatrixXf d = (-2.0f * (xs * xb.transpose())).colwise() + norms; // m x block, minus |xb|^2
        std::vector<std::pair<float, int>> best;
        for (int r = b; r < e; ++r) {
            const float *col = d.col(r - b).data();
            best.clear();
            for (int k = 0; k < m; ++k) {
                if (int(best.size()) == neighbours && col[k] >= best.back().first)
                    continue;
                const std::pair<float, int> c{col[k], k};
                best.insert(std::upper_bound(best.begin(), best.end(), c), c);
                if (int(best.size()) > neighbours)
                    best.pop_back();
            }
            double sw = 0, sx = 0, sy = 0, ex = 0, ey = 0;
            int exact = 0;
            for (const auto &[approx, k] : best) {
                const double dist = (xs.row(k) - xb.row(r - b)).cast<double>().norm();
                if (dist == 0) {
                    ++exact;
                    ex += y0(k);
                    ey += y1(k);
                    continue;
                }
                sw += 1.0 / dist;
                sx += y0(k) / dist;
                sy += y1(k) / dist;
            }
            const int row = others[size_t(r)];
            (*out)(row, 0) = float(exact ? ex / exact : sx / sw);
            (*out)(row, 1) = float(exact ? ey / exact : sy / sw);
        }
    };
    // A few blocks at a time, so that progress is reported from this thread and cancel is seen promptly.
    const std::vector<RowBlock> blocks = rowBlocks(int(others.size()), kPlacementBlock);
    for (size_t c = 0; c < blocks.size(); c += 4) {
        if (cancelled())
            return fail();
        const auto first = blocks.begin() + qsizetype(c);
        std::vector<RowBlock> chunk(first, first + qsizetype(std::min<size_t>(4, blocks.size() - c)));
        QtConcurrent::blockingMap(chunk, place);
        report(1 + iterations + qint64(c + chunk.size()));
    }
    if (cancelled())
        return fail();
    return true;
}

} // namespace custody
