#pragma once

#include "identity/SigningKey.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <optional>

struct evp_pkey_st;

namespace custody {

// scrypt cost parameters (RFC 7914). The defaults are what Custody writes and the least it loads.
struct ScryptParams
{
    uint64_t n = uint64_t(1) << 17;
    uint64_t r = 8;
    uint64_t p = 1;
};

// The on-disk form of a private key: PEM "ENCRYPTED PRIVATE KEY", a PKCS#8 EncryptedPrivateKeyInfo with
// PBES2 (RFC 8018), scrypt as the KDF and AES-256-CBC as the cipher. OpenSSL 3.0 can express this but caps
// scrypt at 32 MiB both when writing (PKCS5_pbe2_set_scrypt) and when reading (the PEM decoder), and
// N = 2^17, r = 8 needs 128 MiB; so the structure is built and taken apart here from OpenSSL's ASN.1
// types, and scrypt is called with an explicit memory limit.
class EncryptedKeyFile
{
public:
    static constexpr uint64_t kMaxScryptMemory = uint64_t(256) << 20;
    static constexpr int kSaltSize = 16;

    enum class Status {
        Ok,
        Damaged,         // not PEM, not DER, inconsistent fields; detail says which
        OtherFormat,     // a PEM block that is not an encrypted private key; detail names it
        OtherScheme,     // encrypted, but not PBES2 + scrypt + AES-256-CBC; detail names the scheme
        WeakParameters,  // scrypt below Custody's minimum; detail gives the parameters
        TooCostly,       // scrypt parameters beyond the memory or work Custody allows; detail says why
        WrongPassphrase, // the padding or the decrypted key does not decode
        WrongKeyType,    // decrypted fine, but not Ed25519; detail names the type
    };
    enum class Policy {
        RequireCustodyStrength, // loading from a KeyStore
        AcceptAnyScrypt,        // importing a key that will be re-encrypted with Custody's parameters
    };

    struct Decrypted
    {
        Status status = Status::Damaged;
        QString detail;
        std::optional<SigningKey> key;
    };

    // PEM text, or empty with *error set. `params` other than the defaults exist so that tests can build
    // files that decrypt() must refuse; production code never passes them.
    static QByteArray encrypt(const SigningKey &key, const QByteArray &passphrase, QString *error,
                              const ScryptParams &params = ScryptParams());
    // Any OpenSSL key (the object keeps ownership): lets tests write an RSA key that decrypt() must refuse.
    static QByteArray encryptAnyKey(evp_pkey_st *key, const QByteArray &passphrase, QString *error,
                                    const ScryptParams &params = ScryptParams());
    static Decrypted decrypt(const QByteArray &pem, const QByteArray &passphrase, Policy policy);

    static QString describe(const ScryptParams &params); // "scrypt N=2^17, r=8, p=1"
};

} // namespace custody
