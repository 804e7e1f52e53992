#pragma once

#include "ledger/Ledger.h"
#include "storage/DatasetVersion.h"

#include <QJsonArray>
#include <QMap>
#include <QStringList>

#include <functional>

namespace custody {

class PublicKey;
class SigningKey;
class Workspace;

struct ReleaseResult
{
    qint64 versionId = 0;
    QString version; // NAME@LABEL of the released version
    Digest digest{};
    qint64 recordCount = 0;
    QByteArray attestation; // DSSE envelope JSON holding the in-toto Statement
};

// What one signed decision event sets on a record: keep | exclude | relabel (with label) | clear (withdraws).
struct DecisionChange
{
    QString record;
    QString action;
    QString label;
    QString note;

    bool operator==(const DecisionChange &) const = default;
};

// What a person sees before signing: the batch, how it was decided and by whom, and where the policy stands.
struct BatchSummary
{
    QString version;
    BatchStatus status;
    QString currentDigest; // the batch digest as it is now (binds version and decisions)
    int keep = 0, exclude = 0, relabel = 0;
    QMap<QString, int> decisionsByActor; // principal name -> decisions taken
    QList<Approval> approvals;
    int approvalsRequired = 0;
    QStringList mayApprove;             // names of principals who may still approve
    QMap<QString, QString> mayNotApprove; // name -> the rule that stops them
};

// The sign-off workflow of a signed workspace: each call is one signed ledger event, checked by the Policy in
// the core (a UI or script cannot get around it). Every refusal names its rule.
class SignOff
{
public:
    static constexpr int kDefaultApprovals = 2;
    explicit SignOff(Workspace &workspace) : m_ws(workspace), m_ledger(workspace) { }

    // Writes the genesis event: fixes the policy and registers the admin. On a workspace with unsigned history
    // it adopts it: the genesis commits to the Merkle root of the events already present.
    bool makeSigned(const QString &adminName, const SigningKey &admin, int approvalsRequired, QString *error);
    bool addPrincipal(const SigningKey &admin, const QString &name, const PublicKey &key, const QStringList &roles,
                      QString *error);
    bool changeRoles(const SigningKey &admin, const QString &name, const QStringList &roles, QString *error);
    bool revokePrincipal(const SigningKey &admin, const QString &name, QString *error);
    // action: keep | exclude | relabel | clear (withdraws the record's decision); label for relabel.
    bool decide(const SigningKey &curator, const VersionRef &version, const QString &recordId, const QString &action,
                const QString &label, const QString &note, QString *error);
    // Decisions on many records at once, one signed event per record, all in one transaction: either every event
    // lands or none does (a refusal, a failure or a crash part way leaves the ledger as it was). `progress` is
    // told how many events are appended so far (still uncommitted).
    bool decideAll(const SigningKey &curator, const VersionRef &version, const QList<DecisionChange> &changes,
                   QString *error, const std::function<void(int done)> &progress = {});
    bool submit(const SigningKey &curator, const VersionRef &version, QString *error);
    bool approve(const SigningKey &approver, const VersionRef &version, QString *error);
    bool veto(const SigningKey &approver, const VersionRef &version, const QString &reason, QString *error);
    bool release(const SigningKey &curator, const VersionRef &batch, const QString &newLabel, ReleaseResult *result,
                 QString *error);

    // Gives a copy of a workspace its own identity (a new workspace id), so that it and the original stop being
    // one workspace in two places: a workspace.adopted event signed by an admin (unsigned in an unsigned
    // workspace) that commits to the ledger so far. *newId receives the new identity.
    bool adoptCopy(const SigningKey *admin, QString *newId, QString *error);

    // An analyst declares `version` the trusted state of its dataset again (incident response), with a reason.
    bool rollBack(const SigningKey &analyst, const VersionRef &version, const QString &reason, QString *error);

    BatchSummary summary(const VersionRef &version);
    Ledger &ledger() { return m_ledger; }
    Refusal lastRefusal() const { return m_refusal; }

    static QStringList knownRoles();

private:
    bool record(const QString &type, const QJsonObject &body, const SigningKey &signer, QString *error);
    bool refuse(const char *rule, const QString &message, QString *error);
    // One signed write in its own write transaction, committed (and the verified replay kept) when `work` succeeds.
    bool inTransaction(const std::function<bool()> &work, QString *error);
    bool releaseInTransaction(const SigningKey &curator, const VersionRef &batch, const QString &newLabel,
                              ReleaseResult *result, QString *error);
    // The verified state, after re-hashing the batch's records and pack against the digest it recorded.
    StateStore *verifiedBatch(const VersionRef &version, QString *error);
    Workspace &m_ws;
    Ledger m_ledger;
    Refusal m_refusal;
};

} // namespace custody
