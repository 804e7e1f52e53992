#include "ledger/SignOff.h"
#include "identity/KeyStore.h"

#include "identity/SigningKey.h"
#include "ledger/CheckpointStore.h"
#include "ledger/Release.h"
#include "storage/Database.h"
#include "ledger/VersionTrust.h"
#include "storage/Workspace.h"

namespace custody {

QStringList SignOff::knownRoles()
{
    return {QStringLiteral("admin"), QStringLiteral("curator"), QStringLiteral("approver"), QStringLiteral("analyst")};
}

bool SignOff::record(const QString &type, const QJsonObject &body, const SigningKey &signer, QString *error)
{
    m_refusal = Refusal();
    return m_ledger.commit(type, body, &signer, nullptr, error, &m_refusal);
}

namespace {

// A principal's name is printed in every log, refusal and attestation: the key store's rule for key names.
bool validPrincipalName(const QString &name, QString *error)
{
    if (KeyStore::isValidName(name))
        return true;
    *error = QStringLiteral("'%1' is not a valid principal name (1 to 64 letters, digits, '.', '_' or '-')").arg(name);
    return false;
}

} // namespace

bool SignOff::makeSigned(const QString &adminName, const SigningKey &admin, int approvalsRequired, QString *error)
{
    if (!validPrincipalName(adminName, error))
        return false;
    if (approvalsRequired < 1) {
        *error = QStringLiteral("a release needs at least one approval");
        return false;
    }
    const auto size = m_ledger.size(error);
    const auto root = size ? m_ledger.root(*size, error) : std::nullopt;
    if (!root)
        return false;
    QJsonObject body{
        {QStringLiteral("policy"), QJsonObject{{QStringLiteral("approvals_required"), approvalsRequired}}},
        {QStringLiteral("admin"), QJsonObject{{QStringLiteral("name"), adminName}, {QStringLiteral("key_id"), admin.keyId()},
                                              {QStringLiteral("public_key"), QString::fromLatin1(admin.publicKeyPem())}}},
        {QStringLiteral("adopts"), QJsonObject{{QStringLiteral("tree_size"), *size}, {QStringLiteral("root"), toHex(*root)}}},
    };
    return record(EventType::Genesis, body, admin, error);
}

namespace {
// Known roles, at least one, each once (a repeated role is a typo the signed event would keep forever).
bool validRoles(const QStringList &roles, QString *error)
{
    if (roles.isEmpty()) {
        *error = QStringLiteral("a principal needs at least one role (roles: %1)").arg(SignOff::knownRoles().join(QStringLiteral(", ")));
        return false;
    }
    for (qsizetype i = 0; i < roles.size(); ++i) {
        if (!SignOff::knownRoles().contains(roles[i])) {
            *error = QStringLiteral("unknown role '%1' (roles: %2)").arg(roles[i], SignOff::knownRoles().join(QStringLiteral(", ")));
            return false;
        }
        if (roles.indexOf(roles[i]) != i) {
            *error = QStringLiteral("the role '%1' is given twice").arg(roles[i]);
            return false;
        }
    }
    return true;
}
} // namespace

bool SignOff::addPrincipal(const SigningKey &admin, const QString &name, const PublicKey &key, const QStringList &roles,
                           QString *error)
{
    if (!validPrincipalName(name, error) || !validRoles(roles, error))
        return false;
    return record(EventType::PrincipalAdded,
                  QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("key_id"), key.keyId()},
                              {QStringLiteral("public_key"), QString::fromLatin1(key.pem())},
                              {QStringLiteral("roles"), QJsonArray::fromStringList(roles)}},
                  admin, error);
}

bool SignOff::changeRoles(const SigningKey &admin, const QString &name, const QStringList &roles, QString *error)
{
    if (!validRoles(roles, error))
        return false;
    const auto p = m_ledger.state().principalByName(name);
    if (!p) {
        *error = QStringLiteral("no principal named '%1'").arg(name);
        return false;
    }
    return record(EventType::PrincipalRolesChanged,
                  QJsonObject{{QStringLiteral("key_id"), p->keyId}, {QStringLiteral("roles"), QJsonArray::fromStringList(roles)}},
                  admin, error);
}

