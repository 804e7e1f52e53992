#include "detection/ProbeNetwork.h"
#include "job/BlasThreads.h"
#include "job/Cancel.h"

#include "sampling/SplitMix64.h"
#include "detection/FeatureView.h"

#include <cmath>
#include <numeric>

namespace custody {

namespace {

float normal(SplitMix64 &rng)
{
    // Box-Muller from two 24-bit uniforms; u1 is kept away from zero.
    const float u1 = (rng.uniform24() + 1.0f / 33554432.0f), u2 = rng.uniform24();
    return std::sqrt(-2.0f * std::log(u1)) * std::cos(6.2831853f * u2);
}

void initLayer(Eigen::MatrixXf &w, Eigen::RowVectorXf &b, int in, int out, SplitMix64 &rng)
{
    w.resize(in, out);
    const float scale = std::sqrt(2.0f / float(std::max(1, in)));
    for (int j = 0; j < out; ++j)
        for (int i = 0; i < in; ++i)
            w(i, j) = normal(rng) * scale;
    b = Eigen::RowVectorXf::Zero(out);
}

// Adam's state for one parameter block.
template<typename M>
struct Moments
{
    M m, v;
    void init(const M &p) { m = M::Zero(p.rows(), p.cols()); v = M::Zero(p.rows(), p.cols()); }
    void step(M &p, const M &g, float lr, float b1t, float b2t, float decay)
    {
        constexpr float b1 = 0.9f, b2 = 0.999f, eps = 1e-8f;
        const M grad = g + decay * p;
        m = b1 * m + (1 - b1) * grad;
        v = b2 * v + (1 - b2) * grad.cwiseProduct(grad);
        p.array() -= lr * (m.array() / (1 - b1t)) / ((v.array() / (1 - b2t)).sqrt() + eps);
    }
};

} // namespace

void ProbeNetwork::forward(const Eigen::MatrixXf &x, Eigen::MatrixXf *h1, Eigen::MatrixXf *h2,
                           Eigen::MatrixXf *logits) const
{
    *h1 = ((x * m_w1).rowwise() + m_b1).cwiseMax(0.0f);
    *h2 = ((*h1 * m_w2).rowwise() + m_b2).cwiseMax(0.0f);
    if (logits)
        *logits = (*h2 * m_w3).rowwise() + m_b3;
}

bool ProbeNetwork::train(const FeatureView &view, const std::vector<int> &rows, const std::vector<int> &labels,
                         int classes, QString *error, const ProgressFn &progress, const std::atomic_bool *cancel)
{
    useSingleThreadedBlas(); // the same bits on any core count (job/BlasThreads.h)
    const Options &o = m_options;
    if (rows.empty() || classes < 2 || view.dims() == 0) {
        *error = QStringLiteral("the probe network needs labelled records of at least two classes");
        return false;
    }
    m_classes = classes;
    SplitMix64 rng(o.seed);
    initLayer(m_w1, m_b1, view.dims(), o.hidden, rng);
    initLayer(m_w2, m_b2, o.hidden, o.bottleneck, rng);
    initLayer(m_w3, m_b3, o.bottleneck, classes, rng);
    Moments<Eigen::MatrixXf> mw1, mw2, mw3;
    Moments<Eigen::RowVectorXf> mb1, mb2, mb3;
    mw1.init(m_w1), mw2.init(m_w2), mw3.init(m_w3), mb1.init(m_b1), mb2.init(m_b2), mb3.init(m_b3);

    const int n = int(rows.size());
    std::vector<int> order(static_cast<size_t>(n)), batchRows;
    std::iota(order.begin(), order.end(), 0);
    Eigen::MatrixXf x, h1, h2, z, dz, dh2, dh1;
    float b1t = 1, b2t = 1;
    const qint64 totalSteps = qint64(o.epochs) * ((n + o.batch - 1) / o.batch);
    qint64 step = 0;
    int64_t correct = 0, seen = 0;
    for (int epoch = 0; epoch < o.epochs; ++epoch) {
        for (int i = n - 1; i > 0; --i) // Fisher-Yates, seeded
            std::swap(order[size_t(i)], order[size_t(rng.below(uint64_t(i) + 1))]);
        correct = seen = 0;
        for (int first = 0; first < n; first += o.batch) {
            if (cancel && cancel->load()) {
                *error = cancelledMessage();
                return false;
            }
            const int count = std::min(o.batch, n - first);
            batchRows.resize(size_t(count));
            for (int i = 0; i < count; ++i)
                batchRows[size_t(i)] = rows[size_t(order[size_t(first + i)])];
            view.gather(batchRows.data(), count, &x);
            forward(x, &h1, &h2, &z);
            // softmax cross-entropy gradient: (p - y) / count
            dz.resize(count, classes);
            for (int i = 0; i < count; ++i) {
                const float top = z.row(i).maxCoeff();
                Eigen::RowVectorXf e = (z.row(i).array() - top).exp();
                e /= e.sum();
                const int y = labels[size_t(order[size_t(first + i)])];
                Eigen::Index best;
                e.maxCoeff(&best);
                correct += int(best) == y;
                e(y) -= 1.0f;
                dz.row(i) = e / float(count);
            }
            seen += count;
            const Eigen::MatrixXf gw3 = h2.transpose() * dz;
            const Eigen::RowVectorXf gb3 = dz.colwise().sum();
            dh2 = (dz * m_w3.transpose()).cwiseProduct((h2.array() > 0.0f).cast<float>().matrix());
            const Eigen::MatrixXf gw2 = h1.transpose() * dh2;
            const Eigen::RowVectorXf gb2 = dh2.colwise().sum();
            dh1 = (dh2 * m_w2.transpose()).cwiseProduct((h1.array() > 0.0f).cast<float>().matrix());
            const Eigen::MatrixXf gw1 = x.transpose() * dh1;
            const Eigen::RowVectorXf gb1 = dh1.colwise().sum();
            b1t *= 0.9f;
            b2t *= 0.999f;
            const float lr = float(o.learningRate), decay = float(o.weightDecay);
            mw1.step(m_w1, gw1, lr, b1t, b2t, decay);
            mw2.step(m_w2, gw2, lr, b1t, b2t, decay);
            mw3.step(m_w3, gw3, lr, b1t, b2t, decay);
            mb1.step(m_b1, gb1, lr, b1t, b2t, 0);
            mb2.step(m_b2, gb2, lr, b1t, b2t, 0);
            mb3.step(m_b3, gb3, lr, b1t, b2t, 0);
            if (progress && (++step % 32 == 0 || step == totalSteps))
                progress(step, totalSteps);
        }
    }
    m_accuracy = seen ? double(correct) / double(seen) : 0; // over the last epoch, while training
    return true;
}

Eigen::MatrixXf ProbeNetwork::embed(const Eigen::MatrixXf &x) const
{
    Eigen::MatrixXf h1, h2;
    forward(x, &h1, &h2, nullptr);
    return h2;
}

bool ProbeNetwork::embed(const FeatureView &view, Eigen::MatrixXf *out, const std::atomic_bool *cancel) const
{
    const int64_t n = view.rows();
    out->resize(n, m_options.bottleneck);
    Eigen::MatrixXf x;
    constexpr int kBlock = 4096;
    for (int64_t first = 0; first < n; first += kBlock) {
        if (cancel && cancel->load())
            return false;
        const int count = int(std::min<int64_t>(kBlock, n - first));
        view.gatherRange(first, count, &x);
        out->middleRows(first, count) = embed(x);
    }
    return true;
}

QString ProbeNetwork::describe(int inputs) const
{
    return QStringLiteral("probe MLP %1-%2-%3-%4, %5 epochs, seed %6, training accuracy %7")
        .arg(inputs)
        .arg(m_options.hidden)
        .arg(m_options.bottleneck)
        .arg(m_classes)
        .arg(m_options.epochs)
        .arg(m_options.seed)
        .arg(m_accuracy, 0, 'f', 3);
}

} // namespace custody
