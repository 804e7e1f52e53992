#include "identity/Checkpoint.h"
#include "identity/SignedNote.h"
#include "identity/SigningKey.h"

#include <QCryptographicHash>
#include <QTest>

using namespace custody;

namespace {
// Published test vector of the Go reference implementation (golang.org/x/mod/sumdb/note): the signer key
// "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALV..." is 0x01 || this seed.
const QByteArray kPeterSeed = QByteArray::fromHex("810a1402d5146c8d84f2443330f54080ebf98ee17d9c74f6252fc5d5c7283173");
const QString kPeterVkey = QStringLiteral("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
const QByteArray kPeterText("If you think cryptography is the answer to your problem,\n"
                            "then you don't know what your problem is.\n");
const QByteArray kPeterSig("\xE2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n");
} // namespace

// C2SP signed notes and tlog checkpoints: interoperable bytes, and every malformed note refused by name.
class TestSignedNote : public QObject
{
    Q_OBJECT

private:
    std::optional<SigningKey> m_peter;
    std::optional<SigningKey> m_other;

    static Checkpoint sampleCheckpoint()
    {
        Checkpoint cp;
        cp.origin = QStringLiteral("custody.example/workspace/3f2a");
        cp.treeSize = 5;
        for (int i = 0; i < 32; ++i)
            cp.rootHash[size_t(i)] = uint8_t(i * 7);
        return cp;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        m_peter = SigningKey::fromSeed(kPeterSeed, &error);
        m_other = SigningKey::generate(&error);
        QVERIFY2(m_peter && m_other, qPrintable(error));
    }

    void matchesGoReferenceVector()
    {
        QString error;
        QCOMPARE(SignedNote::verifierKey(QStringLiteral("PeterNeumann"), m_peter->publicKey()), kPeterVkey);
        QCOMPARE(SignedNote::keyHash(QStringLiteral("PeterNeumann"), m_peter->publicKey()), 0xc74f20a3u);
        const auto note = SignedNote::sign(kPeterText, QStringLiteral("PeterNeumann"), *m_peter, &error);
        QVERIFY2(note, qPrintable(error));
        QCOMPARE(*note, kPeterText + '\n' + kPeterSig);

        const auto verifier = SignedNote::parseVerifierKey(kPeterVkey, &error);
        QVERIFY2(verifier, qPrintable(error));
        QCOMPARE(verifier->name, QStringLiteral("PeterNeumann"));
        const auto parsed = SignedNote::parse(*note, &error);
        QVERIFY2(parsed, qPrintable(error));
        QVERIFY(SignedNote::verify(*parsed, verifier->name, verifier->key, &error));
    }

    void keyHashFormula()
    {
        // First 4 bytes, big-endian, of SHA-256(name || "\n" || 0x01 || public key), computed with Qt's hash.
        const QByteArray input = QByteArray("custody.example/ledger\n") + '\x01' + m_other->publicKeyRaw();
        const QByteArray d = QCryptographicHash::hash(input, QCryptographicHash::Sha256);
        const uint32_t expected = uint32_t(uchar(d[0])) << 24 | uint32_t(uchar(d[1])) << 16 | uint32_t(uchar(d[2])) << 8 | uchar(d[3]);
        QCOMPARE(SignedNote::keyHash(QStringLiteral("custody.example/ledger"), m_other->publicKey()), expected);
    }

    void checkpointRoundTrip()
    {
        Checkpoint cp = sampleCheckpoint();
        cp.extraLines = {QStringLiteral("Timestamp: 1717000000"), QStringLiteral("ünïcode extension")};
        QString error;
        QVERIFY(cp.validate(&error));
        const QByteArray body = cp.body();
        QCOMPARE(body, QByteArray("custody.example/workspace/3f2a\n5\n") + toBytes(cp.rootHash).toBase64()
                           + "\nTimestamp: 1717000000\n" + QStringLiteral("ünïcode extension\n").toUtf8());
        const auto back = Checkpoint::parse(body, &error);
        QVERIFY2(back, qPrintable(error));
        QVERIFY(*back == cp);

        Checkpoint big = sampleCheckpoint();
        big.treeSize = 18446744073709551615ull;
        const auto max = Checkpoint::parse(big.body(), &error);
        QVERIFY2(max, qPrintable(error));
        QCOMPARE(max->treeSize, big.treeSize);
    }

    void signedCheckpointRoundTrip()
    {
        QString error;
        const QByteArray body = sampleCheckpoint().body();
        const auto text = SignedNote::sign(body, QStringLiteral("custody.example/ledger"), *m_other, &error);
        QVERIFY2(text, qPrintable(error));
        QVERIFY(text->startsWith(body + "\n\xE2\x80\x94 custody.example/ledger "));
        const auto note = SignedNote::parse(*text, &error);
        QVERIFY2(note, qPrintable(error));
        QCOMPARE(note->body(), body);
        QCOMPARE(note->signatures().size(), 1);
        QCOMPARE(note->signatures()[0].name, QStringLiteral("custody.example/ledger"));
        QCOMPARE(note->signatures()[0].keyHash, SignedNote::keyHash(QStringLiteral("custody.example/ledger"), m_other->publicKey()));
        QCOMPARE(note->signatures()[0].signature.size(), 64);
        QCOMPARE(note->text(), *text);
        QVERIFY(SignedNote::verify(*note, QStringLiteral("custody.example/ledger"), m_other->publicKey(), &error));
        const auto cp = Checkpoint::parse(note->body(), &error);
        QVERIFY2(cp, qPrintable(error));
        QCOMPARE(cp->treeSize, 5u);
    }

