#pragma once

#include "detection/ScanOptions.h"
#include "storage/DatasetVersion.h"

#include <QFuture>
#include <QObject>

#include <atomic>
#include <memory>
#include <optional>

namespace custody {

class JobProgress;
struct ScanResult;

// Scans off the GUI thread, each on a worker with its own read-only connection: running the detectors over a
// batch against a baseline (minutes on a large image set: progress and cooperative cancel), or reading a
// version's latest recorded scan back. One job at a time; a newer job makes an older one's outcome stale.
class ScanRunner : public QObject
{
    Q_OBJECT
public:
    explicit ScanRunner(QObject *parent = nullptr);
    ~ScanRunner() override; // cancels and waits: the worker reports into this object

    bool isRunning() const { return m_running; }
    // False while another job runs.
    bool scan(const QString &workspacePath, const DatasetVersion &batch, const std::optional<DatasetVersion> &baseline,
              const ScanOptions &options = {});
    // While a job runs this one waits for it (a running load or scan is abandoned first).
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
        quint64 generation = 0;
        bool loading = false;
        bool ok = false;
        bool cancelled = false;
        std::shared_ptr<ScanResult> result;
        QString error;
    };
    void start(QFuture<Outcome> future);
    void finish(const Outcome &out);

    void startLoad(const QString &workspacePath, const QString &version);

    JobProgress *m_progress;
    std::optional<std::pair<QString, QString>> m_pendingLoad; // workspace path, version
    std::shared_ptr<std::atomic_bool> m_cancel;
    QFuture<Outcome> m_future;
    quint64 m_generation = 0;
    bool m_running = false;
};

} // namespace custody
