#include "ledger/CheckpointNote.h"

#include "identity/Checkpoint.h"
#include "identity/SignedNote.h"
#include "identity/SigningKey.h"
#include "ledger/Ledger.h"
#include "ledger/StateStore.h"

namespace custody {

QString CheckpointNote::origin(Ledger &ledger)
{
    return QStringLiteral("custody.local/") + ledger.workspaceId();
}

std::optional<QByteArray> CheckpointNote::create(Ledger &ledger, const QString &keyName, const SigningKey &key, QString *error)
{
    const auto size = ledger.size(error);
    const auto root = size ? ledger.root(*size, error) : std::nullopt;
    if (!root)
        return std::nullopt;
    // The signer's caller checked the ledger (workflow/Checkpoints.cpp); check again here, so that no other
    // caller can sign an unverified head.
    QString why;
    if (!ledger.verifiedState(QString(), &why)) {
        *error = QStringLiteral("the ledger does not verify, so no checkpoint may vouch for it: %1").arg(why);
        return std::nullopt;
    }
    Checkpoint c;
    c.origin = origin(ledger);
    c.treeSize = uint64_t(*size);
    c.rootHash = *root;
    if (!c.validate(error))
        return std::nullopt;
    return SignedNote::sign(c.body(), keyName, key, error);
}

QString CheckpointNote::check(Ledger &ledger, const QByteArray &noteText, qint64 *treeSize)
{
    QString e;
    const auto note = SignedNote::parse(noteText, &e);
    if (!note)
        return QStringLiteral("the checkpoint is not a valid signed note (%1)").arg(e);
    const auto c = Checkpoint::parse(note->body(), &e);
    if (!c)
        return QStringLiteral("the checkpoint body is malformed (%1)").arg(e);
    if (c->origin != origin(ledger))
        return QStringLiteral("the checkpoint is for %1, not this workspace (%2)").arg(c->origin, origin(ledger));
    // Who may sign is what the signed ledger proves (not the principal table, which anyone can edit): a
    // principal added within the checkpoint's tree and not revoked within it.
    QString why;
    StateStore *verified = ledger.verifiedState(QString(), &why);
    if (!verified)
        return QStringLiteral("the ledger does not verify, so no checkpoint can be checked against it: %1").arg(why);
    bool signedByPrincipal = false;
    for (const SignedNote::Signature &s : note->signatures()) {
        auto p = verified->principalByName(s.name);
        if (p && (p->addedSeq > qint64(c->treeSize) || (p->revokedSeq != 0 && p->revokedSeq <= qint64(c->treeSize))))
            p.reset();
        QString why;
        const auto key = p ? PublicKey::fromPem(p->publicKeyPem.toLatin1(), s.name, &why) : std::nullopt;
        if (key && SignedNote::verify(*note, s.name, *key))
            signedByPrincipal = true;
    }
    if (!signedByPrincipal)
        return QStringLiteral("the checkpoint carries no valid signature by a principal of this workspace");
    if (treeSize)
        *treeSize = qint64(c->treeSize);
    const auto size = ledger.size(&e);
    if (!size)
        return e;
    if (*size < qint64(c->treeSize))
        return QStringLiteral("the ledger has %1 events but the checkpoint commits to %2: it was truncated or rolled back")
            .arg(*size).arg(c->treeSize);
    const auto root = ledger.root(qint64(c->treeSize), &e);
    if (!root)
        return e;
    if (*root != c->rootHash)
        return QStringLiteral("the first %1 events do not hash to the checkpoint's root: the ledger was rewritten or forked")
            .arg(c->treeSize);
    return QString();
}

} // namespace custody
