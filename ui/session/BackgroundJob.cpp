#include "session/BackgroundJob.h"

#include <QElapsedTimer>

#include <mutex>

namespace custody {

// Shared by the job object and its workers: a worker posts progress only while the job object is alive (the
// destructor clears `job` under the mutex, and Qt drops events posted to an object that is then deleted).
struct BackgroundJob::Relay
{
    std::mutex mutex;
    BackgroundJob *job = nullptr;
};

BackgroundJob::BackgroundJob(QObject *owner) : QObject(owner), m_relay(std::make_shared<Relay>())
{
    m_relay->job = this;
}

BackgroundJob::~BackgroundJob()
{
    {
        const std::lock_guard<std::mutex> lock(m_relay->mutex);
        m_relay->job = nullptr;
    }
    if (m_cancel)
        *m_cancel = true;
    if (m_waitOnDestroy)
        m_last.waitForFinished();
}

quint64 BackgroundJob::begin()
{
    if (m_cancel)
        *m_cancel = true; // a superseded job stops early; its result is dropped anyway
    m_cancel = std::make_shared<std::atomic_bool>(false);
    setRunning(true);
    return ++m_generation;
}

ProgressFn BackgroundJob::reporter(quint64 generation)
{
    struct Throttle
    {
        QElapsedTimer clock;
        QString phase;
    };
    auto throttle = std::make_shared<Throttle>();
    return [relay = m_relay, generation, throttle](const Progress &p) {
        const bool newPhase = p.phase != throttle->phase;
        if (!newPhase && throttle->clock.isValid() && throttle->clock.elapsed() < kProgressIntervalMs && p.done != p.total)
            return;
        throttle->phase = p.phase;
        throttle->clock.start();
        const std::lock_guard<std::mutex> lock(relay->mutex);
        if (BackgroundJob *job = relay->job) {
            QMetaObject::invokeMethod(job, [job, generation, p] {
                if (generation == job->m_generation && job->m_running)
                    Q_EMIT job->progressed(p.phase, p.done, p.total);
            }, Qt::QueuedConnection);
        }
    };
}

QString BackgroundJob::describe(const QString &phase, qint64 done, qint64 total)
{
    if (total <= 0)
        return phase + QStringLiteral("…");
    // Totals are bytes for some sources and records for others: a share reads the same for both.
    return tr("%1 — %2%").arg(phase).arg(qBound(qint64(0), done * 100 / total, qint64(100)));
}

void BackgroundJob::cancel()
{
    if (m_running && m_cancel)
        *m_cancel = true;
}

void BackgroundJob::abandon()
{
    ++m_generation;
    if (m_cancel)
        *m_cancel = true;
    setRunning(false);
}

void BackgroundJob::setRunning(bool running)
{
    if (m_running == running)
        return;
    m_running = running;
    Q_EMIT runningChanged(running);
}

} // namespace custody