    void cosignatures()
    {
        QString error;
        auto note = SignedNote::parse(*SignedNote::sign(kPeterText, QStringLiteral("PeterNeumann"), *m_peter, &error), &error);
        QVERIFY(note);
        QVERIFY2(note->addSignature(QStringLiteral("witness.example"), *m_other, &error), qPrintable(error));
        QVERIFY(!note->addSignature(QStringLiteral("witness.example"), *m_other, &error));
        QCOMPARE(error, QStringLiteral("the note is already signed by witness.example with this key"));
        const auto back = SignedNote::parse(note->text(), &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->signatures().size(), 2);
        QVERIFY(SignedNote::verify(*back, QStringLiteral("PeterNeumann"), m_peter->publicKey()));
        QVERIFY(SignedNote::verify(*back, QStringLiteral("witness.example"), m_other->publicKey()));
    }

    void verificationFailures()
    {
        QString error;
        const QByteArray text = *SignedNote::sign(sampleCheckpoint().body(), QStringLiteral("log"), *m_other, &error);

        // A tampered body: tree size 5 becomes 6.
        QByteArray tampered = text;
        tampered.replace("\n5\n", "\n6\n");
        const auto forged = SignedNote::parse(tampered, &error);
        QVERIFY2(forged, qPrintable(error));
        QVERIFY(!SignedNote::verify(*forged, QStringLiteral("log"), m_other->publicKey(), &error));
        QCOMPARE(error, QStringLiteral("no signature by log (key hash %1) verifies over the note")
                            .arg(SignedNote::keyHash(QStringLiteral("log"), m_other->publicKey()), 8, 16, QLatin1Char('0')));

        const auto note = SignedNote::parse(text, &error);
        QVERIFY(note);
        // Another key under the same name: its key hash differs, so the signature is not even tried.
        QVERIFY(!SignedNote::verify(*note, QStringLiteral("log"), m_peter->publicKey(), &error));
        QVERIFY2(error.startsWith(QStringLiteral("no signature by log (key hash")), qPrintable(error));
        // The right key under another name.
        QVERIFY(!SignedNote::verify(*note, QStringLiteral("other-log"), m_other->publicKey(), &error));
        QCOMPARE(error, QStringLiteral("the note has no signature by other-log"));
        // A signature line renamed by hand: the key hash no longer matches the name.
        QByteArray renamed = text;
        renamed.replace("\xE2\x80\x94 log ", "\xE2\x80\x94 gol ");
        const auto renamedNote = SignedNote::parse(renamed, &error);
        QVERIFY(renamedNote);
        QVERIFY(!SignedNote::verify(*renamedNote, QStringLiteral("gol"), m_other->publicKey()));
    }

    void parseErrors_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("error");
        const QByteArray sig = kPeterSig;
        QTest::newRow("no blank line") << kPeterText << QStringLiteral("the note has no blank line before its signatures");
        QTest::newRow("no signatures") << kPeterText + "\n" << QStringLiteral("the note has no signatures");
        QTest::newRow("no final newline") << kPeterText + "\n" + sig.chopped(1)
                                          << QStringLiteral("the note's last signature line does not end with a newline");
        QTest::newRow("control character") << "\x01" + kPeterText + "\n" + sig
                                           << QStringLiteral("the note contains a control character (byte 0x01)");
        QTest::newRow("not utf-8") << "\xff" + kPeterText + "\n" + sig << QStringLiteral("the note is not valid UTF-8");
        QTest::newRow("name with space") << kPeterText + "\n\xE2\x80\x94 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
                                         << QStringLiteral("signature line 1 (Bad) has a signature that is not valid base64");
        QTest::newRow("unexpected line") << kPeterText + "\n" + sig + "Unexpected line.\n"
                                         << QStringLiteral("signature line 2 does not start with an em dash and a space");
        QTest::newRow("hyphen not em dash") << kPeterText + "\n- PeterNeumann AAAAAAAA\n"
                                            << QStringLiteral("signature line 1 does not start with an em dash and a space");
        QTest::newRow("bad base64") << kPeterText + "\n\xE2\x80\x94 PeterNeumann x08go/ZJkuBS9UG*\n"
                                    << QStringLiteral("signature line 1 (PeterNeumann) has a signature that is not valid base64");
        QTest::newRow("too short") << kPeterText + "\n\xE2\x80\x94 PeterNeumann AAAAAA==\n"
                                   << QStringLiteral("signature line 1 (PeterNeumann) is too short to hold a key hash and a signature");
        QTest::newRow("plus in name") << kPeterText + "\n\xE2\x80\x94 Peter+Neumann AAAAAAAA\n"
                                      << QStringLiteral("signature line 1 has no valid key name before the signature");
        QTest::newRow("101 signatures") << kPeterText + "\n" + sig.repeated(101)
                                        << QStringLiteral("the note has 101 signatures; at most 100 are allowed");
    }

