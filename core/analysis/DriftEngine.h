#pragma once

#include "job/Progress.h"
#include "analysis/DriftReport.h"
#include "storage/DatasetVersion.h"

#include <atomic>
#include <functional>
#include <memory>

namespace custody {

class Workspace;

// Compares a batch version against a baseline version: integrity checks, per-feature drift with BH-adjusted
// p-values, label drift, class-conditional drift per (feature, label) with per-class pixel maps for images,
// representation drift (MMD) when both have embeddings, and the dataset verdict (docs/drift.md).
//
// Statistics are exact: each sample is decoded once into column arrays and every column is sorted (radix
// sort), features are tested in parallel on the global thread pool. Meant for a worker thread: run() with a
// folder opens its own read-only Workspace. `progress` is called from the calling thread; `cancel` is
// checked between phases and between blocks of features ("cancelled" error).
class DriftEngine
{
public:
    explicit DriftEngine(DriftOptions options = {});
    void setProgress(ProgressFn progress) { m_progress = std::move(progress); }
    void setCancelFlag(const std::atomic_bool *cancel) { m_cancel = cancel; }
    const DriftOptions &options() const { return m_options; }

    bool run(const QString &workspaceDir, const VersionRef &baseline, const VersionRef &batch, DriftReport *report,
             QString *error);
    bool run(Workspace &workspace, const DatasetVersion &baseline, const DatasetVersion &batch, DriftReport *report,
             QString *error);
    // From samples already in memory (a benchmark, a merged shard, a test).
    bool compare(std::shared_ptr<const DriftSample> baseline, std::shared_ptr<const DriftSample> batch,
                 DriftReport *report, QString *error);

private:
    bool cancelled(QString *error) const;
    void report(const QString &phase, qint64 done, qint64 total) const;

    DriftOptions m_options;
    ProgressFn m_progress;
    const std::atomic_bool *m_cancel = nullptr;
};

} // namespace custody
