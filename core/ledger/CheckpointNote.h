#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace custody {

class Ledger;
class SigningKey;

// Ledger checkpoints exported as C2SP signed notes (origin "custody.local/WORKSPACE-ID", tree size, base64
// RFC 6962 root), to be kept somewhere the workspace's writers cannot reach.
class CheckpointNote
{
public:
    static QString origin(Ledger &ledger);
    // Signs the ledger's current size and root as `keyName` (the signer's principal name).
    static std::optional<QByteArray> create(Ledger &ledger, const QString &keyName, const SigningKey &key, QString *error);
    // Empty when the note is well formed, carries a valid signature by a principal registered in this
    // workspace, names this workspace, and the ledger extends it; otherwise the reason it does not hold.
    static QString check(Ledger &ledger, const QByteArray &noteText, qint64 *treeSize = nullptr);
};

} // namespace custody
