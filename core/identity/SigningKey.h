#pragma once

#include "identity/PublicKey.h"

#include <QByteArray>
#include <QString>

#include <memory>
#include <optional>

struct evp_pkey_st;

namespace custody {

// An Ed25519 private key in memory (OpenSSL EVP_PKEY). Move-only, so that a secret has one owner; OpenSSL
// wipes the key material when it is freed. Keys at rest live in a KeyStore, encrypted.
class SigningKey
{
public:
    static constexpr int kSeedSize = 32;
    static constexpr int kSignatureSize = 64;

    static std::optional<SigningKey> generate(QString *error);
    // RFC 8032 private key (the 32-byte seed). For test vectors and imports, never for new identities.
    static std::optional<SigningKey> fromSeed(const QByteArray &seed, QString *error);
    // Takes ownership of `pkey`; frees it and refuses when it is not Ed25519 (`source` names it in the message).
    static std::optional<SigningKey> adopt(evp_pkey_st *pkey, const QString &source, QString *error);

    SigningKey(SigningKey &&) noexcept = default;
    SigningKey &operator=(SigningKey &&) noexcept = default;
    SigningKey(const SigningKey &) = delete;
    SigningKey &operator=(const SigningKey &) = delete;
    ~SigningKey();

    QByteArray publicKeyRaw() const; // 32 bytes
    QByteArray publicKeyPem() const; // SubjectPublicKeyInfo PEM, as `openssl pkeyutl -verify -pubin` reads it
    QString keyId() const;           // lowercase hex SHA-256 of publicKeyRaw(), see PublicKey::keyId
    PublicKey publicKey() const;

    // Ed25519 (pure, no pre-hash) signature of `message`: 64 bytes, or empty if OpenSSL fails.
    QByteArray sign(const QByteArray &message) const;

    // For KeyStore's encoder; the object keeps ownership.
    evp_pkey_st *pkey() const { return m_pkey.get(); }

private:
    struct PkeyFree
    {
        void operator()(evp_pkey_st *p) const;
    };
    explicit SigningKey(evp_pkey_st *owned) : m_pkey(owned) {}

    std::unique_ptr<evp_pkey_st, PkeyFree> m_pkey;
};

} // namespace custody
