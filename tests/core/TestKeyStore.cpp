#include "storage/Workspace.h"
#include "TestSupport.h"
#include "identity/EncryptedKeyFile.h"
#include "identity/KeyStore.h"
#include "identity/OpenSslPtr.h"
#include "workflow/OpenWorkspace.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/objects.h>
#include <openssl/pem.h>

#include <sys/stat.h>
#include <unistd.h>

using namespace custody;

namespace {

mode_t modeOf(const QString &path)
{
    struct stat st;
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? st.st_mode & 07777 : mode_t(-1);
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeWithMode(const QString &path, const QByteArray &bytes, mode_t mode)
{
    return test::writeFile(path, bytes) && ::chmod(QFile::encodeName(path).constData(), mode) == 0;
}

QByteArray pemOf(EVP_PKEY *pkey, const EVP_CIPHER *cipher, const QByteArray &passphrase)
{
    ossl::Bio bio(BIO_new(BIO_s_mem()));
    const int ok = cipher ? PEM_write_bio_PKCS8PrivateKey(bio.get(), pkey, cipher, nullptr, 0, nullptr,
                                                          const_cast<char *>(passphrase.constData()))
                          : PEM_write_bio_PrivateKey(bio.get(), pkey, nullptr, nullptr, 0, nullptr, nullptr);
    char *data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    return ok == 1 ? QByteArray(data, int(len)) : QByteArray();
}

// Reads the pseudo-terminal's output until `needle` shows up or `ms` pass.
} // namespace

// The key store: encrypted PKCS#8 with scrypt at 2^17, private file modes, and every refusal with its message.
// scrypt costs about half a second per create or load, so the tests share one key ("alice") where they can.
class TestKeyStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QString m_storeDir;
    const QByteArray m_pass = QByteArrayLiteral("correct horse battery staple");
    std::optional<PublicKey> m_alice;
    QByteArray m_aliceFile;

    QString scratchDir(const QString &name) const
    {
        const QString dir = m_tmp.filePath(name);
        QDir().mkpath(dir);
        return dir;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_storeDir = m_tmp.filePath(QStringLiteral("home/.local/share/custody/keys"));
        KeyStore store(m_storeDir);
        QString error;
        QElapsedTimer timer;
        timer.start();
        m_alice = store.create(QStringLiteral("alice"), m_pass, &error);
        QVERIFY2(m_alice, qPrintable(error));
        qInfo("create (keygen + scrypt N=2^17, r=8, p=1): %lld ms", timer.elapsed());
        m_aliceFile = readAll(store.keyPath(QStringLiteral("alice")));
        QVERIFY(!m_aliceFile.isEmpty());
    }

    void filesArePrivate()
    {
        KeyStore store(m_storeDir);
        QCOMPARE(store.keyPath(QStringLiteral("alice")), m_storeDir + QStringLiteral("/alice.key"));
        QCOMPARE(modeOf(store.keyPath(QStringLiteral("alice"))), mode_t(0600));
        QCOMPARE(modeOf(m_storeDir), mode_t(0700));
        QCOMPARE(modeOf(store.publicKeyPath(QStringLiteral("alice"))), mode_t(0644));
        // Nothing but the key and its public half: no temporary file left behind.
        QCOMPARE(QDir(m_storeDir).entryList(QDir::Files | QDir::Hidden, QDir::Name),
                 (QStringList{QStringLiteral("alice.key"), QStringLiteral("alice.pub")}));
    }

