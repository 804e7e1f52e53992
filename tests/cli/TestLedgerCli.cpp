#include "SignedWorkspace.h"
#include "TestSupport.h"

#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace custody;
using test::runCli;

// The signed workflow from the command line, end to end, with real encrypted keys in a private key store;
// the release attestation checked by OpenSSL alone; and the key hygiene rules.
class TestLedgerCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QString m_ws;
    QStringList m_allOutput; // everything the CLI printed, to search for secrets

    QString pass(const QString &who) const { return m_tmp.filePath(who + QStringLiteral(".pass")); }
    static QByteArray secret(const QString &who) { return "correct horse " + who.toLatin1() + " battery"; }

    test::CliResult run(QStringList args)
    {
        const auto r = runCli(args);
        m_allOutput << QString::fromUtf8(r.out) << QString::fromUtf8(r.err);
        return r;
    }

    test::CliResult as(const QString &who, const QString &command, QStringList rest)
    {
        return run(QStringList{command, QStringLiteral("-w"), m_ws, QStringLiteral("--as"), who, QStringLiteral("--passphrase-file"),
                               pass(who)} + rest);
    }

private Q_SLOTS:
    void initTestCase()
    {
        // The key store and remembered checkpoints of this test live in its own home.
        qputenv("XDG_DATA_HOME", m_tmp.filePath(QStringLiteral("data")).toLocal8Bit());
        qputenv("XDG_CONFIG_HOME", m_tmp.filePath(QStringLiteral("config")).toLocal8Bit());
        m_ws = m_tmp.filePath(QStringLiteral("ws"));
        for (const QString &who : {QStringLiteral("admin"), QStringLiteral("cora"), QStringLiteral("ada"), QStringLiteral("abe")}) {
            QVERIFY(test::writeFile(pass(who), secret(who) + "\n"));
            const auto r = run({QStringLiteral("key"), QStringLiteral("create"), who, QStringLiteral("--passphrase-file"), pass(who)});
            QVERIFY2(r.exitCode == 0, r.err.constData());
            const auto pub = run({QStringLiteral("key"), QStringLiteral("export-public"), who});
            QVERIFY(pub.out.startsWith("-----BEGIN PUBLIC KEY-----"));
            QVERIFY(test::writeFile(m_tmp.filePath(who + QStringLiteral(".pub")), pub.out));
        }
        QVERIFY(test::writeFile(m_tmp.filePath(QStringLiteral("v.csv")), "id,label,x\nr1,p,1\nr2,p,2\nr3,q,3\nr4,q,4\n"));
    }

    void signedWorkflowEndToEnd()
    {
        QCOMPARE(run({QStringLiteral("init"), m_ws, QStringLiteral("--admin"), QStringLiteral("admin"), QStringLiteral("--passphrase-file"),
                      pass(QStringLiteral("admin"))}).exitCode, 0);
        for (const auto &[who, roles] : {std::pair{QStringLiteral("cora"), QStringLiteral("curator")},
                                          std::pair{QStringLiteral("ada"), QStringLiteral("approver")},
                                          std::pair{QStringLiteral("abe"), QStringLiteral("approver")}}) {
            const auto r = as(QStringLiteral("admin"), QStringLiteral("principal"),
                              {QStringLiteral("add"), who, m_tmp.filePath(who + QStringLiteral(".pub")), QStringLiteral("--roles"), roles});
            QVERIFY2(r.exitCode == 0, r.err.constData());
        }
        const QStringList ingest{QStringLiteral("--dataset"), QStringLiteral("t"), QStringLiteral("--version"), QStringLiteral("v1"),
                                 QStringLiteral("--id-column"), QStringLiteral("id"), QStringLiteral("--label-column"), QStringLiteral("label"),
                                 m_tmp.filePath(QStringLiteral("v.csv"))};
        QCOMPARE(run(QStringList{QStringLiteral("ingest"), QStringLiteral("-w"), m_ws} + ingest).exitCode, 1); // unsigned: refused
        QCOMPARE(as(QStringLiteral("ada"), QStringLiteral("ingest"), ingest).exitCode, 1); // role
        QVERIFY(as(QStringLiteral("cora"), QStringLiteral("ingest"), ingest).exitCode == 0);
        QCOMPARE(as(QStringLiteral("cora"), QStringLiteral("decide"), {QStringLiteral("t@v1"), QStringLiteral("r2"), QStringLiteral("exclude"),
                                                                      QStringLiteral("--note"), QStringLiteral("stamped patch")}).exitCode, 0);
        QCOMPARE(as(QStringLiteral("cora"), QStringLiteral("decide"), {QStringLiteral("t@v1"), QStringLiteral("r3"), QStringLiteral("relabel:p")}).exitCode, 0);
        QCOMPARE(as(QStringLiteral("cora"), QStringLiteral("submit"), {QStringLiteral("t@v1")}).exitCode, 0);
        const auto self = as(QStringLiteral("cora"), QStringLiteral("approve"), {QStringLiteral("t@v1")});
        QCOMPARE(self.exitCode, 1);
        QVERIFY2(self.err.contains("refused by rule 'role'"), self.err.constData());
        QCOMPARE(as(QStringLiteral("ada"), QStringLiteral("approve"), {QStringLiteral("t@v1")}).exitCode, 0);
        const auto early = as(QStringLiteral("cora"), QStringLiteral("release"), {QStringLiteral("t@v1"), QStringLiteral("--to"), QStringLiteral("v2")});
        QVERIFY2(early.err.contains("approvals-required"), early.err.constData());
        QCOMPARE(as(QStringLiteral("abe"), QStringLiteral("approve"), {QStringLiteral("t@v1")}).exitCode, 0);
        const auto released = as(QStringLiteral("cora"), QStringLiteral("release"), {QStringLiteral("t@v1"), QStringLiteral("--to"), QStringLiteral("v2")});
        QVERIFY2(released.exitCode == 0, released.err.constData());

        const auto log = run({QStringLiteral("log"), QStringLiteral("-w"), m_ws, QStringLiteral("--json")});
        const QJsonArray events = QJsonDocument::fromJson(log.out).object().value(QStringLiteral("events")).toArray();
        QCOMPARE(events.size(), 11);
        QCOMPARE(events.last().toObject().value(QStringLiteral("type")).toString(), QStringLiteral("version.released"));
        QCOMPARE(events.last().toObject().value(QStringLiteral("actor_name")).toString(), QStringLiteral("cora"));

        const auto verify = run({QStringLiteral("verify"), QStringLiteral("-w"), m_ws});
        QVERIFY2(verify.exitCode == 0, verify.out.constData());
        QVERIFY(verify.out.contains("11 ledger events (11 signed)"));
    }

    void attestationVerifiesWithOpenSsl()
    {
        const auto r = run({QStringLiteral("export"), QStringLiteral("attestation"), QStringLiteral("-w"), m_ws, QStringLiteral("t@v2")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject envelope = QJsonDocument::fromJson(r.out).object();
        const QByteArray type = envelope.value(QStringLiteral("payloadType")).toString().toUtf8();
        const QByteArray payload = QByteArray::fromBase64(envelope.value(QStringLiteral("payload")).toString().toLatin1());
        QCOMPARE(type, QByteArray("application/vnd.in-toto+json"));
        QCOMPARE(QJsonDocument::fromJson(payload).object().value(QStringLiteral("subject")).toArray().first().toObject()
                     .value(QStringLiteral("name")).toString(), QStringLiteral("t@v2"));
        // The DSSE pre-authentication encoding, built by hand, and the signature: OpenSSL checks them with
        // nothing of Custody's but the curator's public key.
        const QByteArray pae = "DSSEv1 " + QByteArray::number(type.size()) + ' ' + type + ' ' + QByteArray::number(payload.size()) + ' ' + payload;
        QVERIFY(test::writeFile(m_tmp.filePath(QStringLiteral("pae.bin")), pae));
        QVERIFY(test::writeFile(m_tmp.filePath(QStringLiteral("sig.bin")),
                                QByteArray::fromBase64(envelope.value(QStringLiteral("signatures")).toArray().first().toObject()
                                                           .value(QStringLiteral("sig")).toString().toLatin1())));
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"), {QStringLiteral("pkeyutl"), QStringLiteral("-verify"), QStringLiteral("-pubin"),
                                                  QStringLiteral("-inkey"), m_tmp.filePath(QStringLiteral("cora.pub")), QStringLiteral("-rawin"),
                                                  QStringLiteral("-in"), m_tmp.filePath(QStringLiteral("pae.bin")), QStringLiteral("-sigfile"),
                                                  m_tmp.filePath(QStringLiteral("sig.bin"))});
        QVERIFY(openssl.waitForFinished(10000));
        QVERIFY2(openssl.exitCode() == 0, openssl.readAllStandardError().constData());
        QVERIFY(openssl.readAllStandardOutput().contains("Signature Verified Successfully"));
        // One changed byte of the payload and OpenSSL refuses it.
        QByteArray forged = pae;
        forged[forged.size() - 3] = char(forged[forged.size() - 3] ^ 1);
        QVERIFY(test::writeFile(m_tmp.filePath(QStringLiteral("pae.bin")), forged));
        openssl.start(openssl.program(), openssl.arguments());
        QVERIFY(openssl.waitForFinished(10000));
        QVERIFY(openssl.exitCode() != 0);
    }

    void checkpointExportAndVerify()
    {
        const auto cp = as(QStringLiteral("admin"), QStringLiteral("checkpoint"), {});
        QVERIFY2(cp.exitCode == 0, cp.err.constData());
        QVERIFY(cp.out.contains("\n11\n"));
        QVERIFY(cp.out.contains("\xe2\x80\x94 admin ")); // the em dash of a C2SP signature line
        const QString note = m_tmp.filePath(QStringLiteral("cp.note"));
        QVERIFY(test::writeFile(note, cp.out));
        QCOMPARE(run({QStringLiteral("verify"), QStringLiteral("-w"), m_ws, QStringLiteral("--checkpoint"), note}).exitCode, 0);
        QByteArray forged = cp.out;
        forged.replace("\n11\n", "\n10\n");
        QVERIFY(test::writeFile(note, forged));
        const auto bad = run({QStringLiteral("verify"), QStringLiteral("-w"), m_ws, QStringLiteral("--checkpoint"), note});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY2(bad.out.contains("no valid signature"), bad.out.constData());
        // /dev/zero is not a checkpoint: refused at once, not read until memory runs out.
        const auto endless = run({QStringLiteral("verify"), QStringLiteral("-w"), m_ws, QStringLiteral("--checkpoint"), QStringLiteral("/dev/zero")});
        QCOMPARE(endless.exitCode, 2);
        QVERIFY2(endless.err.contains("/dev/zero: is a device, not a file"), endless.err.constData());
        // A regular file of 2 MiB is not one either, and is not read whole.
        const QString big = m_tmp.filePath(QStringLiteral("big.note"));
        QFile sparse(big);
        QVERIFY(sparse.open(QIODevice::WriteOnly) && sparse.resize(qint64(2) << 20));
        sparse.close();
        const auto tooBig = run({QStringLiteral("verify"), QStringLiteral("-w"), m_ws, QStringLiteral("--checkpoint"), big});
        QCOMPARE(tooBig.exitCode, 2);
        QVERIFY2(tooBig.err.contains("more than 1 MiB, not a checkpoint note"), tooBig.err.constData());
    }

    // cp -a of the workspace: both open writable, each names the other; the admin adopts the copy with a signed
    // event (a curator may not), and afterwards both verify and neither mentions the other.
    void copyIsAdoptedByTheAdmin()
    {
        const QString copy = m_tmp.filePath(QStringLiteral("ws-copy"));
        QCOMPARE(QProcess::execute(QStringLiteral("cp"), {QStringLiteral("-a"), m_ws, copy}), 0);
        const auto seen = run({QStringLiteral("versions"), QStringLiteral("-w"), copy});
        QCOMPARE(seen.exitCode, 0);
        QVERIFY2(seen.err.contains("a copy of this workspace (same identity) is at"), seen.err.constData());
        const QStringList adopt{QStringLiteral("init"), copy, QStringLiteral("--adopt-copy"), QStringLiteral("--admin")};
        const auto byCurator = run(adopt + QStringList{QStringLiteral("cora"), QStringLiteral("--passphrase-file"), pass(QStringLiteral("cora"))});
        QCOMPARE(byCurator.exitCode, 1);
        QVERIFY2(byCurator.err.contains("refused by rule 'role'"), byCurator.err.constData());
        const auto adopted = run(adopt + QStringList{QStringLiteral("admin"), QStringLiteral("--passphrase-file"), pass(QStringLiteral("admin"))});
        QVERIFY2(adopted.exitCode == 0 && adopted.out.contains("as a workspace of its own"), adopted.err.constData());
        for (const QString &dir : {m_ws, copy}) {
            const auto v = run({QStringLiteral("verify"), QStringLiteral("-w"), dir});
            QVERIFY2(v.exitCode == 0, v.out.constData());
            QVERIFY2(!v.err.contains("copy of this workspace"), v.err.constData());
        }
        const auto log = run({QStringLiteral("log"), QStringLiteral("-w"), copy});
        QVERIFY2(log.out.contains("workspace.adopted"), log.out.constData());
    }

    void wrongPassphraseChangesNothing()
    {
        QVERIFY(test::writeFile(m_tmp.filePath(QStringLiteral("wrong.pass")), "not it\n"));
        const auto r = run({QStringLiteral("submit"), QStringLiteral("-w"), m_ws, QStringLiteral("--as"), QStringLiteral("cora"),
                            QStringLiteral("--passphrase-file"), m_tmp.filePath(QStringLiteral("wrong.pass")), QStringLiteral("t@v1")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("wrong passphrase"), r.err.constData());
        QCOMPARE(QJsonDocument::fromJson(run({QStringLiteral("log"), QStringLiteral("-w"), m_ws, QStringLiteral("--json")}).out)
                     .object().value(QStringLiteral("events")).toArray().size(), 11);
    }

    // An event appended by SQL with a signature copied from another: log marks it, and every one after, as
    // proving nothing, and names signers from the events alone.
    void logMarksForgedEvents()
    {
        const QString copy = m_tmp.filePath(QStringLiteral("forged"));
        QCOMPARE(QProcess::execute(QStringLiteral("cp"), {QStringLiteral("-a"), m_ws, copy}), 0);
        QVERIFY(test::forgeSql(copy, "INSERT INTO event(seq, time, actor, type, payload, prev_hash, signature, hash) SELECT seq + 1, time, "
                                     "actor, type, payload, hash, signature, randomblob(32) FROM event ORDER BY seq DESC LIMIT 1"));
        QVERIFY(test::forgeSql(copy, "UPDATE principal SET name = 'zed' WHERE name = 'cora'"));
        const auto json = run({QStringLiteral("log"), QStringLiteral("-w"), copy, QStringLiteral("--json")});
        QCOMPARE(json.exitCode, 0);
        QVERIFY2(json.err.contains("warning: the ledger does not verify from event 12"), json.err.constData());
        const QJsonArray events = QJsonDocument::fromJson(json.out).object().value(QStringLiteral("events")).toArray();
        QCOMPARE(events.size(), 12);
        const QJsonObject forged = events.last().toObject(), real = events.at(10).toObject();
        QCOMPARE(forged.value(QStringLiteral("signed")).toBool(), false);
        QCOMPARE(forged.value(QStringLiteral("verified")).toBool(), false);
        QCOMPARE(real.value(QStringLiteral("signed")).toBool(), true);
        QCOMPARE(real.value(QStringLiteral("verified")).toBool(), true);
        for (const QJsonValue &e : events) // names from the events, not the edited principal table
            QVERIFY(e.toObject().value(QStringLiteral("actor_name")).toString() != QLatin1String("zed"));
        QVERIFY(json.out.contains("\"actor_name\": \"cora\""));
        const auto human = run({QStringLiteral("log"), QStringLiteral("-w"), copy});
        QVERIFY2(human.out.trimmed().split('\n').last().startsWith("    12! "), human.out.constData());
    }

    void keysAndPassphrasesStayPrivate()
    {
        // No passphrase can be given as an argument.
        const auto r = run({QStringLiteral("submit"), QStringLiteral("-w"), m_ws, QStringLiteral("--as"), QStringLiteral("cora"),
                            QStringLiteral("--passphrase"), QStringLiteral("x"), QStringLiteral("t@v1")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("Unknown option 'passphrase'"));
        // Private keys live in the key store, mode 0600, never in the workspace.
        const QString store = m_tmp.filePath(QStringLiteral("data/custody/keys"));
        QCOMPARE(QFileInfo(store + QStringLiteral("/cora.key")).permissions() & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
        QFile key(store + QStringLiteral("/cora.key"));
        QVERIFY(key.open(QIODevice::ReadOnly));
        const QByteArray keyBody = key.readAll().split('\n').value(1); // a line of the encrypted key
        QVERIFY(keyBody.size() > 40);
        QDirIterator it(m_ws, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray bytes = f.readAll();
            QVERIFY2(!bytes.contains("PRIVATE KEY") && !bytes.contains(keyBody), qPrintable(f.fileName()));
            for (const QString &who : {QStringLiteral("admin"), QStringLiteral("cora"), QStringLiteral("ada"), QStringLiteral("abe")})
                QVERIFY2(!bytes.contains(secret(who)), qPrintable(f.fileName()));
        }
        // Nothing the CLI printed contains a passphrase.
        for (const QString &who : {QStringLiteral("admin"), QStringLiteral("cora"), QStringLiteral("ada"), QStringLiteral("abe")})
            for (const QString &output : m_allOutput)
                QVERIFY(!output.contains(QString::fromLatin1(secret(who))));
    }
};

QTEST_GUILESS_MAIN(TestLedgerCli)
#include "TestLedgerCli.moc"
