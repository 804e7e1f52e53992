#pragma once

#include <Eigen/Core>

#include <QString>

#include <atomic>
#include <functional>
#include <vector>

namespace custody {

class FeatureView;

// A small multilayer perceptron (input -> hidden -> bottleneck -> classes, ReLU, softmax cross-entropy, Adam)
// trained by Custody on the version itself, so that detectors can look at what a model learns from it: the
// bottleneck activations are the representation. Seeded and deterministic: He initialisation and the epoch
// shuffles come from SplitMix64; training is single-threaded in Eigen.
class ProbeNetwork
{
public:
    struct Options
    {
        int hidden = 128;
        int bottleneck = 32;
        int epochs = 4;
        int batch = 128;
        double learningRate = 1e-3;
        double weightDecay = 1e-4;
        quint64 seed = 20261125;
    };
    using ProgressFn = std::function<void(qint64 done, qint64 total)>;

    explicit ProbeNetwork(Options options) : m_options(options) { }

    // labels[i] is the class (0..classes-1) of view row rows[i].
    bool train(const FeatureView &view, const std::vector<int> &rows, const std::vector<int> &labels, int classes,
               QString *error, const ProgressFn &progress = {}, const std::atomic_bool *cancel = nullptr);
    // Bottleneck activations of every row of `view`: rows x bottleneck.
    bool embed(const FeatureView &view, Eigen::MatrixXf *out, const std::atomic_bool *cancel = nullptr) const;
    Eigen::MatrixXf embed(const Eigen::MatrixXf &x) const;
    double trainingAccuracy() const { return m_accuracy; }
    QString describe(int inputs) const;

private:
    void forward(const Eigen::MatrixXf &x, Eigen::MatrixXf *h1, Eigen::MatrixXf *h2, Eigen::MatrixXf *logits) const;

    Options m_options;
    int m_classes = 0;
    Eigen::MatrixXf m_w1, m_w2, m_w3;
    Eigen::RowVectorXf m_b1, m_b2, m_b3;
    double m_accuracy = 0;
};

} // namespace custody