    void fileIsScryptPkcs8()
    {
        QVERIFY(m_aliceFile.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));
        ossl::Bio bio(BIO_new_mem_buf(m_aliceFile.constData(), int(m_aliceFile.size())));
        ossl::Sig sig(PEM_read_bio_PKCS8(bio.get(), nullptr, nullptr, nullptr));
        QVERIFY(sig);
        const X509_ALGOR *alg = nullptr;
        const ASN1_OCTET_STRING *cipherText = nullptr;
        X509_SIG_get0(sig.get(), &alg, &cipherText);
        QCOMPARE(OBJ_obj2nid(alg->algorithm), NID_pbes2);
        ossl::Pbe2Param pbe2(static_cast<PBE2PARAM *>(ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBE2PARAM), alg->parameter)));
        QVERIFY(pbe2);
        QCOMPARE(OBJ_obj2nid(pbe2->keyfunc->algorithm), NID_id_scrypt);
        QCOMPARE(OBJ_obj2nid(pbe2->encryption->algorithm), NID_aes_256_cbc);
        QCOMPARE(pbe2->encryption->parameter->type, V_ASN1_OCTET_STRING);
        QCOMPARE(ASN1_STRING_length(pbe2->encryption->parameter->value.octet_string), 16);
        ossl::ScryptParams scrypt(static_cast<SCRYPT_PARAMS *>(
            ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(SCRYPT_PARAMS), pbe2->keyfunc->parameter)));
        QVERIFY(scrypt);
        uint64_t n = 0, r = 0, p = 0;
        QVERIFY(ASN1_INTEGER_get_uint64(&n, scrypt->costParameter) == 1);
        QVERIFY(ASN1_INTEGER_get_uint64(&r, scrypt->blockSize) == 1);
        QVERIFY(ASN1_INTEGER_get_uint64(&p, scrypt->parallelizationParameter) == 1);
        QCOMPARE(n, uint64_t(131072));
        QCOMPARE(r, uint64_t(8));
        QCOMPARE(p, uint64_t(1));
        QCOMPARE(ASN1_STRING_length(scrypt->salt), 16);
        // An Ed25519 PKCS#8 is 48 bytes, padded to 4 AES blocks.
        QCOMPARE(ASN1_STRING_length(cipherText), 64);
    }

    void passphraseIsNotInTheFiles()
    {
        KeyStore store(m_storeDir);
        const QByteArray der = QByteArray::fromBase64(
            m_aliceFile.split('\n').mid(1, m_aliceFile.count('\n') - 2).join());
        QVERIFY(der.size() > 100);
        for (const QByteArray &haystack : {m_aliceFile, der, readAll(store.publicKeyPath(QStringLiteral("alice")))}) {
            QVERIFY(!haystack.contains(m_pass));
            QVERIFY(!haystack.contains("correct horse"));
        }
    }

    void loadRoundTrip()
    {
        KeyStore store(m_storeDir);
        QString error;
        QElapsedTimer timer;
        timer.start();
        const auto key = store.load(QStringLiteral("alice"), m_pass, &error);
        qInfo("load (scrypt N=2^17, r=8, p=1 + decrypt): %lld ms", timer.elapsed());
        QVERIFY2(key, qPrintable(error));
        QCOMPARE(key->keyId(), m_alice->keyId());
        const auto pub = store.publicKey(QStringLiteral("alice"), &error);
        QVERIFY2(pub, qPrintable(error));
        QVERIFY(pub->verify("release v7", key->sign("release v7")));
    }

    void wrongPassphraseChangesNothing()
    {
        KeyStore store(m_storeDir);
        QString error;
        QVERIFY(!store.load(QStringLiteral("alice"), "correct horse battery stapler", &error));
        QCOMPARE(error, QStringLiteral("wrong passphrase for key 'alice'"));
        QCOMPARE(readAll(store.keyPath(QStringLiteral("alice"))), m_aliceFile);
        QCOMPARE(ERR_peek_error(), 0ul);
    }

    void createNeverReplaces()
    {
        KeyStore store(m_storeDir);
        QString error;
        QVERIFY(!store.create(QStringLiteral("alice"), "another passphrase", &error));
        QCOMPARE(error, QStringLiteral("a key named 'alice' already exists in %1").arg(m_storeDir));
        QCOMPARE(readAll(store.keyPath(QStringLiteral("alice"))), m_aliceFile);
        QVERIFY(!store.create(QStringLiteral("empty"), QByteArray(), &error));
        QCOMPARE(error, QStringLiteral("the passphrase is empty"));
    }

    void invalidNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("empty") << QString();
        QTest::newRow("slash") << QStringLiteral("team/alice");
        QTest::newRow("parent") << QStringLiteral("../alice");
        QTest::newRow("space") << QStringLiteral("alice smith");
        QTest::newRow("non-ascii") << QStringLiteral("zoë");
        QTest::newRow("65 chars") << QString(65, QLatin1Char('a'));
    }

    void invalidNames()
    {
        QFETCH(QString, name);
        KeyStore store(m_storeDir);
        QString error;
        const QString expected = QStringLiteral("'%1' is not a valid key name (use 1 to 64 of A-Z a-z 0-9 . _ -)").arg(name);
        QVERIFY(!store.create(name, m_pass, &error));
        QCOMPARE(error, expected);
        QVERIFY(!store.load(name, m_pass, &error));
        QCOMPARE(error, expected);
        QVERIFY(KeyStore::isValidName(QString(64, QLatin1Char('a'))));
        QVERIFY(KeyStore::isValidName(QStringLiteral("ci-release_2.bot")));
    }

    void missingKey()
    {
        KeyStore store(m_storeDir);
        QString error;
        QVERIFY(!store.load(QStringLiteral("bob"), m_pass, &error));
        QCOMPARE(error, QStringLiteral("no key named 'bob' in %1").arg(m_storeDir));
        QVERIFY(!store.publicKey(QStringLiteral("bob"), &error));
        QCOMPARE(error, QStringLiteral("no key named 'bob' in %1").arg(m_storeDir));
    }

    void damagedFiles_data()
    {
        QTest::addColumn<QByteArray>("contents");
        QTest::addColumn<QString>("reason");
        const QList<QByteArray> lines = m_aliceFile.split('\n');
        QTest::newRow("cut in half") << m_aliceFile.left(m_aliceFile.size() / 2) << QStringLiteral("truncated or corrupted PEM: ");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("not PEM: no BEGIN line");
        QTest::newRow("not pem") << QByteArray("just some text\n") << QStringLiteral("not PEM: no BEGIN line");
        // Valid PEM and base64 around a DER that is not an EncryptedPrivateKeyInfo.
        QByteArray garbage(150, Qt::Uninitialized);
        for (int i = 0; i < garbage.size(); ++i)
            garbage[i] = char(i * 37 + 11);
        QTest::newRow("garbage der") << "-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + garbage.toBase64() + "\n-----END ENCRYPTED PRIVATE KEY-----\n"
                                     << QStringLiteral("not a PKCS#8 EncryptedPrivateKeyInfo");
        // Whole base64 lines dropped: still valid PEM, but the DER ends early.
        QTest::newRow("der cut short") << lines[0] + '\n' + lines[1] + '\n' + lines.last(2).join('\n')
                                       << QStringLiteral("not a PKCS#8 EncryptedPrivateKeyInfo");
    }

    void damagedFiles()
    {
        QFETCH(QByteArray, contents);
        QFETCH(QString, reason);
        KeyStore store(scratchDir(QStringLiteral("damaged")));
        const QString path = store.keyPath(QStringLiteral("broken"));
        QVERIFY(writeWithMode(path, contents, 0600));
        QString error;
        QVERIFY(!store.load(QStringLiteral("broken"), m_pass, &error));
        QVERIFY2(error.startsWith(QStringLiteral("key file %1 is damaged (%2").arg(path, reason)), qPrintable(error));
        QVERIFY2(error.endsWith(QLatin1Char(')')), qPrintable(error));
        QCOMPARE(readAll(path), contents);
        QCOMPARE(ERR_peek_error(), 0ul);
    }

    void looseModeRefused()
    {
        KeyStore store(scratchDir(QStringLiteral("loose")));
        const QString path = store.keyPath(QStringLiteral("alice"));
        QVERIFY(writeWithMode(path, m_aliceFile, 0640));
        QString error;
        QVERIFY(!store.load(QStringLiteral("alice"), m_pass, &error));
        QCOMPARE(error, QStringLiteral("key file %1 is readable by others (mode 0640); run chmod 600 %1").arg(path));
        QCOMPARE(modeOf(path), mode_t(0640));
    }

    void weakParametersRefused_data()
    {
        QTest::addColumn<quint64>("n");
        QTest::addColumn<quint64>("r");
        QTest::addColumn<QString>("described");
        QTest::newRow("N=2^14") << (quint64(1) << 14) << quint64(8) << QStringLiteral("scrypt N=2^14, r=8, p=1");
        QTest::newRow("r=4") << (quint64(1) << 17) << quint64(4) << QStringLiteral("scrypt N=2^17, r=4, p=1");
    }

    void weakParametersRefused()
    {
        QFETCH(quint64, n);
        QFETCH(quint64, r);
        QFETCH(QString, described);
        QString error;
        const auto key = SigningKey::generate(&error);
        QVERIFY(key);
        const QByteArray pem = EncryptedKeyFile::encrypt(*key, m_pass, &error, ScryptParams{n, r, 1});
        QVERIFY2(!pem.isEmpty(), qPrintable(error));
        KeyStore store(scratchDir(QStringLiteral("weak")));
        const QString path = store.keyPath(QStringLiteral("weak"));
        QVERIFY(writeWithMode(path, pem, 0600));
        QVERIFY(!store.load(QStringLiteral("weak"), m_pass, &error));
        QCOMPARE(error, QStringLiteral("key file %1 uses %2, Custody requires scrypt N>=2^17, r>=8, p>=1 with aes-256-cbc")
                            .arg(path, described));
        QCOMPARE(readAll(path), pem);
    }

    // The writer's output is standard PKCS#8: OpenSSL's own reader opens it when scrypt fits its 32 MiB cap.
    void writerOutputIsStandardPkcs8()
    {
        QString error;
        const auto key = SigningKey::generate(&error);
        QVERIFY(key);
        const QByteArray pem = EncryptedKeyFile::encrypt(*key, m_pass, &error, ScryptParams{1 << 14, 8, 1});
        ossl::Bio bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
        ossl::Pkey opened(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, const_cast<char *>(m_pass.constData())));
        QVERIFY(opened);
        const auto reopened = SigningKey::adopt(opened.release(), QStringLiteral("test"), &error);
        QVERIFY2(reopened, qPrintable(error));
        QCOMPARE(reopened->keyId(), key->keyId());
    }

    void otherSchemeRefused()
    {
        QString error;
        const auto key = SigningKey::generate(&error);
        QVERIFY(key);
        KeyStore store(scratchDir(QStringLiteral("pbkdf2")));
        const QString path = store.keyPath(QStringLiteral("pb"));
        QVERIFY(writeWithMode(path, pemOf(key->pkey(), EVP_aes_256_cbc(), m_pass), 0600));
        QVERIFY(!store.load(QStringLiteral("pb"), m_pass, &error));
        QCOMPARE(error, QStringLiteral("key file %1 uses PBKDF2, Custody requires scrypt N>=2^17, r>=8, p>=1 with aes-256-cbc").arg(path));

        const QString plain = store.keyPath(QStringLiteral("plain"));
        QVERIFY(writeWithMode(plain, pemOf(key->pkey(), nullptr, {}), 0600));
        QVERIFY(!store.load(QStringLiteral("plain"), m_pass, &error));
        QCOMPARE(error, QStringLiteral("key file %1 holds an unencrypted PRIVATE KEY, not an encrypted private key").arg(plain));
    }

    void rsaKeyInStoreRefused()
    {
        ossl::Pkey rsa(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048)));
        QVERIFY(rsa);
        QString error;
        const QByteArray pem = EncryptedKeyFile::encryptAnyKey(rsa.get(), m_pass, &error);
        QVERIFY2(!pem.isEmpty(), qPrintable(error));
        KeyStore store(scratchDir(QStringLiteral("rsa")));
        QVERIFY(writeWithMode(store.keyPath(QStringLiteral("rsa")), pem, 0600));
        QVERIFY(!store.load(QStringLiteral("rsa"), m_pass, &error));
        QCOMPARE(error, QStringLiteral("key 'rsa' is an RSA key; Custody uses Ed25519"));
    }

    void importRefusesRsa()
    {
        ossl::Pkey rsa(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048)));
        QVERIFY(rsa);
        const QString file = m_tmp.filePath(QStringLiteral("bob-rsa.pem"));
        QVERIFY(test::writeFile(file, pemOf(rsa.get(), nullptr, {})));
        KeyStore store(scratchDir(QStringLiteral("imports-rsa")));
        QString error;
        QVERIFY(!store.importKey(QStringLiteral("bob"), file, m_pass, &error));
        QCOMPARE(error, QStringLiteral("the key in %1 is RSA, Custody uses Ed25519").arg(file));
        // Encrypted with scrypt, it is refused after decryption for the same reason.
        QVERIFY(test::writeFile(file, EncryptedKeyFile::encryptAnyKey(rsa.get(), m_pass, &error, ScryptParams{1 << 14, 8, 1})));
        QVERIFY(!store.importKey(QStringLiteral("bob"), file, m_pass, &error));
        QCOMPARE(error, QStringLiteral("the key in %1 is RSA, Custody uses Ed25519").arg(file));
        QVERIFY(QDir(store.directory()).entryList(QDir::Files | QDir::Hidden).isEmpty());
    }

    void importReencrypts_data()
    {
        QTest::addColumn<QString>("form");
        QTest::newRow("plain PKCS#8") << QStringLiteral("plain");
        QTest::newRow("PBKDF2 (openssl default)") << QStringLiteral("pbkdf2");
        QTest::newRow("scrypt N=2^14 (openssl -scrypt)") << QStringLiteral("scrypt");
    }

    void importReencrypts()
    {
        QFETCH(QString, form);
        QString error;
        const auto key = SigningKey::generate(&error);
        QVERIFY(key);
        const QByteArray source = form == QLatin1String("plain") ? pemOf(key->pkey(), nullptr, {})
            : form == QLatin1String("pbkdf2") ? pemOf(key->pkey(), EVP_aes_256_cbc(), m_pass)
                                              : EncryptedKeyFile::encrypt(*key, m_pass, &error, ScryptParams{1 << 14, 8, 1});
        const QString file = m_tmp.filePath(QStringLiteral("import-%1.pem").arg(form));
        QVERIFY(test::writeFile(file, source));
        KeyStore store(scratchDir(QStringLiteral("imports")));
        if (form != QLatin1String("plain")) {
            QVERIFY(!store.importKey(form, file, "not the passphrase", &error));
            QCOMPARE(error, QStringLiteral("wrong passphrase for %1").arg(file));
        }
        const auto pub = store.importKey(form, file, m_pass, &error);
        QVERIFY2(pub, qPrintable(error));
        QCOMPARE(pub->keyId(), key->keyId());
        QCOMPARE(modeOf(store.keyPath(form)), mode_t(0600));
        // Loading demands Custody's own parameters, so success means the import re-encrypted the key.
        const auto loaded = store.load(form, m_pass, &error);
        QVERIFY2(loaded, qPrintable(error));
        QCOMPARE(loaded->keyId(), key->keyId());
        QVERIFY(!store.importKey(form, file, m_pass, &error));
        QCOMPARE(error, QStringLiteral("a key named '%1' already exists in %2").arg(form, store.directory()));
    }

    void swappedPublicKeyRefused()
    {
        KeyStore store(scratchDir(QStringLiteral("swapped")));
        QString error;
        const auto other = SigningKey::generate(&error);
        QVERIFY(other);
        QVERIFY(writeWithMode(store.keyPath(QStringLiteral("alice")), m_aliceFile, 0600));
        QVERIFY(test::writeFile(store.publicKeyPath(QStringLiteral("alice")), other->publicKeyPem()));
        QVERIFY(!store.load(QStringLiteral("alice"), m_pass, &error));
        QCOMPARE(error, QStringLiteral("public key file %1 does not match key 'alice'").arg(store.publicKeyPath(QStringLiteral("alice"))));
    }

    void listShowsNamesAndKeyIds()
    {
        const QString dir = scratchDir(QStringLiteral("listing"));
        KeyStore store(dir);
        QString error;
        QVERIFY(store.list(&error).isEmpty());
        QVERIFY(KeyStore(m_tmp.filePath(QStringLiteral("nowhere"))).list(&error).isEmpty());
        QVERIFY(writeWithMode(store.keyPath(QStringLiteral("zed")), m_aliceFile, 0600));
        QVERIFY(writeWithMode(store.keyPath(QStringLiteral("alice")), m_aliceFile, 0600));
        QVERIFY(test::writeFile(store.publicKeyPath(QStringLiteral("alice")), m_alice->pem()));
        QVERIFY(test::writeFile(dir + QStringLiteral("/notes.txt"), "x"));
        QVERIFY(test::writeFile(dir + QStringLiteral("/bad name.key"), "x"));
        const QList<KeyStore::Entry> entries = store.list(&error);
        QCOMPARE(entries.size(), 2);
        QCOMPARE(entries[0].name, QStringLiteral("alice"));
        QCOMPARE(entries[0].keyId, m_alice->keyId());
        QCOMPARE(entries[1].name, QStringLiteral("zed"));
        QVERIFY(entries[1].keyId.isEmpty());
        QVERIFY(!store.publicKey(QStringLiteral("zed"), &error));
        QCOMPARE(error, QStringLiteral("key 'zed' has no public key file %1").arg(store.publicKeyPath(QStringLiteral("zed"))));
    }

    void defaultDirectoryFollowsXdg()
    {
        const QByteArray saved = qgetenv("XDG_DATA_HOME");
        const QString home = QDir::homePath();
        qputenv("XDG_DATA_HOME", "/srv/people/ana/data");
        QCOMPARE(KeyStore::defaultDirectory(), QStringLiteral("/srv/people/ana/data/custody/keys"));
        qputenv("XDG_DATA_HOME", "relative/data");
        QCOMPARE(KeyStore::defaultDirectory(), home + QStringLiteral("/.local/share/custody/keys"));
        qunsetenv("XDG_DATA_HOME");
        QCOMPARE(KeyStore::defaultDirectory(), home + QStringLiteral("/.local/share/custody/keys"));
        QCOMPARE(KeyStore().directory(), home + QStringLiteral("/.local/share/custody/keys"));
        if (!saved.isNull())
            qputenv("XDG_DATA_HOME", saved);
    }

    // Working inside a workspace never puts a key there: the store is the person's folder, and a store
    // folder inside a workspace is refused outright.
    void keysStayOutOfWorkspaces()
    {
        const QString ws = scratchDir(QStringLiteral("workspace"));
        QVERIFY(test::writeFile(ws + QStringLiteral("/custody.db"), QByteArray()));
        QVERIFY(Workspace::looksLikeWorkspace(ws)); // the key store's own test of the name is storage's
        const QString xdg = m_tmp.filePath(QStringLiteral("xdg"));
        QVERIFY(QDir().mkpath(xdg + QStringLiteral("/custody/keys")));
        QVERIFY(::chmod(QFile::encodeName(xdg + QStringLiteral("/custody/keys")).constData(), 0755) == 0);

        const QByteArray saved = qgetenv("XDG_DATA_HOME");
        const QString savedCwd = QDir::currentPath();
        qputenv("XDG_DATA_HOME", QFile::encodeName(xdg));
        QVERIFY(QDir::setCurrent(ws));
        KeyStore store;
        QString error;
        const auto pub = store.create(QStringLiteral("curator"), m_pass, &error);
        QDir::setCurrent(savedCwd);
        if (saved.isNull())
            qunsetenv("XDG_DATA_HOME");
        else
            qputenv("XDG_DATA_HOME", saved);
        QVERIFY2(pub, qPrintable(error));
        QCOMPARE(store.keyPath(QStringLiteral("curator")), xdg + QStringLiteral("/custody/keys/curator.key"));
        QVERIFY(QFileInfo::exists(store.keyPath(QStringLiteral("curator"))));
        QCOMPARE(modeOf(xdg + QStringLiteral("/custody/keys")), mode_t(0700)); // tightened from 0755
        QCOMPARE(QDir(ws).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), QStringList{QStringLiteral("custody.db")});

        for (const QString &inside : {ws, ws + QStringLiteral("/keys"), ws + QStringLiteral("/a/b")}) {
            QVERIFY(!KeyStore(inside).create(QStringLiteral("curator"), m_pass, &error));
            QCOMPARE(error, QStringLiteral("refusing to keep private keys in %1: it is inside the workspace %2, which is shared with others")
                                .arg(inside, ws));
        }
        QCOMPARE(QDir(ws).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), QStringList{QStringLiteral("custody.db")});
    }

    // The same through a symbolic link: the path as it resolves is checked, not only the path as written.
    void keyStoreReachedThroughASymlinkIntoAWorkspaceIsRefused()
    {
        const QString ws = scratchDir(QStringLiteral("linked-workspace"));
        QVERIFY(test::writeFile(ws + QStringLiteral("/custody.db"), QByteArray()));
        // A link to a folder inside the workspace: walking the path as written never meets custody.db.
        QVERIFY(QDir().mkpath(ws + QStringLiteral("/shared")));
        const QString link = m_tmp.filePath(QStringLiteral("innocent-looking"));
        QVERIFY(QFile::link(ws + QStringLiteral("/shared"), link));
        QString error;
        for (const QString &through : {link, link + QStringLiteral("/keys")}) {
            QVERIFY(!KeyStore(through).create(QStringLiteral("curator"), m_pass, &error));
            QVERIFY2(error.contains(QStringLiteral("inside the workspace %1").arg(QFileInfo(ws).canonicalFilePath())), qPrintable(error));
        }
        QCOMPARE(QDir(ws + QStringLiteral("/shared")).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), QStringList());
    }

    // And a workspace is never created around the key store (`custody-cli init ~` would share the keys).
    void workspaceAroundTheKeyStoreIsRefused()
    {
        const QString home = scratchDir(QStringLiteral("home"));
        const QByteArray saved = qgetenv("XDG_DATA_HOME");
        qputenv("XDG_DATA_HOME", QFile::encodeName(home + QStringLiteral("/.local/share")));
        QString error;
        const QString link = m_tmp.filePath(QStringLiteral("home-link"));
        QVERIFY(QFile::link(home, link));
        const bool aroundHome = createWorkspace(home, &error) != nullptr;
        const QString homeError = error;
        const bool aroundLink = createWorkspace(link, &error) != nullptr;
        const bool beside = createWorkspace(home + QStringLiteral("/work"), &error) != nullptr;
        if (saved.isNull())
            qunsetenv("XDG_DATA_HOME");
        else
            qputenv("XDG_DATA_HOME", saved);
        QVERIFY(!aroundHome && !aroundLink);
        QVERIFY2(homeError.contains(QStringLiteral("private key store")), qPrintable(homeError));
        QVERIFY(!Workspace::looksLikeWorkspace(home));
        QVERIFY2(beside, qPrintable(error));
    }

};

QTEST_GUILESS_MAIN(TestKeyStore)
#include "TestKeyStore.moc"