    void parseErrors()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, error);
        QString actual;
        QVERIFY(!SignedNote::parse(text, &actual));
        QCOMPARE(actual, error);
    }

    void hundredSignaturesAreFine()
    {
        QString error;
        const auto note = SignedNote::parse(kPeterText + "\n" + kPeterSig.repeated(100), &error);
        QVERIFY2(note, qPrintable(error));
        QCOMPARE(note->signatures().size(), 100);
    }

    void signRefusesBadBodies_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("error");
        const QString name = QStringLiteral("log");
        QTest::newRow("empty") << QByteArray() << name << QStringLiteral("a note body must be non-empty and end with a newline");
        QTest::newRow("no newline") << QByteArray("abc") << name << QStringLiteral("a note body must be non-empty and end with a newline");
        QTest::newRow("blank line") << QByteArray("a\n\nb\n") << name << QStringLiteral("a note body must not contain an empty line (it would end the body)");
        QTest::newRow("tab") << QByteArray("a\tb\n") << name << QStringLiteral("the note body contains a control character (byte 0x09)");
        QTest::newRow("bad name") << QByteArray("a\n") << QStringLiteral("my log") << QStringLiteral("\"my log\" is not a note key name (no spaces, no '+')");
    }

    void signRefusesBadBodies()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, name);
        QFETCH(QString, error);
        QString actual;
        QVERIFY(!SignedNote::sign(body, name, *m_other, &actual));
        QCOMPARE(actual, error);
    }

    void checkpointParseErrors_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("error");
        const QByteArray root = toBytes(sampleCheckpoint().rootHash).toBase64();
        QTest::newRow("no final newline") << "o\n5\n" + root << QStringLiteral("checkpoint does not end with a newline");
        QTest::newRow("two lines") << QByteArray("o\n5\n") << QStringLiteral("checkpoint has 2 lines; it needs origin, tree size and root hash");
        QTest::newRow("leading zero") << "o\n05\n" + root + "\n" << QStringLiteral("checkpoint tree size \"05\" is not a decimal number");
        QTest::newRow("negative") << "o\n-5\n" + root + "\n" << QStringLiteral("checkpoint tree size \"-5\" is not a decimal number");
        QTest::newRow("plus sign") << "o\n+5\n" + root + "\n" << QStringLiteral("checkpoint tree size \"+5\" is not a decimal number");
        QTest::newRow("overflow") << "o\n18446744073709551616\n" + root + "\n" << QStringLiteral("checkpoint tree size \"18446744073709551616\" is not a decimal number");
        QTest::newRow("empty size") << "o\n\n" + root + "\n" << QStringLiteral("checkpoint tree size \"\" is not a decimal number");
        QTest::newRow("short hash") << "o\n5\n" + root.left(40) + "\n" << QStringLiteral("checkpoint root hash is not 32 bytes of standard base64");
        QTest::newRow("hex hash") << QByteArray("o\n5\n") + QByteArray(32, 'a').toHex() + "\n" << QStringLiteral("checkpoint root hash is not 32 bytes of standard base64");
        QTest::newRow("empty origin") << "\n5\n" + root + "\n" << QStringLiteral("checkpoint origin must be a non-empty line without control characters");
        QTest::newRow("empty extension") << "o\n5\n" + root + "\n\n" << QStringLiteral("checkpoint extension lines must be non-empty and without control characters");
        QTest::newRow("not utf-8") << "o\xc3\n5\n" + root + "\n" << QStringLiteral("checkpoint is not valid UTF-8");
    }

    void checkpointParseErrors()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, error);
        QString actual;
        QVERIFY(!Checkpoint::parse(body, &actual));
        QCOMPARE(actual, error);
    }

    void verifierKeyErrors_data()
    {
        QTest::addColumn<QString>("vkey");
        QTest::addColumn<QString>("error");
        QTest::newRow("two parts") << QStringLiteral("PeterNeumann+c74f20a3") << QStringLiteral("\"PeterNeumann+c74f20a3\" is not a verifier key (NAME+KEYHASH+KEY)");
        QTest::newRow("wrong hash") << QStringLiteral("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
                                    << QStringLiteral("verifier key for PeterNeumann has the wrong key hash c74f20a4");
        QTest::newRow("other algorithm") << QStringLiteral("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
                                         << QStringLiteral("verifier key for PeterNeumann does not hold an Ed25519 key");
        QTest::newRow("long key") << QStringLiteral("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==")
                                  << QStringLiteral("verifier key for PeterNeumann does not hold an Ed25519 key");
    }

    void verifierKeyErrors()
    {
        QFETCH(QString, vkey);
        QFETCH(QString, error);
        QString actual;
        QVERIFY(!SignedNote::parseVerifierKey(vkey, &actual));
        QCOMPARE(actual, error);
    }
};

QTEST_GUILESS_MAIN(TestSignedNote)
#include "TestSignedNote.moc"