bool SignOff::revokePrincipal(const SigningKey &admin, const QString &name, QString *error)
{
    const auto p = m_ledger.state().principalByName(name);
    if (!p) {
        *error = QStringLiteral("no principal named '%1'").arg(name);
        return false;
    }
    return record(EventType::PrincipalRevoked, QJsonObject{{QStringLiteral("key_id"), p->keyId}}, admin, error);
}

bool SignOff::decide(const SigningKey &curator, const VersionRef &version, const QString &recordId, const QString &action,
                     const QString &label, const QString &note, QString *error)
{
    return decideAll(curator, version, {DecisionChange{recordId, action, label, note}}, error);
}

bool SignOff::decideAll(const SigningKey &curator, const VersionRef &version, const QList<DecisionChange> &changes,
                        QString *error, const std::function<void(int done)> &progress)
{
    static const QStringList actions{QStringLiteral("keep"), QStringLiteral("exclude"), QStringLiteral("relabel"), QStringLiteral("clear")};
    m_refusal = Refusal();
    for (const DecisionChange &c : changes) {
        if (!actions.contains(c.action)) {
            *error = QStringLiteral("unknown decision '%1' (keep, exclude, relabel:LABEL or clear)").arg(c.action);
            return false;
        }
        if (c.action == QLatin1String("relabel") && c.label.trimmed().isEmpty()) {
            *error = QStringLiteral("relabel needs the new label (relabel:LABEL)");
            return false;
        }
        // ' cat' would be a new class beside 'cat' that no one can see on screen.
        if (c.action == QLatin1String("relabel") && c.label.trimmed() != c.label) {
            *error = QStringLiteral("the new label '%1' begins or ends with white space").arg(c.label);
            return false;
        }
    }
    if (m_ws.isReadOnly()) {
        *error = QStringLiteral("the workspace is open read-only");
        return false;
    }
    // One transaction for all of them: a failure, a refusal or a crash part way leaves none of the events.
    Transaction tx(m_ws.db());
    if (!tx.begin(error))
        return false;
    const auto v = m_ws.version(version, error);
    if (!v)
        return false;
    // The records decided on must be the version's as the ledger recorded it (not rows added by SQL).
    if (!versionsHoldForWrite(m_ws, m_ledger, {version.toString()}, false, error, &m_refusal))
        return false;
    Statement exists(m_ws.db(), "SELECT 1 FROM record WHERE version_id = ?1 AND record_id = ?2");
    Statement decided(m_ws.db(), "SELECT 1 FROM decision WHERE version = ?1 AND record_id = ?2");
    int done = 0;
    for (const DecisionChange &c : changes) {
        exists.reset();
        decided.reset();
        // A decision on a record the version does not hold can still be withdrawn (it may predate this check).
        const bool withdrawable = c.action == QLatin1String("clear") && decided.bind(1, version.toString()).bind(2, c.record).step();
        if (!withdrawable && !exists.bind(1, v->id).bind(2, c.record).step()) {
            *error = QStringLiteral("%1 has no record '%2'").arg(version.toString(), c.record);
            return false;
        }
        QJsonObject body{{QStringLiteral("version"), version.toString()}, {QStringLiteral("record"), c.record},
                         {QStringLiteral("action"), c.action}};
        if (c.action == QLatin1String("relabel"))
            body.insert(QStringLiteral("label"), c.label);
        if (!c.note.isEmpty())
            body.insert(QStringLiteral("note"), c.note);
        if (!m_ledger.append(EventType::DecisionMade, body, &curator, nullptr, error, &m_refusal))
            return false;
        if (progress)
            progress(++done);
    }
    if (!tx.commit(error))
        return false;
    m_ledger.committed();
    return true;
}

bool SignOff::submit(const SigningKey &curator, const VersionRef &version, QString *error)
{
    // A submission binds the batch digest that approvals will sign: the batch must hold as the ledger says.
    return inTransaction([&] {
        StateStore *verified = verifiedBatch(version, error);
        const auto digest = verified ? verified->currentBatchDigest(version.toString()) : std::nullopt;
        return verified
            && m_ledger.append(EventType::BatchSubmitted,
                               QJsonObject{{QStringLiteral("version"), version.toString()}, {QStringLiteral("batch_digest"), digest.value_or(QString())}},
                               &curator, nullptr, error, &m_refusal);
    }, error);
}

