#include "findings/ScanRunner.h"

#include "session/BackgroundJob.h"
#include "detection/ScanEngine.h"
#include "detection/ScanResult.h"
#include "workflow/ScanStore.h"
#include "storage/Workspace.h"
#include "workflow/OpenWorkspace.h"

namespace custody {

ScanRunner::ScanRunner(QObject *parent) : QObject(parent), m_job(new BackgroundJob(this))
{
    connect(m_job, &BackgroundJob::progressed, this, &ScanRunner::progressed);
}

ScanRunner::~ScanRunner() = default;

bool ScanRunner::isRunning() const
{
    return m_job->isRunning();
}

bool ScanRunner::scan(const QString &workspacePath, const DatasetVersion &batch,
                      const std::optional<DatasetVersion> &baseline, const ScanOptions &options)
{
    if (m_job->isRunning())
        return false;
    m_job->start(
        [workspacePath, batch, baseline, options](const BackgroundJob::Context &job) {
            Outcome out;
            const std::unique_ptr<Workspace> ws = openWorkspace(workspacePath, &out.error, Workspace::Access::ReadOnly);
            if (!ws)
                return out;
            ScanEngine engine(options);
            engine.setCancelFlag(job.cancel);
            engine.setProgress(job.progress);
            out.result = std::make_shared<ScanResult>();
            out.ok = engine.run(*ws, batch, baseline ? &*baseline : nullptr, out.result.get(), &out.error);
            out.cancelled = !out.ok && job.cancelled();
            return out;
        },
        [this](const Outcome &out) { finish(out); });
    return true;
}

void ScanRunner::loadLatest(const QString &workspacePath, const QString &version)
{
    m_job->start(
        [workspacePath, version](const BackgroundJob::Context &) {
            Outcome out;
            out.loading = true;
            const std::unique_ptr<Workspace> ws = openWorkspace(workspacePath, &out.error, Workspace::Access::ReadOnly);
            if (!ws)
                return out;
            out.result = std::make_shared<ScanResult>();
            out.ok = ScanStore(*ws).latest(version, out.result.get(), &out.error);
            return out;
        },
        [this](const Outcome &out) { finish(out); });
}

void ScanRunner::cancel()
{
    m_job->cancel();
}

void ScanRunner::abandon()
{
    m_job->abandon();
}

void ScanRunner::finish(const Outcome &out)
{
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
