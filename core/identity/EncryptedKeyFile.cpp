#include "identity/EncryptedKeyFile.h"

#include "identity/OpenSslPtr.h"

#include <openssl/crypto.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <bit>
#include <cstring>
#include <vector>

namespace custody {

namespace {

constexpr int kKeySize = 32; // AES-256
constexpr int kIvSize = 16;  // AES block
// Upper bound on N * r * p (16 times Custody's own): a planted key file must not pin a core for minutes.
constexpr uint64_t kMaxScryptWork = uint64_t(1) << 24;

// A byte buffer for secrets (derived keys, decrypted PKCS#8) that is wiped before it is freed.
class SecretBuffer
{
public:
    explicit SecretBuffer(size_t size) : m_bytes(size) {}
    ~SecretBuffer() { OPENSSL_cleanse(m_bytes.data(), m_bytes.size()); }
    SecretBuffer(const SecretBuffer &) = delete;
    SecretBuffer &operator=(const SecretBuffer &) = delete;
    unsigned char *data() { return m_bytes.data(); }
    size_t size() const { return m_bytes.size(); }

private:
    std::vector<unsigned char> m_bytes;
};

const unsigned char *bytes(const QByteArray &a)
{
    return reinterpret_cast<const unsigned char *>(a.constData());
}

QString objectName(const ASN1_OBJECT *obj)
{
    const int nid = OBJ_obj2nid(obj);
    if (nid != NID_undef)
        return QString::fromLatin1(OBJ_nid2sn(nid));
    char text[80];
    OBJ_obj2txt(text, sizeof text, obj, 1);
    return QString::fromLatin1(text);
}

uint64_t scryptMemory(const ScryptParams &s)
{
    // What OpenSSL's scrypt allocates: 128 r (N + 2) for V plus 128 r p for B. Callers bound the inputs.
    return 128 * s.r * (s.n + 2) + 128 * s.r * s.p;
}

bool deriveKey(const QByteArray &passphrase, const unsigned char *salt, size_t saltLen, const ScryptParams &s,
               unsigned char *key)
{
    return EVP_PBE_scrypt_ex(passphrase.constData(), size_t(passphrase.size()), salt, saltLen, s.n, s.r, s.p,
                             EncryptedKeyFile::kMaxScryptMemory, key, kKeySize, nullptr, nullptr)
        == 1;
}

// Moves `value` into `alg` as its parameter; X509_ALGOR_set0 takes ownership only when it succeeds.
bool setAlgorithm(X509_ALGOR *alg, int nid, int type, ASN1_STRING *value)
{
    if (!value)
        return false;
    if (X509_ALGOR_set0(alg, OBJ_nid2obj(nid), type, value) != 1) {
        ASN1_STRING_free(value);
        return false;
    }
    return true;
}

EncryptedKeyFile::Decrypted fail(EncryptedKeyFile::Status status, const QString &detail)
{
    ERR_clear_error();
    EncryptedKeyFile::Decrypted d;
    d.status = status;
    d.detail = detail;
    return d;
}

const ASN1_STRING *sequenceParameter(const X509_ALGOR *alg)
{
    return alg->parameter && alg->parameter->type == V_ASN1_SEQUENCE ? alg->parameter->value.sequence : nullptr;
}

} // namespace

QString EncryptedKeyFile::describe(const ScryptParams &params)
{
    const QString n = std::has_single_bit(params.n) ? QStringLiteral("2^%1").arg(std::countr_zero(params.n))
                                                    : QString::number(params.n);
    return QStringLiteral("scrypt N=%1, r=%2, p=%3").arg(n).arg(params.r).arg(params.p);
}

QByteArray EncryptedKeyFile::encrypt(const SigningKey &key, const QByteArray &passphrase, QString *error,
                                     const ScryptParams &params)
{
    return encryptAnyKey(key.pkey(), passphrase, error, params);
}

QByteArray EncryptedKeyFile::encryptAnyKey(evp_pkey_st *key, const QByteArray &passphrase, QString *error,
                                           const ScryptParams &params)
{
    auto failed = [error](const QString &what) {
        *error = QStringLiteral("cannot encrypt the private key: %1 (%2)").arg(what, ossl::takeErrorReason());
        return QByteArray();
    };
    if (!key)
        return failed(QStringLiteral("no key"));

    ossl::Pkcs8Info info(EVP_PKEY2PKCS8(key));
    unsigned char *der = nullptr;
    const int derLen = info ? i2d_PKCS8_PRIV_KEY_INFO(info.get(), &der) : -1;
    if (derLen <= 0)
        return failed(QStringLiteral("cannot encode it as PKCS#8"));
    // Copy into a buffer that wipes itself, and wipe OpenSSL's copy at once.
    SecretBuffer plain{size_t(derLen)};
    std::memcpy(plain.data(), der, size_t(derLen));
    OPENSSL_clear_free(der, size_t(derLen));

    unsigned char salt[kSaltSize];
    unsigned char iv[kIvSize];
    if (RAND_bytes(salt, sizeof salt) != 1 || RAND_bytes(iv, sizeof iv) != 1)
        return failed(QStringLiteral("no random bytes"));

    SecretBuffer aesKey(kKeySize);
    if (!deriveKey(passphrase, salt, sizeof salt, params, aesKey.data()))
        return failed(QStringLiteral("scrypt failed"));

    std::vector<unsigned char> cipherText(plain.size() + kIvSize);
    int outLen = 0;
    int finalLen = 0;
    ossl::CipherCtx ctx(EVP_CIPHER_CTX_new());
    if (!ctx || EVP_EncryptInit_ex2(ctx.get(), EVP_aes_256_cbc(), aesKey.data(), iv, nullptr) != 1
        || EVP_EncryptUpdate(ctx.get(), cipherText.data(), &outLen, plain.data(), int(plain.size())) != 1
        || EVP_EncryptFinal_ex(ctx.get(), cipherText.data() + outLen, &finalLen) != 1)
        return failed(QStringLiteral("AES-256-CBC failed"));
    cipherText.resize(size_t(outLen + finalLen));

    // SCRYPT_PARAMS { salt, N, r, p } (keyLength omitted: AES-256 fixes it), inside PBE2PARAM, inside X509_SIG.
    ossl::ScryptParams scrypt(SCRYPT_PARAMS_new());
    if (!scrypt || ASN1_OCTET_STRING_set(scrypt->salt, salt, sizeof salt) != 1
        || ASN1_INTEGER_set_uint64(scrypt->costParameter, params.n) != 1
        || ASN1_INTEGER_set_uint64(scrypt->blockSize, params.r) != 1
        || ASN1_INTEGER_set_uint64(scrypt->parallelizationParameter, params.p) != 1)
        return failed(QStringLiteral("cannot encode the scrypt parameters"));

    ossl::Pbe2Param pbe2(PBE2PARAM_new());
    ASN1_OCTET_STRING *ivString = ASN1_OCTET_STRING_new();
    if (ivString && ASN1_OCTET_STRING_set(ivString, iv, sizeof iv) != 1) {
        ASN1_OCTET_STRING_free(ivString);
        ivString = nullptr;
    }
    if (!pbe2
        || !setAlgorithm(pbe2->keyfunc, NID_id_scrypt, V_ASN1_SEQUENCE,
                         ASN1_item_pack(scrypt.get(), ASN1_ITEM_rptr(SCRYPT_PARAMS), nullptr))
        || !setAlgorithm(pbe2->encryption, NID_aes_256_cbc, V_ASN1_OCTET_STRING, ivString))
        return failed(QStringLiteral("cannot encode the PBES2 parameters"));

    ossl::Sig sig(X509_SIG_new());
    X509_ALGOR *alg = nullptr;
    ASN1_OCTET_STRING *digest = nullptr;
    if (sig)
        X509_SIG_getm(sig.get(), &alg, &digest);
    if (!sig
        || !setAlgorithm(alg, NID_pbes2, V_ASN1_SEQUENCE,
                         ASN1_item_pack(pbe2.get(), ASN1_ITEM_rptr(PBE2PARAM), nullptr))
        || ASN1_OCTET_STRING_set(digest, cipherText.data(), int(cipherText.size())) != 1)
        return failed(QStringLiteral("cannot encode EncryptedPrivateKeyInfo"));

    ossl::Bio bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PKCS8(bio.get(), sig.get()) != 1)
        return failed(QStringLiteral("cannot write PEM"));
    char *data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, int(len));
}

