#pragma once

#include <Eigen/Core>

#include <QString>

#include <atomic>
#include <functional>

namespace custody {

// A neighbourhood-preserving 2-D projection for the cluster plot: t-SNE (van der Maaten and Hinton 2008) on a
// seeded subsample of at most `maxExact` rows with exact gradients, every other row placed at the
// distance-weighted mean of its nearest subsample rows in the input space. Deterministic for a seed.
struct TsneOptions
{
    int maxExact = 3000;
    double perplexity = 30;
    int iterations = 750;
    int placementNeighbours = 5;
    quint64 seed = 20261125;
};

class Tsne
{
public:
    using ProgressFn = std::function<void(qint64 done, qint64 total)>;
    explicit Tsne(TsneOptions options = {}) : m_options(options) { }
    void setProgress(ProgressFn progress) { m_progress = std::move(progress); }
    void setCancelFlag(const std::atomic_bool *cancel) { m_cancel = cancel; }

    // `input` is rows x dims (a representation, already reduced). Returns rows x 2, or false on cancel.
    bool project(const Eigen::MatrixXf &input, Eigen::MatrixXf *out, QString *error);

private:
    TsneOptions m_options;
    ProgressFn m_progress;
    const std::atomic_bool *m_cancel = nullptr;
};

} // namespace custody
