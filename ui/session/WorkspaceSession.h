#pragma once

#include "storage/DatasetVersion.h"

#include <QList>
#include <QObject>
#include <QStringList>

#include <memory>
#include <optional>

namespace custody {

class Workspace;

// The workspace open in a window: its GUI-thread connection and the versions it holds. Pages read from it
// and listen to it; background jobs only take its path and open their own connection.
class WorkspaceSession : public QObject
{
    Q_OBJECT
public:
    explicit WorkspaceSession(QObject *parent = nullptr);
    ~WorkspaceSession() override;

    bool open(const QString &dir, QString *error);
    bool create(const QString &dir, QString *error);
    void close();
    // Re-reads the versions (after an ingest, or F5 when another process changed the workspace).
    bool reload(QString *error);

    bool isOpen() const { return m_workspace != nullptr; }
    // The baseline a scan or drift run of the version uses when nobody names one: the core's rule
    // (defaultBaseline: its parent), the same as the command line's; 0 when it has none.
    qint64 baselineFor(qint64 versionId) const;
    // What the Compare page shows a version against at first: its parent, else the last version made before it in
    // the same dataset (0 when there is none). A view's convenience, never a baseline.
    qint64 comparisonFor(qint64 versionId) const;
    QString path() const;
    Workspace *workspace() const { return m_workspace.get(); }
    // Set when the ledger failed the check against this user's remembered checkpoint: the workspace was then
    // opened read-only and every action that writes must stay disabled.
    QString integrityProblem() const;
    bool isReadOnly() const;

    // A signed step (or another process, seen at reload) appended ledger events: pages showing them re-read.
    void notifyLedgerChanged() { Q_EMIT ledgerChanged(); }

    const QList<DatasetVersion> &versions() const { return m_versions; }
    std::optional<DatasetVersion> findVersion(qint64 id) const;
    std::optional<DatasetVersion> findVersion(const VersionRef &ref) const;
    QList<DatasetVersion> versionsOf(const QString &dataset) const;
    QStringList datasets() const;

    // The version a person is looking at (chosen on the Versions page): pages that open on a version start
    // there. 0 for none; cleared when the workspace closes.
    qint64 currentVersionId() const { return m_currentVersion; }
    void setCurrentVersion(qint64 versionId);

Q_SIGNALS:
    void currentVersionChanged(qint64 versionId);
    void opened(const QString &path);
    void closed();
    void versionsChanged();
    void ledgerChanged();

private:
    bool adopt(std::unique_ptr<Workspace> workspace, QString *error);

    std::unique_ptr<Workspace> m_workspace;
    QList<DatasetVersion> m_versions;
    qint64 m_currentVersion = 0;
};

} // namespace custody