EncryptedKeyFile::Decrypted EncryptedKeyFile::decrypt(const QByteArray &pem, const QByteArray &passphrase,
                                                      Policy policy)
{
    // A key file is a few hundred bytes (KeyStore reads at most 1 MiB of one to import); refuse anything larger
    // before OpenSSL sees it, whoever the caller.
    constexpr qsizetype kMaxPemBytes = qsizetype(1) << 20;
    if (pem.size() > kMaxPemBytes)
        return fail(Status::Damaged, QStringLiteral("larger than %1 MiB, too large for a key file").arg(kMaxPemBytes >> 20));
    ossl::Bio bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    char *name = nullptr;
    char *header = nullptr;
    unsigned char *data = nullptr;
    long len = 0;
    if (!bio || PEM_read_bio(bio.get(), &name, &header, &data, &len) != 1) {
        const unsigned long code = ERR_peek_last_error();
        const QString reason = ossl::takeErrorReason();
        return fail(Status::Damaged, ERR_GET_REASON(code) == PEM_R_NO_START_LINE
                                         ? QStringLiteral("not PEM: no BEGIN line")
                                         : QStringLiteral("truncated or corrupted PEM: %1").arg(reason));
    }
    const QByteArray label(name);
    // Copy the DER only when it is encrypted: for a plain key it is the secret itself, wiped unread.
    const QByteArray der = label == PEM_STRING_PKCS8 ? QByteArray(reinterpret_cast<const char *>(data), int(len))
                                                     : QByteArray();
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_clear_free(data, size_t(len));
    if (label != PEM_STRING_PKCS8) {
        if (label == PEM_STRING_PKCS8INF || label.endsWith(" PRIVATE KEY"))
            return fail(Status::OtherFormat, QStringLiteral("an unencrypted %1").arg(QString::fromLatin1(label)));
        return fail(Status::OtherFormat, QStringLiteral("a %1 block").arg(QString::fromLatin1(label)));
    }

    const unsigned char *p = bytes(der);
    ossl::Sig sig(d2i_X509_SIG(nullptr, &p, long(der.size())));
    if (!sig || p != bytes(der) + der.size())
        return fail(Status::Damaged, QStringLiteral("not a PKCS#8 EncryptedPrivateKeyInfo"));
    const X509_ALGOR *alg = nullptr;
    const ASN1_OCTET_STRING *cipherText = nullptr;
    X509_SIG_get0(sig.get(), &alg, &cipherText);
    if (OBJ_obj2nid(alg->algorithm) != NID_pbes2)
        return fail(Status::OtherScheme, objectName(alg->algorithm));

    const ASN1_STRING *pbe2Der = sequenceParameter(alg);
    ossl::Pbe2Param pbe2(pbe2Der ? static_cast<PBE2PARAM *>(ASN1_item_unpack(pbe2Der, ASN1_ITEM_rptr(PBE2PARAM)))
                                 : nullptr);
    if (!pbe2)
        return fail(Status::Damaged, QStringLiteral("bad PBES2 parameters"));
    if (OBJ_obj2nid(pbe2->keyfunc->algorithm) != NID_id_scrypt)
        return fail(Status::OtherScheme, objectName(pbe2->keyfunc->algorithm));
    if (OBJ_obj2nid(pbe2->encryption->algorithm) != NID_aes_256_cbc)
        return fail(Status::OtherScheme, QStringLiteral("scrypt with %1").arg(objectName(pbe2->encryption->algorithm)));

    const ASN1_STRING *scryptDer = sequenceParameter(pbe2->keyfunc);
    ossl::ScryptParams scrypt(
        scryptDer ? static_cast<SCRYPT_PARAMS *>(ASN1_item_unpack(scryptDer, ASN1_ITEM_rptr(SCRYPT_PARAMS)))
                  : nullptr);
    const ASN1_TYPE *ivParam = pbe2->encryption->parameter;
    ScryptParams params;
    uint64_t keyLength = kKeySize;
    if (!scrypt || ASN1_INTEGER_get_uint64(&params.n, scrypt->costParameter) != 1
        || ASN1_INTEGER_get_uint64(&params.r, scrypt->blockSize) != 1
        || ASN1_INTEGER_get_uint64(&params.p, scrypt->parallelizationParameter) != 1
        || (scrypt->keyLength && ASN1_INTEGER_get_uint64(&keyLength, scrypt->keyLength) != 1))
        return fail(Status::Damaged, QStringLiteral("bad scrypt parameters"));
    if (params.n < 2 || !std::has_single_bit(params.n) || params.r == 0 || params.p == 0 || keyLength != kKeySize
        || ASN1_STRING_length(scrypt->salt) <= 0)
        return fail(Status::Damaged, QStringLiteral("invalid scrypt parameters"));
    if (!ivParam || ivParam->type != V_ASN1_OCTET_STRING || ASN1_STRING_length(ivParam->value.octet_string) != kIvSize)
        return fail(Status::Damaged, QStringLiteral("bad AES-256-CBC parameters"));
    // Each factor is bounded first so that the products cannot overflow.
    if (params.n > kMaxScryptWork || params.r > kMaxScryptWork || params.p > kMaxScryptWork
        || params.n * params.r > kMaxScryptWork || params.n * params.r * params.p > kMaxScryptWork)
        return fail(Status::TooCostly, QStringLiteral("%1 is more work than Custody allows").arg(describe(params)));
    if (scryptMemory(params) > kMaxScryptMemory)
        return fail(Status::TooCostly, QStringLiteral("%1 needs %2 MiB, more than the %3 MiB Custody allows")
                                           .arg(describe(params))
                                           .arg(scryptMemory(params) >> 20)
                                           .arg(kMaxScryptMemory >> 20));
    const ScryptParams minimum;
    if (policy == Policy::RequireCustodyStrength
        && (params.n < minimum.n || params.r < minimum.r || params.p < minimum.p
            || ASN1_STRING_length(scrypt->salt) < kSaltSize))
        return fail(Status::WeakParameters, describe(params));

    SecretBuffer aesKey(kKeySize);
    if (!deriveKey(passphrase, ASN1_STRING_get0_data(scrypt->salt), size_t(ASN1_STRING_length(scrypt->salt)), params,
                   aesKey.data()))
        return fail(Status::TooCostly, QStringLiteral("scrypt refused %1 (%2)").arg(describe(params), ossl::takeErrorReason()));

    const int cipherLen = ASN1_STRING_length(cipherText);
    if (cipherLen <= 0 || cipherLen % kIvSize != 0)
        return fail(Status::Damaged, QStringLiteral("the encrypted key is %1 bytes, not whole AES blocks").arg(cipherLen));
    SecretBuffer plain(size_t(cipherLen) + kIvSize);
    int outLen = 0;
    int finalLen = 0;
    ossl::CipherCtx ctx(EVP_CIPHER_CTX_new());
    if (!ctx
        || EVP_DecryptInit_ex2(ctx.get(), EVP_aes_256_cbc(), aesKey.data(),
                               ASN1_STRING_get0_data(ivParam->value.octet_string), nullptr)
            != 1
        || EVP_DecryptUpdate(ctx.get(), plain.data(), &outLen, ASN1_STRING_get0_data(cipherText), cipherLen) != 1)
        return fail(Status::Damaged, QStringLiteral("AES-256-CBC failed"));
    // Without a MAC, a bad padding is how a wrong passphrase shows (a damaged cipher text looks the same).
    if (EVP_DecryptFinal_ex(ctx.get(), plain.data() + outLen, &finalLen) != 1)
        return fail(Status::WrongPassphrase, {});
    const long plainLen = outLen + finalLen;

    const unsigned char *q = plain.data();
    ossl::Pkcs8Info info(d2i_PKCS8_PRIV_KEY_INFO(nullptr, &q, plainLen));
    // One wrong passphrase in 256 passes the padding check; its plain text still is not a PKCS#8 key.
    if (!info || q != plain.data() + plainLen)
        return fail(Status::WrongPassphrase, {});
    ossl::Pkey pkey(EVP_PKCS82PKEY(info.get()));
    if (!pkey)
        return fail(Status::Damaged, QStringLiteral("the decrypted key is not usable (%1)").arg(ossl::takeErrorReason()));
    if (EVP_PKEY_get_id(pkey.get()) != EVP_PKEY_ED25519)
        return fail(Status::WrongKeyType, ossl::keyTypeName(pkey.get()));

    QString ignored;
    Decrypted d;
    d.key = SigningKey::adopt(pkey.release(), QString(), &ignored);
    d.status = d.key ? Status::Ok : Status::Damaged;
    return d;
}

} // namespace custody
