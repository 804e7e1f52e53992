#include "hashing/Sha256.h"

#include <openssl/evp.h>

#include <cstdlib>

namespace custody {

QString toHex(const Digest &digest)
{
    return QString::fromLatin1(toBytes(digest).toHex());
}

bool digestFromHex(QStringView hex, Digest *digest)
{
    if (hex.size() != 64)
        return false;
    const QByteArray raw = QByteArray::fromHex(hex.toLatin1());
    if (raw.size() != 32 || raw.toHex() != hex.toLatin1().toLower())
        return false;
    return digestFromBytes(raw, digest);
}

bool digestFromBytes(const QByteArray &bytes, Digest *digest)
{
    if (bytes.size() != 32)
        return false;
    std::copy(bytes.begin(), bytes.end(), digest->begin());
    return true;
}

namespace {
// OpenSSL 3 looks the algorithm up (under a lock) on every init given EVP_sha256(); fetch it once instead.
const EVP_MD *sha256Algorithm()
{
    static EVP_MD *md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return md;
}
} // namespace

Sha256::Sha256() : m_ctx(EVP_MD_CTX_new())
{
    if (!m_ctx)
        std::abort();
    reset();
}

Sha256::~Sha256()
{
    EVP_MD_CTX_free(m_ctx);
}

void Sha256::reset()
{
    if (EVP_DigestInit_ex2(m_ctx, sha256Algorithm(), nullptr) != 1)
        std::abort();
}

void Sha256::update(const void *data, size_t size)
{
    EVP_DigestUpdate(m_ctx, data, size);
}

Digest Sha256::finish()
{
    Digest d;
    unsigned int n = 0;
    EVP_DigestFinal_ex(m_ctx, d.data(), &n);
    reset();
    return d;
}

Digest Sha256::of(std::string_view bytes)
{
    Sha256 h;
    h.update(bytes);
    return h.finish();
}

} // namespace custody
