#include "workflow/Checkpoints.h"

#include "identity/SigningKey.h"
#include "ledger/CheckpointNote.h"
#include "ledger/Ledger.h"
#include "ledger/Policy.h"
#include "ledger/StateStore.h"
#include "storage/Workspace.h"

namespace custody {

std::optional<QByteArray> signCheckpoint(Workspace &workspace, const SigningKey &key, Error *error)
{
    // A checkpoint vouches for every event up to the head: never while this location waits for a clean verify
    // (or holds a rolled-back or forked ledger), and only by a key the verified ledger holds as active.
    if (const QString problem = workspace.integrityProblem(); !problem.isEmpty()) {
        *error = Error::of(Error::Kind::Refused, QStringLiteral("no checkpoint is signed for this workspace until it is fixed: %1").arg(problem));
        return std::nullopt;
    }
    Ledger ledger(workspace);
    QString why;
    Refusal refusal;
    StateStore *verified = ledger.verifiedState(QString(), &why, &refusal);
    if (!verified) {
        *error = Error::fromStep(QStringLiteral("the ledger does not verify, so no checkpoint may vouch for it: %1").arg(why), refusal);
        return std::nullopt;
    }
    const auto principal = verified->principalByKey(key.keyId());
    if (!principal || !principal->isActive()) {
        *error = Error::of(principal ? Error::Kind::Refused : Error::Kind::NotFound,
                           principal ? QStringLiteral("the principal '%1' was revoked: a revoked key signs no checkpoint").arg(principal->name)
                                     : QStringLiteral("this key is not a registered principal of the workspace; register it (as "
                                                      "admin, or as a witness with the analyst role) before it signs checkpoints"));
        return std::nullopt;
    }
    QString message;
    auto note = CheckpointNote::create(ledger, principal->name, key, &message);
    if (!note)
        *error = Error::of(Error::Kind::Io, message);
    return note;
}

} // namespace custody
