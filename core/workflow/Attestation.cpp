#include "workflow/Attestation.h"

#include "ledger/Ledger.h"

namespace custody {

std::optional<QByteArray> releaseAttestation(Workspace &workspace, const QString &releasedVersion, QString *error)
{
    Ledger ledger(workspace);
    StateStore *verified = ledger.verifiedState(releasedVersion, error);
    if (!verified)
        return std::nullopt;
    auto envelope = verified->attestation(releasedVersion);
    if (!envelope)
        *error = QStringLiteral("%1 is not a released version, so it has no release attestation").arg(releasedVersion);
    return envelope;
}

} // namespace custody
