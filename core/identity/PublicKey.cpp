#include "identity/PublicKey.h"
#include "formats/RegularFile.h"

#include "hashing/Sha256.h"
#include "identity/OpenSslPtr.h"

#include <QFile>

#include <openssl/pem.h>

namespace custody {

void PublicKey::PkeyFree::operator()(evp_pkey_st *p) const
{
    EVP_PKEY_free(p);
}

QString keyIdOfRawPublicKey(const QByteArray &raw)
{
    return toHex(Sha256::of(std::string_view(raw.constData(), size_t(raw.size()))));
}

std::optional<PublicKey> PublicKey::fromPkey(evp_pkey_st *pkey, const QString &source, QString *error)
{
    if (!pkey) {
        *error = QStringLiteral("no key in %1").arg(source);
        return std::nullopt;
    }
    if (EVP_PKEY_get_id(pkey) != EVP_PKEY_ED25519) {
        *error = QStringLiteral("the key in %1 is %2, Custody uses Ed25519").arg(source, ossl::keyTypeName(pkey));
        return std::nullopt;
    }
    // Keep only the public half even when handed a private key, so a PublicKey never carries a secret.
    unsigned char raw[kRawSize];
    size_t len = sizeof raw;
    if (EVP_PKEY_get_raw_public_key(pkey, raw, &len) != 1 || len != sizeof raw) {
        *error = QStringLiteral("cannot read the public key in %1 (%2)").arg(source, ossl::takeErrorReason());
        return std::nullopt;
    }
    return fromRaw(QByteArray(reinterpret_cast<const char *>(raw), kRawSize), error);
}

std::optional<PublicKey> PublicKey::fromRaw(const QByteArray &raw, QString *error)
{
    if (raw.size() != kRawSize) {
        *error = QStringLiteral("an Ed25519 public key is 32 bytes, not %1").arg(raw.size());
        return std::nullopt;
    }
    EVP_PKEY *pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                                 reinterpret_cast<const unsigned char *>(raw.constData()),
                                                 size_t(raw.size()));
    if (!pkey) {
        *error = QStringLiteral("not an Ed25519 public key (%1)").arg(ossl::takeErrorReason());
        return std::nullopt;
    }
    return PublicKey(pkey);
}

std::optional<PublicKey> PublicKey::fromPem(const QByteArray &pem, const QString &source, QString *error)
{
    ossl::Bio bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    if (!bio) {
        *error = QStringLiteral("out of memory reading %1").arg(source);
        return std::nullopt;
    }
    // A private key is never read here: OpenSSL would ask for an encrypted one's passphrase on the terminal
    // itself (campaign 8), and a private key given where a public one belongs is a mistake to name.
    if (pem.contains("PRIVATE KEY-----")) {
        *error = QStringLiteral("%1 holds a private key; give its public key (from 'custody-cli key "
                                "export-public NAME')").arg(source);
        return std::nullopt;
    }
    const auto noPassphrase = [](char *, int, int, void *) { return -1; };
    ossl::Pkey pkey(PEM_read_bio_PUBKEY(bio.get(), nullptr, noPassphrase, nullptr));
    if (!pkey) {
        *error = QStringLiteral("%1 holds no PEM public key (%2)").arg(source, ossl::takeErrorReason());
        return std::nullopt;
    }
    return fromPkey(pkey.get(), source, error);
}

std::optional<PublicKey> PublicKey::fromPemFile(const QString &path, QString *error)
{
    QFile f;
    if (!openRegularFile(&f, path, error)) {
        error->prepend(QStringLiteral("cannot read ")); // "cannot read PATH: why"
        return std::nullopt;
    }
    // A public key PEM is a few hundred bytes; do not slurp an arbitrary file given by mistake.
    const QByteArray pem = f.read(64 * 1024);
    return fromPem(pem, path, error);
}

PublicKey::PublicKey(const PublicKey &other)
{
    if (other.m_pkey && EVP_PKEY_up_ref(other.m_pkey.get()) == 1)
        m_pkey.reset(other.m_pkey.get());
}

PublicKey &PublicKey::operator=(const PublicKey &other)
{
    if (this != &other)
        *this = PublicKey(other);
    return *this;
}

PublicKey::~PublicKey() = default;

QByteArray PublicKey::raw() const
{
    QByteArray out(kRawSize, Qt::Uninitialized);
    size_t len = size_t(out.size());
    if (!m_pkey || EVP_PKEY_get_raw_public_key(m_pkey.get(), reinterpret_cast<unsigned char *>(out.data()), &len) != 1)
        return {};
    return out;
}

QByteArray PublicKey::pem() const
{
    ossl::Bio bio(BIO_new(BIO_s_mem()));
    if (!m_pkey || !bio || PEM_write_bio_PUBKEY(bio.get(), m_pkey.get()) != 1)
        return {};
    char *data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, int(len));
}

QString PublicKey::keyId() const
{
    return m_pkey ? keyIdOfRawPublicKey(raw()) : QString();
}

bool PublicKey::verify(const QByteArray &message, const QByteArray &signature) const
{
    if (!m_pkey || signature.size() != 64)
        return false;
    ossl::MdCtx ctx(EVP_MD_CTX_new());
    const bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, m_pkey.get()) == 1
        && EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char *>(signature.constData()),
                            size_t(signature.size()), reinterpret_cast<const unsigned char *>(message.constData()),
                            size_t(message.size()))
            == 1;
    ERR_clear_error(); // a bad signature leaves an error on the queue; it is an answer, not a failure
    return ok;
}

} // namespace custody
