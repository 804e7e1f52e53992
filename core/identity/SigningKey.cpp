#include "identity/SigningKey.h"

#include "identity/OpenSslPtr.h"

#include <openssl/pem.h>

#include <cstdlib>

namespace custody {

void SigningKey::PkeyFree::operator()(evp_pkey_st *p) const
{
    EVP_PKEY_free(p);
}

std::optional<SigningKey> SigningKey::generate(QString *error)
{
    EVP_PKEY *pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    if (!pkey) {
        *error = QStringLiteral("cannot generate an Ed25519 key (%1)").arg(ossl::takeErrorReason());
        return std::nullopt;
    }
    return SigningKey(pkey);
}

std::optional<SigningKey> SigningKey::fromSeed(const QByteArray &seed, QString *error)
{
    if (seed.size() != kSeedSize) {
        *error = QStringLiteral("an Ed25519 seed is 32 bytes, not %1").arg(seed.size());
        return std::nullopt;
    }
    EVP_PKEY *pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                                  reinterpret_cast<const unsigned char *>(seed.constData()),
                                                  size_t(seed.size()));
    if (!pkey) {
        *error = QStringLiteral("not an Ed25519 seed (%1)").arg(ossl::takeErrorReason());
        return std::nullopt;
    }
    return SigningKey(pkey);
}

std::optional<SigningKey> SigningKey::adopt(evp_pkey_st *pkey, const QString &source, QString *error)
{
    ossl::Pkey owned(pkey);
    if (!owned) {
        *error = QStringLiteral("no key in %1").arg(source);
        return std::nullopt;
    }
    if (EVP_PKEY_get_id(pkey) != EVP_PKEY_ED25519) {
        *error = QStringLiteral("the key in %1 is %2, Custody uses Ed25519").arg(source, ossl::keyTypeName(pkey));
        return std::nullopt;
    }
    return SigningKey(owned.release());
}

SigningKey::~SigningKey() = default;

QByteArray SigningKey::publicKeyRaw() const
{
    QByteArray out(PublicKey::kRawSize, Qt::Uninitialized);
    size_t len = size_t(out.size());
    if (!m_pkey || EVP_PKEY_get_raw_public_key(m_pkey.get(), reinterpret_cast<unsigned char *>(out.data()), &len) != 1)
        return {};
    return out;
}

QByteArray SigningKey::publicKeyPem() const
{
    return publicKey().pem();
}

QString SigningKey::keyId() const
{
    return keyIdOfRawPublicKey(publicKeyRaw());
}

PublicKey SigningKey::publicKey() const
{
    QString ignored;
    std::optional<PublicKey> key = PublicKey::fromRaw(publicKeyRaw(), &ignored);
    // Only a moved-from SigningKey has no public half; using one is a programming error.
    if (!key)
        std::abort();
    return std::move(*key);
}

QByteArray SigningKey::sign(const QByteArray &message) const
{
    QByteArray sig(kSignatureSize, Qt::Uninitialized);
    size_t len = size_t(sig.size());
    ossl::MdCtx ctx(EVP_MD_CTX_new());
    // Ed25519 is a one-shot scheme in OpenSSL: no digest is named and EVP_DigestSign takes the whole message.
    if (!m_pkey || !ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, m_pkey.get()) != 1
        || EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(sig.data()), &len,
                          reinterpret_cast<const unsigned char *>(message.constData()), size_t(message.size()))
            != 1
        || len != size_t(kSignatureSize)) {
        ERR_clear_error();
        return {};
    }
    return sig;
}

} // namespace custody
