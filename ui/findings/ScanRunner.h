#pragma once

#include "detection/ScanOptions.h"
#include "storage/DatasetVersion.h"

#include <QObject>

#include <memory>
#include <optional>

namespace custody {

class BackgroundJob;
struct ScanResult;

// Scans off the GUI thread, each on a worker with its own read-only connection: running the detectors over a
// batch against a baseline (minutes on a large image set: progress and cooperative cancel), or reading a
// version's latest recorded scan back. A newer load supersedes whatever runs (its outcome is dropped); a scan
// does not start while another job runs.
class ScanRunner : public QObject
{
    Q_OBJECT
public:
    explicit ScanRunner(QObject *parent = nullptr);
    ~ScanRunner() override; // cancels; a worker still running no longer reports into this object

    bool isRunning() const;
    // False while another job runs.
    bool scan(const QString &workspacePath, const DatasetVersion &batch, const std::optional<DatasetVersion> &baseline,
              const ScanOptions &options = {});
    // A running load or scan is abandoned first.
    void loadLatest(const QString &workspacePath, const QString &version);
    void cancel();
    // Drops the outcome of whatever runs now (another version was chosen) and asks it to stop.
    void abandon();

Q_SIGNALS:
    void progressed(const QString &phase, qint64 done, qint64 total);
    void scanned(std::shared_ptr<const ScanResult> result);
    void loaded(std::shared_ptr<const ScanResult> result);
    // No recorded scan could be read back (none yet, or a damaged one): the core's sentence.
    void notLoaded(const QString &message);
    void failed(const QString &message);
    void cancelled();

private:
    struct Outcome
    {
        bool loading = false;
        bool ok = false;
        bool cancelled = false;
        std::shared_ptr<ScanResult> result;
        QString error;
    };
    void finish(const Outcome &out);

    BackgroundJob *m_job;
};

} // namespace custody
