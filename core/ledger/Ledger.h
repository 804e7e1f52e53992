#pragma once

#include "ledger/LedgerEvent.h"
#include "ledger/Policy.h"
#include "ledger/StateStore.h"

#include <functional>
#include <optional>
#include <vector>

namespace custody {

class SigningKey;
class Workspace;

// The workspace's append-only, hash-chained, signed event log. Event hashes are the leaves of an RFC 6962
// Merkle tree whose root a signed checkpoint can commit to. append() is the single door for state changes:
// it asks the Policy, signs, chains, stores and applies the event to the derived state.
class Ledger
{
public:
    explicit Ledger(Workspace &workspace);

    // Appends inside the caller's open write transaction, so that a version and its event commit together.
    // `signer` is null only in an unsigned workspace. A refusal sets *refusal (when given) and *error.
    bool append(const QString &type, const QJsonObject &body, const SigningKey *signer, LedgerEvent *out,
                QString *error, Refusal *refusal = nullptr);
    // Opens its own transaction around append().
    bool commit(const QString &type, const QJsonObject &body, const SigningKey *signer, LedgerEvent *out,
                QString *error, Refusal *refusal = nullptr);

    StateStore &state() { return m_state; }
    QString workspaceId();
    std::optional<qint64> size(QString *error);
    // Calls `visit` for every event in order; stops (returning false) when it returns false or on a read error.
    bool forEach(const std::function<bool(const LedgerEvent &)> &visit, QString *error, qint64 from = 1);
    std::optional<LedgerEvent> event(qint64 seq, QString *error);
    // RFC 6962 root over the hashes of the first `treeSize` events.
    std::optional<Digest> root(qint64 treeSize, QString *error);

private:
    Workspace &m_ws;
    StateStore m_state;
};

} // namespace custody
