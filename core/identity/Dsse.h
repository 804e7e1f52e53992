#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace custody {

class PublicKey;
class SigningKey;

// DSSE v1 (github.com/secure-systems-lab/dsse): the payload travels as bytes with its type, and each
// signature covers PAE(type, payload), so a signature can never be re-read as another type's payload.
class Dsse
{
public:
    // What fromJson() accepts at most: the envelope's size and its signature count.
    static constexpr qsizetype kMaxEnvelopeBytes = qsizetype(64) << 20;
    static constexpr qsizetype kMaxSignatures = 100;

    struct Signature
    {
        QString keyid; // unauthenticated hint; Custody writes the signer's PublicKey::keyId()
        QByteArray sig;
    };

    struct Envelope
    {
        QString payloadType;
        QByteArray payload;
        QList<Signature> signatures;

        // {"payload": base64, "payloadType": ..., "signatures": [{"keyid": ..., "sig": base64}]}, standard
        // base64, compact.
        QByteArray toJson() const;
        // Strict: every field present with its JSON type, canonical base64, no unknown fields, at least one
        // signature. Standard and URL-safe base64 are both accepted, as the DSSE spec allows.
        static std::optional<Envelope> fromJson(const QByteArray &json, QString *error);
    };

    // "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, LEN the decimal byte length.
    static QByteArray pae(const QByteArray &payloadType, const QByteArray &payload);

    // One signature by `key`, keyid = key.keyId(). Ed25519 signing fails only when OpenSSL runs out of
    // memory; the envelope then has no signature, which fromJson() and verifyEnvelope() refuse.
    static Envelope signEnvelope(const SigningKey &key, const QString &payloadType, const QByteArray &payload);
    // True when any signature in the envelope verifies under `key` (keyids are hints, so all are tried).
    static bool verifyEnvelope(const Envelope &envelope, const PublicKey &key, QString *error = nullptr);
};

} // namespace custody
