#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace custody {

class Workspace;

// The signed release attestation of `releasedVersion` (NAME@LABEL) as the signed ledger holds it: taken from
// the replay of the verified events, after checking that the workspace's tables agree with them, never from the
// release table alone (a row copied there by SQL would hand out another version's attestation). Null with
// *error saying why: not a released version, or the workspace needs verify.
std::optional<QByteArray> releaseAttestation(Workspace &workspace, const QString &releasedVersion, QString *error);

} // namespace custody
