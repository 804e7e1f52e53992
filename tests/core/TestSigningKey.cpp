#include "TestSupport.h"
#include "identity/EncryptedKeyFile.h"
#include "identity/OpenSslPtr.h"
#include "identity/PublicKey.h"
#include "identity/SigningKey.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/pem.h>

using namespace custody;

// Ed25519 keys through OpenSSL: the RFC 8032 vector, PEM forms other tools read, and refusal of other key types.
class TestSigningKey : public QObject
{
    Q_OBJECT

private:
    QByteArray m_seed;
    QByteArray m_public;
    QByteArray m_emptySignature;

    static QByteArray rsaPem(bool privateKey)
    {
        ossl::Pkey rsa(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048)));
        ossl::Bio bio(BIO_new(BIO_s_mem()));
        if (!rsa || !bio)
            return {};
        const int ok = privateKey ? PEM_write_bio_PrivateKey(bio.get(), rsa.get(), nullptr, nullptr, 0, nullptr, nullptr)
                                  : PEM_write_bio_PUBKEY(bio.get(), rsa.get());
        char *data = nullptr;
        const long len = BIO_get_mem_data(bio.get(), &data);
        return ok == 1 ? QByteArray(data, int(len)) : QByteArray();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QFile f(test::dataPath(QStringLiteral("dsse.json")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
        m_seed = QByteArray::fromHex(o.value(QStringLiteral("ed25519_private_seed_hex")).toString().toLatin1());
        m_public = QByteArray::fromHex(o.value(QStringLiteral("ed25519_public_hex")).toString().toLatin1());
        m_emptySignature = QByteArray::fromHex(o.value(QStringLiteral("rfc8032_test1_empty_message_sig_hex")).toString().toLatin1());
        QCOMPARE(m_seed.size(), 32);
        QCOMPARE(m_public.size(), 32);
        QCOMPARE(m_emptySignature.size(), 64);
    }

    void rfc8032Test1()
    {
        QString error;
        const auto key = SigningKey::fromSeed(m_seed, &error);
        QVERIFY2(key, qPrintable(error));
        QCOMPARE(key->publicKeyRaw(), m_public);
        QCOMPARE(key->sign(QByteArray()), m_emptySignature);
        QVERIFY(key->publicKey().verify(QByteArray(), m_emptySignature));
    }

    void keyIdIsSha256OfRawPublicKey()
    {
        QString error;
        const auto key = SigningKey::fromSeed(m_seed, &error);
        QVERIFY2(key, qPrintable(error));
        // sha256sum of the 32 public key bytes d75a9801...511a, computed outside Custody.
        const QString expected = QStringLiteral("21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9");
        QCOMPARE(key->keyId(), expected);
        QCOMPARE(key->publicKey().keyId(), expected);
        QCOMPARE(keyIdOfRawPublicKey(m_public), expected);
    }

    void generatedKeysSignAndVerify()
    {
        QString error;
        auto a = SigningKey::generate(&error);
        auto b = SigningKey::generate(&error);
        QVERIFY2(a && b, qPrintable(error));
        QVERIFY(a->publicKeyRaw() != b->publicKeyRaw());
        QCOMPARE(a->keyId().size(), 64);

        const QByteArray message("release 7 of fashion-mnist");
        const QByteArray sig = a->sign(message);
        QCOMPARE(sig.size(), SigningKey::kSignatureSize);
        QVERIFY(a->publicKey().verify(message, sig));
        QVERIFY(!b->publicKey().verify(message, sig));
        QVERIFY(!a->publicKey().verify(message + '!', sig));
        QByteArray flipped = sig;
        flipped[10] = char(flipped[10] ^ 1);
        QVERIFY(!a->publicKey().verify(message, flipped));
        QVERIFY(!a->publicKey().verify(message, sig.left(63)));
        QCOMPARE(ERR_peek_error(), 0ul); // failed verifications leave nothing on OpenSSL's error queue
    }

    void movedKeyKeepsWorking()
    {
        QString error;
        auto key = SigningKey::fromSeed(m_seed, &error);
        QVERIFY(key);
        SigningKey moved = std::move(*key);
        QCOMPARE(moved.sign(QByteArray()), m_emptySignature);
        PublicKey pub = moved.publicKey();
        PublicKey copy = pub;
        PublicKey movedPub = std::move(pub);
        QVERIFY(copy == movedPub);
        QCOMPARE(copy.raw(), m_public);
    }

    void seedAndRawSizesAreChecked()
    {
        QString error;
        QVERIFY(!SigningKey::fromSeed(m_seed.left(31), &error));
        QCOMPARE(error, QStringLiteral("an Ed25519 seed is 32 bytes, not 31"));
        QVERIFY(!PublicKey::fromRaw(m_public + 'x', &error));
        QCOMPARE(error, QStringLiteral("an Ed25519 public key is 32 bytes, not 33"));
    }

    void publicPemRoundTrips()
    {
        QString error;
        const auto key = SigningKey::fromSeed(m_seed, &error);
        QVERIFY(key);
        const QByteArray pem = key->publicKeyPem();
        QVERIFY(pem.startsWith("-----BEGIN PUBLIC KEY-----\n"));
        QVERIFY(pem.endsWith("-----END PUBLIC KEY-----\n"));
        const auto pub = PublicKey::fromPem(pem, QStringLiteral("alice.pub"), &error);
        QVERIFY2(pub, qPrintable(error));
        QCOMPARE(pub->raw(), m_public);
        QCOMPARE(pub->pem(), pem);
        QCOMPARE(pub->keyId(), key->keyId());
    }

    // The PEM is what `openssl pkeyutl -verify -pubin` reads: others can check Custody's signatures.
    void opensslCommandVerifiesSignature()
    {
        const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
        if (openssl.isEmpty())
            QSKIP("no openssl command on this machine");
        QTemporaryDir dir;
        QString error;
        const auto key = SigningKey::generate(&error);
        QVERIFY(key);
        const QByteArray message("the ledger head is 5dc9da79");
        QVERIFY(test::writeFile(dir.filePath(QStringLiteral("key.pub")), key->publicKeyPem()));
        QVERIFY(test::writeFile(dir.filePath(QStringLiteral("msg")), message));
        QVERIFY(test::writeFile(dir.filePath(QStringLiteral("sig")), key->sign(message)));
        auto run = [&](const QString &msgFile) {
            QProcess p;
            p.setWorkingDirectory(dir.path());
            p.start(openssl, {QStringLiteral("pkeyutl"), QStringLiteral("-verify"), QStringLiteral("-pubin"),
                              QStringLiteral("-inkey"), QStringLiteral("key.pub"), QStringLiteral("-rawin"),
                              QStringLiteral("-in"), msgFile, QStringLiteral("-sigfile"), QStringLiteral("sig")});
            p.waitForFinished();
            return p.exitCode();
        };
        QCOMPARE(run(QStringLiteral("msg")), 0);
        QVERIFY(test::writeFile(dir.filePath(QStringLiteral("other")), message + '.'));
        QVERIFY(run(QStringLiteral("other")) != 0);
    }

    void otherKeyTypesAreRefused()
    {
        QString error;
        QVERIFY(!PublicKey::fromPem(rsaPem(false), QStringLiteral("bob.pem"), &error));
        QCOMPARE(error, QStringLiteral("the key in bob.pem is RSA, Custody uses Ed25519"));

        const QByteArray priv = rsaPem(true);
        ossl::Bio privBio(BIO_new_mem_buf(priv.constData(), int(priv.size())));
        EVP_PKEY *rsa = PEM_read_bio_PrivateKey(privBio.get(), nullptr, nullptr, nullptr);
        QVERIFY(rsa);
        QVERIFY(!SigningKey::adopt(rsa, QStringLiteral("bob.key"), &error));
        QCOMPARE(error, QStringLiteral("the key in bob.key is RSA, Custody uses Ed25519"));

        ossl::Pkey ed448(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED448"));
        QVERIFY(ed448);
        QVERIFY(!PublicKey::fromPkey(ed448.get(), QStringLiteral("carol.pem"), &error));
        QCOMPARE(error, QStringLiteral("the key in carol.pem is ED448, Custody uses Ed25519"));
    }

    void pemFileErrorsNameTheFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("junk.pem"));
        QVERIFY(test::writeFile(path, "not a key\n"));
        QString error;
        QVERIFY(!PublicKey::fromPemFile(path, &error));
        QVERIFY2(error.startsWith(path + QStringLiteral(" holds no PEM public key")), qPrintable(error));
        QVERIFY(!PublicKey::fromPemFile(dir.filePath(QStringLiteral("missing.pem")), &error));
        QVERIFY2(error.startsWith(QStringLiteral("cannot read ")), qPrintable(error));
        // A private key, encrypted or not, where a public key belongs: named, never a passphrase prompt (OpenSSL
        // asks on the terminal by itself when given no callback). stdin is closed so a prompt could not hang.
        const QString key = dir.filePath(QStringLiteral("alice.key"));
        QVERIFY(test::writeFile(key, EncryptedKeyFile::encrypt(SigningKey::generate(&error).value(), "secret", &error)));
        QVERIFY(!PublicKey::fromPemFile(key, &error));
        QCOMPARE(error, key + QStringLiteral(" holds a private key; give its public key (from 'custody-cli key export-public NAME')"));
        QVERIFY(!PublicKey::fromPem(rsaPem(true), QStringLiteral("bob.key"), &error));
        QVERIFY2(error.contains(QStringLiteral("holds a private key")), qPrintable(error));
        QCOMPARE(ERR_peek_error(), 0ul);
    }
};

QTEST_GUILESS_MAIN(TestSigningKey)
#include "TestSigningKey.moc"
