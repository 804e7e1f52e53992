#pragma once

#include "storage/Ingest.h"

#include <QObject>

namespace custody {

// Carries progress from a worker thread to the GUI thread as a queued signal, at most every
// kIntervalMs (and at every phase change), so a job that reports every record cannot flood the event loop.
class JobProgress : public QObject
{
    Q_OBJECT
public:
    static constexpr int kIntervalMs = 50;

    explicit JobProgress(QObject *parent = nullptr);

    // A callback for one job, to be called from that job's worker thread. The JobProgress must outlive it.
    ProgressFn reporter();

    // "Reading records — 42%"
    static QString describe(const QString &phase, qint64 done, qint64 total);

Q_SIGNALS:
    void progressed(const QString &phase, qint64 done, qint64 total);
};

} // namespace custody
