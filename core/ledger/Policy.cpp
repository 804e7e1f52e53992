#include "ledger/Policy.h"

#include "ledger/StateStore.h"

#include <QJsonArray>

namespace custody {

QString Policy::roleFor(const QString &type)
{
    if (type == EventType::PrincipalAdded || type == EventType::PrincipalRolesChanged || type == EventType::PrincipalRevoked
        || type == EventType::PolicyChanged || type == EventType::WorkspaceAdopted)
        return QStringLiteral("admin");
    if (type == EventType::VersionIngested || type == EventType::ScanRecorded || type == EventType::DecisionMade
        || type == EventType::BatchSubmitted || type == EventType::VersionReleased)
        return QStringLiteral("curator");
    if (type == EventType::BatchApproved || type == EventType::BatchVetoed)
        return QStringLiteral("approver");
    if (type == EventType::VersionRolledBack)
        return QStringLiteral("analyst");
    return QString();
}

namespace {

std::optional<Refusal> refuse(const char *rule, const QString &message)
{
    return Refusal{QString::fromLatin1(rule), message};
}

bool needsSignedWorkspace(const QString &type)
{
    return type == EventType::DecisionMade || type == EventType::BatchSubmitted || type == EventType::BatchApproved
        || type == EventType::BatchVetoed || type == EventType::VersionReleased || type == EventType::PrincipalAdded
        || type == EventType::PrincipalRolesChanged || type == EventType::PrincipalRevoked || type == EventType::PolicyChanged
        || type == EventType::VersionRolledBack;
}

std::optional<Refusal> checkBatchAction(StateStore &state, const QString &type, const QJsonObject &body,
                                        const QString &actor, const QString &version)
{
    const BatchStatus batch = state.batch(version);
    if (type == EventType::DecisionMade || type == EventType::BatchSubmitted) {
        if (batch.state == QLatin1String("released"))
            return refuse("batch-open", QStringLiteral("%1 has been released; its batch can no longer change").arg(version));
        if (type == EventType::DecisionMade)
            return std::nullopt; // the batch digest is only computed where it is bound: decisions stay O(1)
        const auto current = state.currentBatchDigest(version);
        if (body.value(QStringLiteral("batch_digest")).toString() != current)
            return refuse("approval-binds-batch", QStringLiteral("the submission names batch %1 but %2 is now %3")
                                                      .arg(body.value(QStringLiteral("batch_digest")).toString().left(12), version, current->left(12)));
        return std::nullopt;
    }
    const auto current = state.currentBatchDigest(version);
    if (type == EventType::BatchApproved || type == EventType::BatchVetoed) {
        if (batch.state != QLatin1String("submitted"))
            return refuse("batch-submitted", QStringLiteral("%1 is %2, not submitted for approval").arg(version, batch.state));
        if (body.value(QStringLiteral("batch_digest")).toString() != batch.digest || batch.digest != current)
            return refuse("approval-binds-batch", QStringLiteral("the approval names batch %1 but the submitted batch of %2 is %3")
                                                      .arg(body.value(QStringLiteral("batch_digest")).toString().left(12), version, batch.digest.left(12)));
        if (type == EventType::BatchVetoed)
            return std::nullopt;
        if (batch.submittedBy == actor)
            return refuse("no-self-approval", QStringLiteral("you submitted %1, so you may not approve it").arg(version));
        for (const Decision &d : state.decisions(version))
            if (d.actor == actor)
                return refuse("no-decider-approval", QStringLiteral("you decided record '%1' in %2, so you may not approve it")
                                                         .arg(d.recordId, version));
        if (state.involved(version, actor))
            return refuse("no-author-approval", QStringLiteral("you ingested, decided on or submitted %1, so you may not approve it")
                                                    .arg(version));
        for (const Approval &a : state.approvals(version))
            if (a.actor == actor)
                return refuse("one-approval-per-key", QStringLiteral("you already approved %1").arg(version));
        return std::nullopt;
    }
    // Release.
    if (batch.state == QLatin1String("vetoed"))
        return refuse("veto-blocks", QStringLiteral("%1 was vetoed (%2); submit it again after addressing the veto")
                                         .arg(version, batch.vetoReason));
    if (batch.state != QLatin1String("submitted"))
        return refuse("batch-submitted", QStringLiteral("%1 is %2, not a submitted batch").arg(version, batch.state));
    if (body.value(QStringLiteral("batch_digest")).toString() != batch.digest || batch.digest != current)
        return refuse("approval-binds-batch", QStringLiteral("the release names a batch other than the one submitted"));
    int valid = 0;
    QStringList seen;
    for (const Approval &a : state.approvals(version)) {
        const auto p = state.principalByKey(a.actor);
        if (a.batchDigest == batch.digest && p && p->isActive() && p->hasRole(QStringLiteral("approver")) && !seen.contains(a.actor)) {
            seen.append(a.actor);
            ++valid;
        }
    }
    const int required = state.approvalsRequired();
    if (valid < required)
        return refuse("approvals-required", QStringLiteral("%1 has %2 of the %3 approvals it needs from distinct, unrevoked approvers")
                                                .arg(version).arg(valid).arg(required));
    return std::nullopt;
}

} // namespace

std::optional<Refusal> Policy::authorize(StateStore &state, const QString &type, const QJsonObject &body,
                                         const QString &actor)
{
    const bool signedWorkspace = state.isSigned();
    if (type == EventType::Genesis) {
        if (signedWorkspace)
            return refuse("unique-principal", QStringLiteral("this workspace already has a genesis event and an admin"));
        if (body.value(QStringLiteral("admin")).toObject().value(QStringLiteral("key_id")).toString() != actor || actor.isEmpty())
            return refuse("registered-key", QStringLiteral("the genesis event must be signed by the admin it registers"));
        return std::nullopt;
    }
    if (!signedWorkspace) {
        if (needsSignedWorkspace(type))
            return refuse("signed-workspace", QStringLiteral("this workspace is unsigned; make it signed with "
                                                             "'custody-cli init DIR --admin KEY' first"));
        if (!actor.isEmpty())
            return refuse("registered-key", QStringLiteral("this workspace is unsigned and has no principals to sign as"));
        return std::nullopt; // ingest and scans keep working without keys, hash-chained but unsigned
    }
    if (actor.isEmpty())
        return refuse("registered-key", QStringLiteral("this workspace is signed: every change needs --as KEY"));
    const auto principal = state.principalByKey(actor);
    if (!principal)
        return refuse("registered-key", QStringLiteral("key %1 is not a registered principal of this workspace").arg(actor.left(16)));
    if (!principal->isActive())
        return refuse("not-revoked", QStringLiteral("%1's key was revoked (event %2)").arg(principal->name).arg(principal->revokedSeq));
    const QString role = roleFor(type);
    if (!role.isEmpty() && !principal->hasRole(role))
        return refuse("role", QStringLiteral("%1 does not hold the %2 role (holds: %3)")
                                  .arg(principal->name, role, principal->roles.join(QStringLiteral(", "))));

    if (type == EventType::PrincipalAdded) {
        if (state.principalByName(body.value(QStringLiteral("name")).toString())
            || state.principalByKey(body.value(QStringLiteral("key_id")).toString()))
            return refuse("unique-principal", QStringLiteral("a principal with that name or key is already registered"));
        return std::nullopt;
    }
    if (type == EventType::PrincipalRevoked || type == EventType::PrincipalRolesChanged) {
        const auto target = state.principalByKey(body.value(QStringLiteral("key_id")).toString());
        if (!target)
            return refuse("registered-key", QStringLiteral("no such principal"));
        if (!target->isActive())
            return refuse("not-revoked", QStringLiteral("%1's key was already revoked (event %2)").arg(target->name).arg(target->revokedSeq));
        // The workspace must keep an admin: without one no principal or policy could ever change again.
        const bool losesAdmin = target->hasRole(QStringLiteral("admin"))
            && (type == EventType::PrincipalRevoked
                || !body.value(QStringLiteral("roles")).toVariant().toStringList().contains(QStringLiteral("admin")));
        if (losesAdmin) {
            int admins = 0;
            for (const Principal &p : state.principals())
                admins += p.isActive() && p.hasRole(QStringLiteral("admin"));
            if (admins <= 1)
                return refuse("last-admin", QStringLiteral("%1 is the last active admin; add another admin first").arg(target->name));
        }
        return std::nullopt;
    }
    const QString version = body.value(QStringLiteral("version")).toString();
    if (type == EventType::DecisionMade || type == EventType::BatchSubmitted || type == EventType::BatchApproved
        || type == EventType::BatchVetoed || type == EventType::VersionReleased || type == EventType::ScanRecorded
        || type == EventType::VersionRolledBack) {
        if (!state.ingestedDigest(version))
            return refuse("known-version", QStringLiteral("%1 is not recorded in this workspace's ledger").arg(version));
        // Trusting a version again skips no sign-off: only a version a release made, approved by K approvers, can be
        // returned to (campaign 8: an unreviewed batch could be declared the trusted state).
        if (type == EventType::VersionRolledBack && !state.releasedFrom(version))
            return refuse("rollback-to-release", QStringLiteral("%1 was never released; a roll-back returns to a released version "
                                                                "(custody-cli log lists them)").arg(version));
        if (type != EventType::ScanRecorded && type != EventType::VersionRolledBack)
            return checkBatchAction(state, type, body, actor, version);
    }
    return std::nullopt;
}

} // namespace custody
