#include "workflow/Checkpoints.h"

#include "identity/SigningKey.h"
#include "ledger/CheckpointNote.h"
#include "ledger/Ledger.h"

namespace custody {

std::optional<QByteArray> signCheckpoint(Workspace &workspace, const SigningKey &key, Error *error)
{
    Ledger ledger(workspace);
    const auto principal = ledger.state().principalByKey(key.keyId());
    if (!principal) {
        *error = Error::of(Error::Kind::NotFound,
                           QStringLiteral("this key is not a registered principal of the workspace; register it (as "
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
