#include "workflow/Attestation.h"

#include "ledger/Ledger.h"
#include "ledger/VersionTrust.h"
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
    if (!envelope) {
        *error = QStringLiteral("%1 is not a released version, so it has no release attestation").arg(releasedVersion);
        return std::nullopt;
    }
    // The released records must still be the ones attested: a location's needs-verify mark does not travel with
    // a copy (cp -a), so the version is re-hashed here rather than trusted to a mark.
    const auto ref = VersionRef::parse(releasedVersion);
    const auto version = ref ? workspace.version(*ref, error) : std::nullopt;
    if (!version) {
        *error = QStringLiteral("refusing to export an attestation: %1 is not stored in this workspace").arg(releasedVersion);
        return std::nullopt;
    }
    QList<VerifyProblem> problems;
    if (!checkVersionAgainstLedger(workspace, *verified, *version, false, &problems, error))
        return std::nullopt;
    if (!problems.isEmpty()) {
        *error = QStringLiteral("refusing to export an attestation: %1; run 'custody-cli verify'").arg(describeProblems(problems));
        return std::nullopt;
    }
    return envelope;
}

} // namespace custody
