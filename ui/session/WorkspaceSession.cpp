#include "session/WorkspaceSession.h"
#include "workflow/DefaultBaseline.h"

#include "storage/Workspace.h"
#include "workflow/OpenWorkspace.h"

namespace custody {

WorkspaceSession::WorkspaceSession(QObject *parent) : QObject(parent) { }

WorkspaceSession::~WorkspaceSession() = default;

bool WorkspaceSession::open(const QString &dir, QString *error)
{
    return adopt(openWorkspace(dir, error), error);
}

bool WorkspaceSession::create(const QString &dir, QString *error)
{
    return adopt(createWorkspace(dir, error), error);
}

bool WorkspaceSession::adopt(std::unique_ptr<Workspace> workspace, QString *error)
{
    if (!workspace)
        return false;
    QString e;
    QList<DatasetVersion> versions = workspace->versions(&e);
    if (!e.isEmpty()) {
        *error = e;
        return false;
    }
    if (m_workspace)
        close();
    m_workspace = std::move(workspace);
    m_versions = versions;
    Q_EMIT opened(m_workspace->path());
    Q_EMIT versionsChanged();
    return true;
}

void WorkspaceSession::close()
{
    if (!m_workspace)
        return;
    m_workspace.reset();
    m_versions.clear();
    setCurrentVersion(0);
    Q_EMIT closed();
}

void WorkspaceSession::setCurrentVersion(qint64 versionId)
{
    if (versionId == m_currentVersion)
        return;
    m_currentVersion = versionId;
    Q_EMIT currentVersionChanged(versionId);
}

bool WorkspaceSession::reload(QString *error)
{
    if (!m_workspace)
        return false;
    QString e;
    QList<DatasetVersion> versions = m_workspace->versions(&e);
    if (!e.isEmpty()) {
        *error = e;
        return false;
    }
    m_versions = versions;
    Q_EMIT versionsChanged();
    Q_EMIT ledgerChanged();
    return true;
}

QString WorkspaceSession::integrityProblem() const
{
    return m_workspace ? m_workspace->integrityProblem() : QString();
}

bool WorkspaceSession::isReadOnly() const
{
    return m_workspace && m_workspace->isReadOnly();
}

QString WorkspaceSession::path() const
{
    return m_workspace ? m_workspace->path() : QString();
}

std::optional<DatasetVersion> WorkspaceSession::findVersion(qint64 id) const
{
    for (const DatasetVersion &v : m_versions) {
        if (v.id == id)
            return v;
    }
    return std::nullopt;
}

std::optional<DatasetVersion> WorkspaceSession::findVersion(const VersionRef &ref) const
{
    for (const DatasetVersion &v : m_versions) {
        if (v.ref == ref)
            return v;
    }
    return std::nullopt;
}

QList<DatasetVersion> WorkspaceSession::versionsOf(const QString &dataset) const
{
    QList<DatasetVersion> out;
    for (const DatasetVersion &v : m_versions) {
        if (v.ref.dataset == dataset)
            out.append(v);
    }
    return out;
}

QStringList WorkspaceSession::datasets() const
{
    QStringList out;
    for (const DatasetVersion &v : m_versions) {
        if (!out.contains(v.ref.dataset))
            out.append(v.ref.dataset);
    }
    return out;
}

qint64 WorkspaceSession::baselineFor(qint64 versionId) const
{
    const std::optional<DatasetVersion> b = findVersion(versionId);
    const std::optional<VersionRef> parent = b ? defaultBaseline(*b) : std::nullopt;
    for (const DatasetVersion &v : m_versions)
        if (parent && v.ref == *parent)
            return v.id;
    return 0;
}

qint64 WorkspaceSession::comparisonFor(qint64 versionId) const
{
    if (const qint64 parent = baselineFor(versionId))
        return parent;
    const std::optional<DatasetVersion> b = findVersion(versionId);
    qint64 previous = 0;
    for (const DatasetVersion &v : m_versions)
        if (b && v.ref.dataset == b->ref.dataset && v.id < b->id)
            previous = v.id;
    return previous;
}

} // namespace custody
