#pragma once

#include "job/Progress.h"
#include "detection/ScanOptions.h"
#include "detection/ScanResult.h"
#include "storage/DatasetVersion.h"

#include <Eigen/Core>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace custody {

class Workspace;
struct DriftSample;

// Runs the poisoning detectors over a batch version against a baseline (docs/detection.md): reads both once,
// works out what changed, builds the representation (embeddings, probe network or PCA), runs each detector,
// calibrates every threshold on the baseline, merges the scores into one ranking, localises triggers and
// projects to 2-D. Meant for a worker thread; `cancel` is checked often ("cancelled" error).
class ScanEngine
{
public:
    explicit ScanEngine(ScanOptions options = {});
    void setProgress(ProgressFn progress) { m_progress = std::move(progress); }
    void setCancelFlag(const std::atomic_bool *cancel) { m_cancel = cancel; }
    // Called once with the representation of both samples (rows x dims; baseline empty without one), for the
    // benchmark's side-by-side reference run.
    using RepresentationSink = std::function<void(const Eigen::MatrixXf &batch, const Eigen::MatrixXf &baseline)>;
    void setRepresentationSink(RepresentationSink sink) { m_sink = std::move(sink); }
    const ScanOptions &options() const { return m_options; }

    // Why `baseline` cannot serve as `batch`'s known-good reference (it is the batch itself, or derived from
    // it); empty when it can. run() refuses such a pair; the desktop uses it to say so before a scan starts.
    static QString baselineProblem(Workspace &workspace, const DatasetVersion &batch, const DatasetVersion &baseline);
    // `baseline` may be null (a first version: single-dataset detectors only).
    bool run(Workspace &workspace, const DatasetVersion &batch, const DatasetVersion *baseline, ScanResult *result,
             QString *error);
    // From samples in memory (benchmark, tests). `baseline` may be null.
    bool scan(std::shared_ptr<const DriftSample> batch, std::shared_ptr<const DriftSample> baseline,
              ScanResult *result, QString *error);

private:
    bool cancelled(QString *error) const;
    void report(const QString &phase, qint64 done, qint64 total) const;

    ScanOptions m_options;
    ProgressFn m_progress;
    const std::atomic_bool *m_cancel = nullptr;
    RepresentationSink m_sink;
};

} // namespace custody
