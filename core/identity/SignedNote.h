#pragma once

#include "identity/PublicKey.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <cstdint>
#include <optional>

namespace custody {

class SigningKey;

// A C2SP signed note (https://c2sp.org/signed-note): a UTF-8 text body whose lines all end in '\n', a blank
// line, then signature lines
//
//   "— " NAME " " base64(key hash (4 bytes, big-endian) || Ed25519 signature of the body)
//
// with "—" U+2014. The key hash is the first 4 bytes of SHA-256(NAME || "\n" || 0x01 || public key), so a
// signature names both the signer and the exact key; verifiers tolerate signatures by keys they do not know.
// Custody signs its ledger checkpoints (Checkpoint::body) this way, which other transparency-log tools read.
class SignedNote
{
public:
    static constexpr int kMaxSignatures = 100;

    struct Signature
    {
        QString name;
        uint32_t keyHash = 0;
        QByteArray signature; // without the key hash
    };

    // A note of `body` with one signature. The body must be non-empty UTF-8 without control characters
    // other than '\n', end in '\n' and have no empty line.
    static std::optional<QByteArray> sign(const QByteArray &body, const QString &keyName, const SigningKey &key,
                                          QString *error);
    // Strict: refuses what is not a well-formed note rather than guessing, naming the problem.
    static std::optional<SignedNote> parse(const QByteArray &text, QString *error);
    // Whether a signature by `name` with `key`'s key hash verifies over the body. Signatures by others are
    // ignored: a note may carry cosignatures from witnesses this reader does not know.
    static bool verify(const SignedNote &note, const QString &name, const PublicKey &key, QString *error = nullptr);

    static bool isValidKeyName(const QString &name); // non-empty, no whitespace, no '+'
    static uint32_t keyHash(const QString &name, const PublicKey &key);

    // The C2SP "vkey" text a verifier is configured with: NAME+HEXKEYHASH+base64(0x01 || public key).
    struct Verifier
    {
        QString name;
        PublicKey key;
    };
    static QString verifierKey(const QString &name, const PublicKey &key);
    static std::optional<Verifier> parseVerifierKey(const QString &vkey, QString *error);

    // Adds a signature (a cosignature on a parsed note); refuses a second signature by the same name and key.
    bool addSignature(const QString &keyName, const SigningKey &key, QString *error);

    const QByteArray &body() const { return m_body; }
    const QList<Signature> &signatures() const { return m_signatures; }
    QByteArray text() const; // body, blank line, signature lines

private:
    QByteArray m_body;
    QList<Signature> m_signatures;
};

} // namespace custody
