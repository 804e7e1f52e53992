#pragma once

#include <QByteArray>
#include <QString>

#include <array>
#include <cstdint>
#include <string_view>

struct evp_md_ctx_st;

namespace custody {

using Digest = std::array<uint8_t, 32>;

QString toHex(const Digest &digest);
bool digestFromHex(QStringView hex, Digest *digest);
inline QByteArray toBytes(const Digest &d) { return QByteArray(reinterpret_cast<const char *>(d.data()), 32); }
bool digestFromBytes(const QByteArray &bytes, Digest *digest);

// SHA-256 through OpenSSL's EVP interface (SHA-NI accelerated; Qt's own hash is ten times slower here).
// One object reuses its context across many small messages, which is what makes per-record hashing cheap.
class Sha256
{
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256 &) = delete;
    Sha256 &operator=(const Sha256 &) = delete;

    void reset();
    void update(const void *data, size_t size);
    void update(std::string_view bytes) { update(bytes.data(), bytes.size()); }
    void update(const QByteArray &bytes) { update(bytes.constData(), size_t(bytes.size())); }
    void update(const Digest &d) { update(d.data(), d.size()); }
    Digest finish(); // also resets, ready for the next message

    static Digest of(std::string_view bytes);

private:
    evp_md_ctx_st *m_ctx;
};

} // namespace custody
