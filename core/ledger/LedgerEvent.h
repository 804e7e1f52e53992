#pragma once

#include "hashing/Sha256.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace custody {

// Every state change of a workspace, as an append-only event. The payload is the JSON the actor signed
// (stored byte for byte); the columns beside it repeat a few of its fields for querying, and verification
// checks that they agree. The signature is Ed25519 over the DSSE v1 pre-authentication encoding of the
// payload with kPayloadType, so that an event can be checked with any DSSE tool.
struct LedgerEvent
{
    static constexpr const char *kPayloadType = "application/vnd.custody.ledger-event+json";

    qint64 seq = 0;  // 1-based position in the ledger
    QString time;    // ISO 8601 UTC
    QString actor;   // key id of the signer; empty for events of an unsigned workspace
    QString type;    // see EventType below
    QByteArray payload;
    Digest prev{};   // hash of the previous event (zeros for the first)
    QByteArray signature; // empty when unsigned
    Digest hash{};

    QJsonObject body() const; // the type-specific part of the payload
    bool isSigned() const { return !signature.isEmpty(); }

    // Canonical payload bytes: compact JSON, sorted keys, holding workspace id, seq, time, actor, type, prev
    // and body, so a signature binds the event to its place in this workspace's history.
    static QByteArray buildPayload(const QString &workspaceId, qint64 seq, const QString &time, const QString &actor,
                                   const QString &type, const Digest &prev, const QJsonObject &body);
    // SHA-256("custody.event.v1" 0x00 || u32le len(payload) || payload || signature): the Merkle leaf data.
    static Digest computeHash(const QByteArray &payload, const QByteArray &signature);
};

namespace EventType {
inline const QString Genesis = QStringLiteral("genesis");
inline const QString PrincipalAdded = QStringLiteral("principal.added");
inline const QString PrincipalRolesChanged = QStringLiteral("principal.roles_changed");
inline const QString PrincipalRevoked = QStringLiteral("principal.revoked");
inline const QString PolicyChanged = QStringLiteral("policy.changed");
inline const QString VersionIngested = QStringLiteral("version.ingested");
inline const QString ScanRecorded = QStringLiteral("scan.recorded");
inline const QString DecisionMade = QStringLiteral("decision.made");
inline const QString BatchSubmitted = QStringLiteral("batch.submitted");
inline const QString BatchApproved = QStringLiteral("batch.approved");
inline const QString BatchVetoed = QStringLiteral("batch.vetoed");
inline const QString VersionReleased = QStringLiteral("version.released");
inline const QString VersionRolledBack = QStringLiteral("version.rolled_back");
// A copy of a workspace given its own identity by an admin: later events name the new workspace id.
inline const QString WorkspaceAdopted = QStringLiteral("workspace.adopted");
} // namespace EventType

} // namespace custody
