#pragma once

#include <QByteArray>
#include <QString>

#include <memory>
#include <optional>

struct evp_pkey_st;

namespace custody {

// The public half of an Ed25519 key: what a reviewer's signature is checked against. Custody uses Ed25519
// only, so every constructor refuses keys of another type instead of carrying an algorithm switch around.
class PublicKey
{
public:
    static constexpr int kRawSize = 32;

    // `source` names where the PEM came from (a file path) for messages such as
    // "the key in FILE is RSA, Custody uses Ed25519".
    static std::optional<PublicKey> fromPem(const QByteArray &pem, const QString &source, QString *error);
    static std::optional<PublicKey> fromPemFile(const QString &path, QString *error);
    static std::optional<PublicKey> fromRaw(const QByteArray &raw, QString *error);
    // Takes a reference to `pkey` (the caller keeps its own); refuses anything but Ed25519.
    static std::optional<PublicKey> fromPkey(evp_pkey_st *pkey, const QString &source, QString *error);

    PublicKey(PublicKey &&) noexcept = default;
    PublicKey &operator=(PublicKey &&) noexcept = default;
    PublicKey(const PublicKey &other);
    PublicKey &operator=(const PublicKey &other);
    ~PublicKey();

    QByteArray raw() const; // 32 bytes
    QByteArray pem() const; // SubjectPublicKeyInfo, "-----BEGIN PUBLIC KEY-----"
    // Lowercase hex SHA-256 of the 32-byte raw public key: the name of a principal's key everywhere in
    // Custody (ledger events, DSSE keyid, key listings). Independent of any file encoding of the key.
    QString keyId() const;
    bool verify(const QByteArray &message, const QByteArray &signature) const;

    bool operator==(const PublicKey &other) const { return raw() == other.raw(); }

private:
    struct PkeyFree
    {
        void operator()(evp_pkey_st *p) const;
    };
    explicit PublicKey(evp_pkey_st *owned) : m_pkey(owned) {}

    std::unique_ptr<evp_pkey_st, PkeyFree> m_pkey;
};

// The key id of a raw 32-byte Ed25519 public key (see PublicKey::keyId).
QString keyIdOfRawPublicKey(const QByteArray &raw);

} // namespace custody
