#include "ScanRunner.h"

#include "JobProgress.h"
#include "detection/ScanEngine.h"
#include "detection/ScanResult.h"
#include "workflow/ScanStore.h"
#include "storage/Workspace.h"
#include "workflow/OpenWorkspace.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#include <utility>

namespace custody {

ScanRunner::ScanRunner(QObject *parent) : QObject(parent), m_progress(new JobProgress(this))
{
    connect(m_progress, &JobProgress::progressed, this, [this](const QString &phase, qint64 done, qint64 total) {
        if (m_running)
            Q_EMIT progressed(phase, done, total);
    });
}

ScanRunner::~ScanRunner()
{
    if (m_cancel)
        *m_cancel = true;
    m_future.waitForFinished();
}

void ScanRunner::start(QFuture<Outcome> future)
{
    auto *watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcher<Outcome>::finished, this, [this, watcher] {
        watcher->deleteLater();
        finish(watcher->result());
    });
    m_future = future;
    watcher->setFuture(future);
}

bool ScanRunner::scan(const QString &workspacePath, const DatasetVersion &batch,
                      const std::optional<DatasetVersion> &baseline, const ScanOptions &options)
{
    if (m_running)
        return false;
    m_running = true;
    m_cancel = std::make_shared<std::atomic_bool>(false);
    const quint64 generation = ++m_generation;
    const ProgressFn reporter = m_progress->reporter();
    start(QtConcurrent::run([workspacePath, batch, baseline, options, generation, cancel = m_cancel, reporter] {
        Outcome out;
        out.generation = generation;
        const std::unique_ptr<Workspace> ws = openWorkspace(workspacePath, &out.error, Workspace::Access::ReadOnly);
        if (!ws)
            return out;
        ScanEngine engine(options);
        engine.setCancelFlag(cancel.get());
        engine.setProgress(reporter);
        out.result = std::make_shared<ScanResult>();
        out.ok = engine.run(*ws, batch, baseline ? &*baseline : nullptr, out.result.get(), &out.error);
        out.cancelled = !out.ok && cancel->load();
        return out;
    }));
    return true;
}

void ScanRunner::loadLatest(const QString &workspacePath, const QString &version)
{
    if (m_running) {
        abandon();
        m_pendingLoad = std::pair{workspacePath, version};
        return;
    }
    startLoad(workspacePath, version);
}

void ScanRunner::startLoad(const QString &workspacePath, const QString &version)
{
    m_running = true;
    m_cancel = std::make_shared<std::atomic_bool>(false);
    const quint64 generation = ++m_generation;
    start(QtConcurrent::run([workspacePath, version, generation] {
        Outcome out;
        out.generation = generation;
        out.loading = true;
        const std::unique_ptr<Workspace> ws = openWorkspace(workspacePath, &out.error, Workspace::Access::ReadOnly);
        if (!ws)
            return out;
        out.result = std::make_shared<ScanResult>();
        out.ok = ScanStore(*ws).latest(version, out.result.get(), &out.error);
        return out;
    }));
}

void ScanRunner::cancel()
{
    if (m_running && m_cancel)
        *m_cancel = true;
}

void ScanRunner::abandon()
{
    cancel();
    ++m_generation;
    m_pendingLoad.reset();
}

void ScanRunner::finish(const Outcome &out)
{
    m_running = false;
    if (out.generation != m_generation) { // abandoned: its version is no longer on screen
        if (const auto next = std::exchange(m_pendingLoad, std::nullopt))
            startLoad(next->first, next->second);
        return;
    }
    if (out.loading) {
        if (out.ok)
            Q_EMIT loaded(out.result);
        else
            Q_EMIT notLoaded(out.error);
    } else if (out.cancelled) {
        Q_EMIT cancelled();
    } else if (out.ok) {
        Q_EMIT scanned(out.result);
    } else {
        Q_EMIT failed(out.error);
    }
}

} // namespace custody
