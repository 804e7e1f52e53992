#pragma once

#include "storage/Database.h"
#include "storage/DatasetVersion.h"
#include "storage/ObjectStore.h"

#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace custody {

class Workspace;

// What the layers above storage add to a workspace's life: their tables and migrations, a check when it opens,
// a step when it closes. Storage knows nothing of the ledger; the workflow layer supplies its lifecycle
// (workflow/OpenWorkspace.h), and every front end opens workspaces through it.
class WorkspaceLifecycle
{
public:
    virtual ~WorkspaceLifecycle() = default;
    // Inside the migration's transaction, right after storage's own step to `schema`.
    virtual bool migrated(Workspace &workspace, int schema, QString *error) = 0;
    // After a successful open or create, before the caller sees the workspace.
    virtual void opened(Workspace &workspace) = 0;
    // From the destructor, while the connection is still open.
    virtual void closing(Workspace &workspace) = 0;
};

// A folder holding custody.db (SQLite, WAL) and objects/ (content-addressed files). Opening never needs a
// network and never changes a database it does not recognise. One Workspace object is one connection: use
// it from one thread; open another for background work.
class Workspace
{
public:
    static constexpr int kSchemaVersion = 3;
    static constexpr int kApplicationId = 0x43555354; // "CUST"

    enum class Access { ReadOnly, ReadWrite };

    // Storage's half of opening: callers use openWorkspace() / createWorkspace() (workflow/OpenWorkspace.h),
    // which pass the ledger's lifecycle.
    static std::unique_ptr<Workspace> create(const QString &dir, std::shared_ptr<WorkspaceLifecycle> lifecycle,
                                             QString *error);
    static std::unique_ptr<Workspace> open(const QString &dir, std::shared_ptr<WorkspaceLifecycle> lifecycle,
                                           QString *error, Access access = Access::ReadWrite);
    static bool looksLikeWorkspace(const QString &dir);
    // A Custody workspace from an older schema, which opening it read-write upgrades (forward, one transaction).
    static bool needsUpgrade(const QString &dir);
    static QString databasePath(const QString &dir);

    QString path() const { return m_dir; }
    Database &db() { return m_db; }
    ObjectStore &objects() { return m_objects; }
    bool isReadOnly() const { return m_access == Access::ReadOnly; }
    ~Workspace();
    // Set when the ledger disagrees with the checkpoint this user remembered for the workspace (truncated,
    // rolled back or forked): the workspace was then opened read-only, and this says why.
    QString integrityProblem() const { return m_integrityProblem; }
    // For a lifecycle that found such a problem: keep looking, never write (the connection is reopened
    // read-only).
    // `untilVerified`: the problem is one a clean verify lifts (a write found the tables forged), so verify
    // does not count it as a problem of its own.
    void refuseWrites(const QString &problem, bool untilVerified = false);
    bool refusesWritesUntilVerified() const { return m_untilVerified; }
    // What opening noticed that needs no refusal but deserves a word (a copy of this workspace elsewhere).
    QStringList notices() const { return m_notices; }
    void addNotice(const QString &notice) { m_notices.append(notice); }

    // Triggers and views in the database: Custody creates none, so each was added by hand, and could change
    // what a write stores or a read sees ("trigger t", "view v"; empty when none, or the read failed).
    QStringList foreignSchemaObjects();

    QList<DatasetVersion> versions(QString *error);
    std::optional<DatasetVersion> version(const VersionRef &ref, QString *error);
    std::optional<DatasetVersion> versionById(qint64 id, QString *error);
    QList<VersionFile> files(qint64 versionId, QString *error);
    QStringList datasets(QString *error);

    // Deletes object files that no committed version references (left by a failed or cancelled ingest, or
    // a crash). Must run inside a write transaction so that no other ingest is writing objects meanwhile.
    int collectOrphanObjects();
    // Every object hash a version, a version's file, a record or a recorded detector scan names (one column;
    // a drift run stores no object).
    static const char *const kReferencedObjectsSql;

private:
    Workspace() = default;
    bool checkAndMigrate(QString *error);
    bool readVersion(Statement &st, DatasetVersion *v, QString *error);

    QString m_dir;
    Access m_access = Access::ReadWrite;
    Database m_db;
    ObjectStore m_objects;
    QString m_integrityProblem;
    QStringList m_notices;
    bool m_untilVerified = false;
    std::shared_ptr<WorkspaceLifecycle> m_lifecycle;
};

} // namespace custody