bool SignOff::inTransaction(const std::function<bool()> &work, QString *error)
{
    m_refusal = Refusal();
    if (m_ws.isReadOnly())
        return refuse("read-only", QStringLiteral("the workspace is open read-only"), error);
    Transaction tx(m_ws.db());
    if (!tx.begin(error) || !work() || !tx.commit(error))
        return false;
    m_ledger.committed();
    return true;
}

bool SignOff::refuse(const char *rule, const QString &message, QString *error)
{
    m_refusal = Refusal{QString::fromLatin1(rule), message};
    *error = m_refusal.toString();
    return false;
}

StateStore *SignOff::verifiedBatch(const VersionRef &version, QString *error)
{
    StateStore *verified = m_ledger.verifiedState(version.toString(), error, &m_refusal);
    if (!verified)
        return nullptr;
    const auto v = m_ws.version(version, error);
    if (!v)
        return nullptr;
    QList<VerifyProblem> problems;
    if (!checkVersionAgainstLedger(m_ws, *verified, *v, true, &problems, error))
        return nullptr;
    // The batch is reviewed as a delta from its parent: a parent edited to match the batch hides a relabel or an
    // added record from everyone who approves it (campaign 8, M1). The parent must hold as the ledger says too.
    if (v->parentId != 0) {
        const auto parent = m_ws.versionById(v->parentId, error);
        if (!parent || !checkVersionAgainstLedger(m_ws, *verified, *parent, false, &problems, error))
            return nullptr;
    }
    // Every decision names a record the (re-hashed) version holds: a record that existed only in SQL when it
    // was decided would otherwise be counted in the attestation.
    Statement ghost(m_ws.db(), "SELECT d.record_id FROM decision d WHERE d.version = ?1 AND NOT EXISTS "
                               "(SELECT 1 FROM record r WHERE r.version_id = ?2 AND r.record_id = d.record_id) LIMIT 1");
    if (ghost.bind(1, version.toString()).bind(2, v->id).step())
        problems.append(VerifyProblem{version.toString(), QStringLiteral("it has a decision on record '%1', which it does not hold")
                                                              .arg(ghost.columnText(0))});
    if (problems.isEmpty())
        return verified;
    const QString message = describeProblems(problems) + QStringLiteral("; nothing was signed. Run 'custody-cli verify'");
    CheckpointStore().markNeedsVerify(m_ledger, CheckpointStore::locationOf(m_ws.path()), message);
    refuse("verified-records", message, error);
    return nullptr;
}

bool SignOff::approve(const SigningKey &approver, const VersionRef &version, QString *error)
{
    // An approval binds the batch as submitted (a later change makes it a different batch), and only after its
    // records were re-hashed against the digest the signed ledger recorded.
    return inTransaction([&] {
        StateStore *verified = verifiedBatch(version, error);
        return verified
            && m_ledger.append(EventType::BatchApproved,
                               QJsonObject{{QStringLiteral("version"), version.toString()},
                                           {QStringLiteral("batch_digest"), verified->batch(version.toString()).digest}},
                               &approver, nullptr, error, &m_refusal);
    }, error);
}

bool SignOff::veto(const SigningKey &approver, const VersionRef &version, const QString &reason, QString *error)
{
    if (reason.trimmed().isEmpty()) {
        *error = QStringLiteral("a veto needs a reason");
        return false;
    }
    const QString digest = m_ledger.state().batch(version.toString()).digest;
    return record(EventType::BatchVetoed,
                  QJsonObject{{QStringLiteral("version"), version.toString()}, {QStringLiteral("batch_digest"), digest},
                              {QStringLiteral("reason"), reason}},
                  approver, error);
}

bool SignOff::release(const SigningKey &curator, const VersionRef &batch, const QString &newLabel, ReleaseResult *result,
                      QString *error)
{
    return inTransaction([&] { return releaseInTransaction(curator, batch, newLabel, result, error); }, error);
}

