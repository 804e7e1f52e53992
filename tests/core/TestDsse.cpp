#include "TestSupport.h"
#include "identity/Dsse.h"
#include "identity/SigningKey.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace custody;

// DSSE v1 against the shared reference vectors (tests/data/dsse.json), byte for byte.
class TestDsse : public QObject
{
    Q_OBJECT

private:
    QJsonObject m_vectors;
    std::optional<SigningKey> m_key;

    static QByteArray envelopeJson(const QString &payloadB64, const QString &type, const QJsonArray &sigs)
    {
        return QJsonDocument(QJsonObject{{QStringLiteral("payload"), payloadB64},
                                         {QStringLiteral("payloadType"), type},
                                         {QStringLiteral("signatures"), sigs}})
            .toJson();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QFile f(test::dataPath(QStringLiteral("dsse.json")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        m_vectors = QJsonDocument::fromJson(f.readAll()).object();
        QString error;
        m_key = SigningKey::fromSeed(
            QByteArray::fromHex(m_vectors.value(QStringLiteral("ed25519_private_seed_hex")).toString().toLatin1()), &error);
        QVERIFY2(m_key, qPrintable(error));
        QCOMPARE(m_key->publicKeyRaw().toHex(), m_vectors.value(QStringLiteral("ed25519_public_hex")).toString().toLatin1());
        QCOMPARE(m_key->sign(QByteArray()).toHex(),
                 m_vectors.value(QStringLiteral("rfc8032_test1_empty_message_sig_hex")).toString().toLatin1());
    }

    void vectors_data()
    {
        QTest::addColumn<QString>("payloadType");
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QByteArray>("pae");
        QTest::addColumn<QByteArray>("paeText");
        QTest::addColumn<QByteArray>("sig");
        const QJsonArray cases = m_vectors.value(QStringLiteral("cases")).toArray();
        QCOMPARE(cases.size(), 3);
        for (const QJsonValue &v : cases) {
            const QJsonObject c = v.toObject();
            const QString type = c.value(QStringLiteral("payloadType")).toString();
            QTest::newRow(type.isEmpty() ? "empty" : qPrintable(type))
                << type << QByteArray::fromBase64(c.value(QStringLiteral("payload_b64")).toString().toLatin1())
                << QByteArray::fromHex(c.value(QStringLiteral("pae_hex")).toString().toLatin1())
                << c.value(QStringLiteral("pae_text")).toString().toUtf8()
                << QByteArray::fromBase64(c.value(QStringLiteral("sig_b64")).toString().toLatin1());
        }
    }

    void vectors()
    {
        QFETCH(QString, payloadType);
        QFETCH(QByteArray, payload);
        QFETCH(QByteArray, pae);
        QFETCH(QByteArray, paeText);
        QFETCH(QByteArray, sig);
        QCOMPARE(Dsse::pae(payloadType.toUtf8(), payload), pae);
        QCOMPARE(pae, paeText);
        QCOMPARE(m_key->sign(pae), sig);

        const Dsse::Envelope env = Dsse::signEnvelope(*m_key, payloadType, payload);
        QCOMPARE(env.signatures.size(), 1);
        QCOMPARE(env.signatures[0].sig, sig);
        QCOMPARE(env.signatures[0].keyid, m_key->keyId());
        QVERIFY(Dsse::verifyEnvelope(env, m_key->publicKey()));
    }

    void vectorEnvelopeParsesAndVerifies()
    {
        const QJsonObject c = m_vectors.value(QStringLiteral("cases")).toArray().at(1).toObject();
        const QByteArray json = envelopeJson(c.value(QStringLiteral("payload_b64")).toString(),
                                             c.value(QStringLiteral("payloadType")).toString(),
                                             {QJsonObject{{QStringLiteral("keyid"), QString()},
                                                          {QStringLiteral("sig"), c.value(QStringLiteral("sig_b64"))}}});
        QString error;
        const auto env = Dsse::Envelope::fromJson(json, &error);
        QVERIFY2(env, qPrintable(error));
        QCOMPARE(env->payloadType, QStringLiteral("application/vnd.in-toto+json"));
        QCOMPARE(env->payload, QByteArray("{\"_type\":\"https://in-toto.io/Statement/v1\"}"));
        QVERIFY(Dsse::verifyEnvelope(*env, m_key->publicKey(), &error));
    }

    void jsonRoundTrip()
    {
        const QByteArray payload("{\"version\":7}\n\x01\xff", 16);
        const Dsse::Envelope env = Dsse::signEnvelope(*m_key, QStringLiteral("application/vnd.custody.event+json"), payload);
        const QByteArray json = env.toJson();
        const QJsonObject o = QJsonDocument::fromJson(json).object();
        QCOMPARE(o.keys(), (QStringList{QStringLiteral("payload"), QStringLiteral("payloadType"), QStringLiteral("signatures")}));
        QCOMPARE(o.value(QStringLiteral("payload")).toString().toLatin1(), payload.toBase64());
        const QJsonObject sig = o.value(QStringLiteral("signatures")).toArray().at(0).toObject();
        QCOMPARE(sig.keys(), (QStringList{QStringLiteral("keyid"), QStringLiteral("sig")}));
        QCOMPARE(sig.value(QStringLiteral("keyid")).toString(), m_key->keyId());

        QString error;
        const auto back = Dsse::Envelope::fromJson(json, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->payload, payload);
        QCOMPARE(back->payloadType, env.payloadType);
        QCOMPARE(back->signatures[0].sig, env.signatures[0].sig);
        QVERIFY(Dsse::verifyEnvelope(*back, m_key->publicKey(), &error));
    }

    void urlSafeBase64IsAccepted()
    {
        // DSSE allows either alphabet; this payload encodes with '+' and '/' in standard base64.
        const QByteArray payload("\xfb\xff\xbf", 3);
        const Dsse::Envelope env = Dsse::signEnvelope(*m_key, QStringLiteral("t"), payload);
        const QByteArray json = envelopeJson(QString::fromLatin1(payload.toBase64(QByteArray::Base64UrlEncoding)),
                                             QStringLiteral("t"),
                                             {QJsonObject{{QStringLiteral("sig"), QString::fromLatin1(env.signatures[0].sig.toBase64(QByteArray::Base64UrlEncoding))}}});
        QString error;
        const auto back = Dsse::Envelope::fromJson(json, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->payload, payload);
        QVERIFY(back->signatures[0].keyid.isEmpty());
        QVERIFY(Dsse::verifyEnvelope(*back, m_key->publicKey()));
    }

    void tamperingIsDetected()
    {
        QString error;
        Dsse::Envelope env = Dsse::signEnvelope(*m_key, QStringLiteral("application/json"), "{\"a\":1}");
        Dsse::Envelope otherPayload = env;
        otherPayload.payload = "{\"a\":2}";
        QVERIFY(!Dsse::verifyEnvelope(otherPayload, m_key->publicKey(), &error));
        QCOMPARE(error, QStringLiteral("no signature in the DSSE envelope verifies with key %1").arg(m_key->keyId()));
        // The same bytes under another type are another message: that is what PAE is for.
        Dsse::Envelope otherType = env;
        otherType.payloadType = QStringLiteral("text/plain");
        QVERIFY(!Dsse::verifyEnvelope(otherType, m_key->publicKey()));

        const auto stranger = SigningKey::generate(&error);
        QVERIFY(stranger);
        QVERIFY(!Dsse::verifyEnvelope(env, stranger->publicKey()));
        // A second signature by another key does not spoil the first.
        env.signatures.prepend(Dsse::signEnvelope(*stranger, env.payloadType, env.payload).signatures[0]);
        QVERIFY(Dsse::verifyEnvelope(env, m_key->publicKey()));
        QVERIFY(Dsse::verifyEnvelope(env, stranger->publicKey()));
        Dsse::Envelope unsignedEnv = env;
        unsignedEnv.signatures.clear();
        QVERIFY(!Dsse::verifyEnvelope(unsignedEnv, m_key->publicKey()));
    }

    void strictParsing_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("error");
        const QJsonArray oneSig{QJsonObject{{QStringLiteral("keyid"), QStringLiteral("k")}, {QStringLiteral("sig"), QStringLiteral("AAAA")}}};
        QTest::newRow("not json") << QByteArray("{\"payload\":") << QStringLiteral("DSSE envelope is not JSON");
        QTest::newRow("array") << QByteArray("[]") << QStringLiteral("DSSE envelope is not a JSON object");
        QTest::newRow("no payload") << QByteArray("{\"payloadType\":\"t\",\"signatures\":[{\"sig\":\"AAAA\"}]}")
                                    << QStringLiteral("DSSE envelope has no \"payload\" string");
        QTest::newRow("payload number") << QByteArray("{\"payload\":5,\"payloadType\":\"t\",\"signatures\":[{\"sig\":\"AAAA\"}]}")
                                        << QStringLiteral("DSSE envelope has no \"payload\" string");
        QTest::newRow("no type") << QByteArray("{\"payload\":\"\",\"signatures\":[{\"sig\":\"AAAA\"}]}")
                                 << QStringLiteral("DSSE envelope has no \"payloadType\" string");
        QTest::newRow("bad base64") << envelopeJson(QStringLiteral("aGVsbG8*"), QStringLiteral("t"), oneSig)
                                    << QStringLiteral("DSSE envelope \"payload\" is not valid base64");
        QTest::newRow("missing padding") << envelopeJson(QStringLiteral("aGVsbG8"), QStringLiteral("t"), oneSig)
                                         << QStringLiteral("DSSE envelope \"payload\" is not valid base64");
        QTest::newRow("unknown field") << QByteArray("{\"payload\":\"\",\"payloadType\":\"t\",\"signatures\":[{\"sig\":\"AAAA\"}],\"x\":1}")
                                       << QStringLiteral("DSSE envelope has an unknown field \"x\"");
        QTest::newRow("no signatures") << envelopeJson(QString(), QStringLiteral("t"), {})
                                       << QStringLiteral("DSSE envelope has no \"signatures\" (a non-empty array)");
        QTest::newRow("signature not object") << envelopeJson(QString(), QStringLiteral("t"), {QStringLiteral("AAAA")})
                                              << QStringLiteral("DSSE signature 1 is not a JSON object");
        QTest::newRow("signature without sig") << envelopeJson(QString(), QStringLiteral("t"), {QJsonObject{{QStringLiteral("keyid"), QStringLiteral("k")}}})
                                               << QStringLiteral("DSSE signature 1 has no valid base64 \"sig\"");
        QTest::newRow("keyid number") << envelopeJson(QString(), QStringLiteral("t"), {QJsonObject{{QStringLiteral("keyid"), 3}, {QStringLiteral("sig"), QStringLiteral("AAAA")}}})
                                      << QStringLiteral("DSSE signature 1 has a \"keyid\" that is not a string");
        QTest::newRow("signature extra field") << envelopeJson(QString(), QStringLiteral("t"), {QJsonObject{{QStringLiteral("sig"), QStringLiteral("AAAA")}, {QStringLiteral("cert"), QStringLiteral("x")}}})
                                               << QStringLiteral("DSSE signature 1 has an unknown field \"cert\"");
    }

    void strictParsing()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, error);
        QString actual;
        QVERIFY(!Dsse::Envelope::fromJson(json, &actual));
        QVERIFY2(actual.startsWith(error), qPrintable(actual));
    }
};

QTEST_GUILESS_MAIN(TestDsse)
#include "TestDsse.moc"
