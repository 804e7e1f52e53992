#pragma once

#include <QJsonObject>
#include <QString>

#include <optional>

namespace custody {

class StateStore;

// Why an action was refused: the rule's short name (stable, for scripts and tests) and a sentence for people.
struct Refusal
{
    QString rule;
    QString message;
    QString toString() const { return QStringLiteral("refused by rule '%1': %2").arg(rule, message); }
};

// Separation of duties, enforced in the core for every event before it is appended and again for every event
// when verify replays the ledger. Rules (docs/ledger.md lists them with examples):
//   signed-workspace      decisions, submissions, approvals, vetoes and releases need a signed workspace
//   registered-key        the signer is a registered principal
//   not-revoked           the signer's key has not been revoked
//   role                  the signer holds the role the action needs
//   known-version         the version is recorded in the ledger
//   batch-open            decisions and submissions only on a batch not yet released
//   batch-submitted       approvals and vetoes only on a submitted batch
//   approval-binds-batch  an approval or veto names the batch digest as it is now
//   no-self-approval      an approver did not submit the batch
//   no-decider-approval   an approver took no decision in the batch
//   one-approval-per-key  a key approves a batch once
//   veto-blocks           a vetoed batch is not released (a new submission clears the veto)
//   approvals-required    a release needs K approvals from distinct, unrevoked approvers
//   unique-principal      a name or key is registered once
// and, at write time only (Ledger::verifiedState), the state a write relies on is the signed ledger's:
//   verified-ledger       the events since the last verified head verify (chain, hashes, signatures, policy)
//   verified-state        the derived tables agree with the replay of the signed events
//   verified-records      an approval's or release's batch re-hashes (records, pack, manifest) to the digest
//                         its ledger event recorded
// Roles: admin (principals, policy, adopting a copy), curator (ingest, scans, decisions, submissions, releases), approver
// (approvals, vetoes), analyst (roll-backs).
class Policy
{
public:
    // `actor` is the signer's key id, empty for an unsigned event.
    static std::optional<Refusal> authorize(StateStore &state, const QString &type, const QJsonObject &body,
                                            const QString &actor);
    static QString roleFor(const QString &type); // the role an event type needs ("" when none)
};

} // namespace custody
