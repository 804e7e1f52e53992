#pragma once

#include "job/Progress.h"

#include <QFutureWatcher>
#include <QObject>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <memory>
#include <type_traits>
#include <utility>

namespace custody {

// The one way the desktop runs work off the GUI thread, in the spirit of KeePassXC's runThenCallback and never
// a nested event loop. start() runs `work` on Qt's global pool with a Context (a Progress callback and a cancel
// flag); its result reaches `done` on the GUI thread. Each start() is a new generation: the result of a job
// that was superseded or abandoned, or whose owner was destroyed, is dropped, so a late answer never lands on
// a page that has moved on, and a worker outliving its page never touches it. `work` must only use what it
// captured by value (it opens its own Workspace from a path, never the GUI's connection).
class BackgroundJob : public QObject
{
    Q_OBJECT
public:
    struct Context
    {
        ProgressFn progress;
        const std::atomic_bool *cancel = nullptr;
        bool cancelled() const { return cancel && cancel->load(); }
    };

    // Progress reaches the GUI thread at most this often (and at every change of phase).
    static constexpr int kProgressIntervalMs = 50;

    explicit BackgroundJob(QObject *owner);
    // Cancels and abandons a running job; waits for it only when setWaitOnDestroy(true).
    ~BackgroundJob() override;

    // For work that must end before its owner does (an ingest or a demo build removing what it wrote on
    // cancel, a signature half-way): the destructor then cancels and waits for the running job.
    void setWaitOnDestroy(bool wait) { m_waitOnDestroy = wait; }

    template<typename Work, typename Done>
    void start(Work work, Done done)
    {
        using Result = std::invoke_result_t<Work, const Context &>;
        const quint64 generation = begin();
        auto *watcher = new QFutureWatcher<Result>(this);
        connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, done = std::move(done)] {
            watcher->deleteLater();
            if (generation != m_generation)
                return;
            setRunning(false);
            done(watcher->result());
        });
        QFuture<Result> future = QtConcurrent::run(
            [work = std::move(work), progress = reporter(generation), cancel = m_cancel]() mutable {
                return work(Context{progress, cancel.get()});
            });
        m_last = QFuture<void>(future);
        watcher->setFuture(future);
    }

    // "Reading records — 42%", or "Reading records…" when the total is not known.
    static QString describe(const QString &phase, qint64 done, qint64 total);

    // Asks the running job to stop; its (cancelled) result still arrives.
    void cancel();
    // Forgets the running job: whatever it delivers is dropped.
    void abandon();
    bool isRunning() const { return m_running; }
    bool isCancelling() const { return m_running && m_cancel && m_cancel->load(); }

Q_SIGNALS:
    void runningChanged(bool running);
    void progressed(const QString &phase, qint64 done, qint64 total);

private:
    struct Relay;
    quint64 begin();
    ProgressFn reporter(quint64 generation);
    void setRunning(bool running);

    std::shared_ptr<Relay> m_relay;
    std::shared_ptr<std::atomic_bool> m_cancel;
    QFuture<void> m_last;
    quint64 m_generation = 0;
    bool m_running = false;
    bool m_waitOnDestroy = false;
};

} // namespace custody
