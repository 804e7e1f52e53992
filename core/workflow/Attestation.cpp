#include "workflow/Attestation.h"

#include "ledger/Ledger.h"
#include "storage/Workspace.h"

namespace custody {

std::optional<QByteArray> releaseAttestation(Workspace &workspace, const QString &releasedVersion, QString *error)
{
    // An attestation vouches for the release to people who will not run verify: none while this location has a
    // problem verify found (or a refused write left), until verify comes out clean.
    if (!workspace.integrityProblem().isEmpty()) {
        *error = QStringLiteral("refusing to export an attestation: %1").arg(workspace.integrityProblem());
        return std::nullopt;
    }
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
