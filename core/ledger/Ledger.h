#pragma once

#include "ledger/LedgerEvent.h"
#include "ledger/Policy.h"
#include "ledger/StateStore.h"

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace custody {

class SigningKey;
class VerifiedState;
class Workspace;

// The workspace's append-only, hash-chained, signed event log. Event hashes are the leaves of an RFC 6962
// Merkle tree whose root a signed checkpoint can commit to. append() is the single door for state changes:
// it brings the verified state up to date (the events since the head last verified, replayed with every check
// verify makes), refuses when the ledger or the derived tables disagree with it, asks the Policy of the
// verified state, signs, chains, stores and applies the event to both states.
class Ledger
{
public:
    explicit Ledger(Workspace &workspace);
    ~Ledger();
    Ledger(const Ledger &) = delete;
    Ledger &operator=(const Ledger &) = delete;

    // Appends inside the caller's open write transaction, so that a version and its event commit together.
    // `signer` is null only in an unsigned workspace. A refusal sets *refusal (when given) and *error.
    bool append(const QString &type, const QJsonObject &body, const SigningKey *signer, LedgerEvent *out,
                QString *error, Refusal *refusal = nullptr);
    // After the caller's transaction around append() committed: keeps the verified replay up to here.
    void committed();
    // Opens its own transaction around append().
    bool commit(const QString &type, const QJsonObject &body, const SigningKey *signer, LedgerEvent *out,
                QString *error, Refusal *refusal = nullptr);

    // The derived tables: what a person sees. Never what a write relies on: see verifiedState().
    StateStore &state() { return m_state; }
    // The state as the signed ledger proves it, after checking that the derived tables agree with it (all of
    // them, and the decisions of `version` when given). Null, with *error and *refusal naming what is wrong,
    // when they do not or the ledger does not verify; the workspace location is then marked as needing verify.
    StateStore *verifiedState(const QString &version, QString *error, Refusal *refusal = nullptr);
    QString workspaceId();
    std::optional<qint64> size(QString *error);
    // Calls `visit` for every event in order (from `from`, of `type` when given); stops (returning false) when
    // it returns false or on a read error.
    bool forEach(const std::function<bool(const LedgerEvent &)> &visit, QString *error, qint64 from = 1,
                 const QString &type = QString());
    std::optional<LedgerEvent> event(qint64 seq, QString *error);
    // RFC 6962 root over the hashes of the first `treeSize` events.
    std::optional<Digest> root(qint64 treeSize, QString *error);

private:
    Workspace &m_ws;
    StateStore m_state;
    std::unique_ptr<VerifiedState> m_verified;
    // Where the derived tables were last found to agree with the verified state (cleared by foreign events).
    Digest m_agreedHead{};
    qint64 m_agreedSeq = -1;
    QStringList m_agreedVersions;
};

} // namespace custody