bool SignOff::releaseInTransaction(const SigningKey &curator, const VersionRef &batch, const QString &newLabel,
                                   ReleaseResult *result, QString *error)
{
    if (!VersionRef::isValidName(newLabel)) {
        *error = QStringLiteral("'%1' is not a valid version label for the release (letters, digits, '.', '_' or '-')").arg(newLabel);
        return false;
    }
    StateStore *verified = verifiedBatch(batch, error);
    if (!verified)
        return false;
    const QString digest = verified->batch(batch.toString()).digest;
    const QJsonObject probe{{QStringLiteral("version"), batch.toString()}, {QStringLiteral("batch_digest"), digest}};
    if (const auto refused = Policy::authorize(*verified, EventType::VersionReleased, probe, curator.keyId())) {
        m_refusal = *refused;
        *error = refused->toString();
        return false;
    }
    if (!Release::build(m_ws, *verified, curator, batch, newLabel, digest, result, error))
        return false;
    QJsonObject body = probe;
    body.insert(QStringLiteral("released"), result->version);
    body.insert(QStringLiteral("digest"), toHex(result->digest));
    body.insert(QStringLiteral("attestation"), QString::fromLatin1(result->attestation.toBase64()));
    return m_ledger.append(EventType::VersionReleased, body, &curator, nullptr, error, &m_refusal);
}

bool SignOff::rollBack(const SigningKey &analyst, const VersionRef &version, const QString &reason, QString *error)
{
    if (reason.trimmed().isEmpty()) {
        *error = QStringLiteral("a roll-back needs a reason");
        return false;
    }
    // "Trust this version again" is only said of a version that is what the ledger recorded.
    return inTransaction([&] {
        return versionsHoldForWrite(m_ws, m_ledger, {version.toString()}, false, error, &m_refusal)
            && m_ledger.append(EventType::VersionRolledBack,
                               QJsonObject{{QStringLiteral("version"), version.toString()}, {QStringLiteral("reason"), reason}},
                               &analyst, nullptr, error, &m_refusal);
    }, error);
}

bool SignOff::adoptCopy(const SigningKey *admin, QString *newId, QString *error)
{
    m_refusal = Refusal();
    if (m_ws.isReadOnly())
        return refuse("read-only", QStringLiteral("the workspace is open read-only"), error);
    Transaction tx(m_ws.db());
    if (!tx.begin(error))
        return false;
    const QString previous = m_ledger.workspaceId();
    const auto size = m_ledger.size(error);
    const auto root = size ? m_ledger.root(*size, error) : std::nullopt;
    if (!root)
        return false;
    Statement fresh(m_ws.db(), "SELECT lower(hex(randomblob(16)))"); // the form a new workspace's identity takes
    if (!fresh.step())
        return false;
    const QString id = fresh.columnText(0);
    const QJsonObject body{{QStringLiteral("workspace"), id}, {QStringLiteral("previous_workspace"), previous},
                           {QStringLiteral("tree_size"), *size}, {QStringLiteral("root"), toHex(*root)}};
    Statement meta(m_ws.db(), "UPDATE meta SET value = ?1 WHERE key = 'workspace_id'");
    if (!m_ledger.append(EventType::WorkspaceAdopted, body, admin, nullptr, error, &m_refusal) || !meta.bind(1, id).run(error)
        || !tx.commit(error))
        return false;
    m_ledger.committed();
    *newId = id;
    return true;
}

BatchSummary SignOff::summary(const VersionRef &version)
{
    StateStore &state = m_ledger.state();
    BatchSummary s;
    s.version = version.toString();
    s.status = state.batch(s.version);
    s.currentDigest = state.currentBatchDigest(s.version).value_or(QString());
    QHash<QString, QString> names;
    for (const Principal &p : state.principals())
        names.insert(p.keyId, p.name);
    for (const Decision &d : state.decisions(s.version)) {
        (d.action == QLatin1String("keep") ? s.keep : d.action == QLatin1String("exclude") ? s.exclude : s.relabel) += 1;
        s.decisionsByActor[names.value(d.actor, d.actor.left(12))] += 1;
    }
    s.approvals = state.approvals(s.version);
    s.approvalsRequired = state.approvalsRequired();
    const QJsonObject body{{QStringLiteral("version"), s.version}, {QStringLiteral("batch_digest"), s.status.digest}};
    for (const Principal &p : state.principals()) {
        if (!p.hasRole(QStringLiteral("approver")))
            continue;
        if (const auto refused = Policy::authorize(state, EventType::BatchApproved, body, p.keyId))
            s.mayNotApprove.insert(p.name, refused->toString());
        else
            s.mayApprove.append(p.name);
    }
    return s;
}

} // namespace custody
