#pragma once

#include "storage/Database.h"
#include "storage/DatasetVersion.h"
#include "storage/ObjectStore.h"

#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace custody {

// A folder holding custody.db (SQLite, WAL) and objects/ (content-addressed files). Opening never needs a
// network and never changes a database it does not recognise. One Workspace object is one connection: use
// it from one thread; open another for background work.
class Workspace
{
public:
    static constexpr int kSchemaVersion = 2;
    static constexpr int kApplicationId = 0x43555354; // "CUST"

    enum class Access { ReadOnly, ReadWrite };

    static std::unique_ptr<Workspace> create(const QString &dir, QString *error);
    static std::unique_ptr<Workspace> open(const QString &dir, QString *error, Access access = Access::ReadWrite);
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
    // Where remembered checkpoints live; tests point it elsewhere. Empty disables the check.
    static void setCheckpointDirectory(const QString &directory);
    static QString checkpointDirectory();

    QList<DatasetVersion> versions(QString *error);
    std::optional<DatasetVersion> version(const VersionRef &ref, QString *error);
    std::optional<DatasetVersion> versionById(qint64 id, QString *error);
    QList<VersionFile> files(qint64 versionId, QString *error);
    QStringList datasets(QString *error);

    // Deletes object files that no committed version references (left by a failed or cancelled ingest, or
    // a crash). Must run inside a write transaction so that no other ingest is writing objects meanwhile.
    int collectOrphanObjects();

private:
    Workspace() = default;
    bool checkAndMigrate(QString *error);
    bool backfillLedger(QString *error);
    void checkRememberedCheckpoint();
    bool readVersion(Statement &st, DatasetVersion *v, QString *error);

    QString m_dir;
    Access m_access = Access::ReadWrite;
    Database m_db;
    ObjectStore m_objects;
    QString m_integrityProblem;
};

} // namespace custody
