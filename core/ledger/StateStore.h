#pragma once

#include "ledger/LedgerEvent.h"

#include <QList>
#include <QStringList>

#include <optional>

namespace custody {

class Database;

struct Principal
{
    QString keyId;
    QString name;
    QString publicKeyPem;
    QStringList roles;
    qint64 addedSeq = 0;
    qint64 revokedSeq = 0; // 0 while active
    bool isActive() const { return revokedSeq == 0; }
    bool hasRole(const QString &role) const { return roles.contains(role); }
};

struct Decision
{
    QString recordId;
    QString action; // keep | exclude | relabel
    QString label;  // relabel: the new label
    QString note;
    QString actor;  // key id
    qint64 seq = 0;
};

struct BatchStatus
{
    QString state = QStringLiteral("open"); // open | submitted | vetoed | released
    QString digest;      // batch digest at submission (hex)
    QString submittedBy; // key id
    QString vetoedBy;
    QString vetoReason;
};

struct Approval
{
    QString actor;
    QString batchDigest;
    qint64 seq = 0;
    QString time;
};

// The state a person sees (principals, policy, decisions, batches, approvals, releases), kept in tables that
// are derived from ledger events. apply() is the only code that changes them: appending an event applies it
// here, and verify replays every event into an empty in-memory copy and compares the two.
class StateStore
{
public:
    explicit StateStore(Database &db) : m_db(db) { }
    static const char *schemaSql(); // the derived tables, for a migration or an in-memory replay
    static const char *involvedSql(); // the one table schema 3 added (CREATE TABLE IF NOT EXISTS)
    static QStringList tableNames();
    // The rows of one derived table (of one version's, for the per-version tables, when `version` is given) in
    // a fixed order, as text, so that two databases can be compared cell by cell.
    static QStringList tableRows(Database &db, const QString &table, const QString &version = QString());
    // A sentence naming the first row where `stored` and `replayed` differ; empty when they are equal.
    static QString firstDifference(const QString &table, const QStringList &stored, const QStringList &replayed);

    bool apply(const LedgerEvent &event, QString *error) { return apply(event, event.body(), error); }
    bool apply(const LedgerEvent &event, const QJsonObject &body, QString *error); // body already parsed

    bool isSigned();
    int approvalsRequired();
    std::optional<Principal> principalByKey(const QString &keyId);
    std::optional<Principal> principalByName(const QString &name);
    QList<Principal> principals();
    std::optional<QString> ingestedDigest(const QString &version); // hex, for versions the ledger knows
    BatchStatus batch(const QString &version);
    QList<Decision> decisions(const QString &version);
    // Whether `actor` (a key id) ever ingested, decided on or submitted `version`.
    bool involved(const QString &version, const QString &actor);
    QList<Approval> approvals(const QString &version);
    std::optional<QByteArray> attestation(const QString &releasedVersion);
    std::optional<QString> releasedFrom(const QString &releasedVersion); // the batch it was released from
    // The version an analyst last rolled `dataset` back to (its trusted head), if any.
    std::optional<QString> rolledBackTo(const QString &dataset);

    // SHA-256("custody.batch.v1" 0 || version digest || each decision in record-id order): what approvals bind.
    std::optional<QString> currentBatchDigest(const QString &version);

private:
    bool exec(const char *sql, std::initializer_list<QVariant> args, QString *error);
    Database &m_db;
};

} // namespace custody
