#include "TestSupport.h"
#include "storage/Database.h"
#include "storage/Workspace.h"

#include <openssl/crypto.h>
#include <sqlite3.h>

#include <QDir>

#include <QRegularExpression>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace custody;
using test::runCli;

// Runs the built custody-cli as a pipeline would: exit codes, JSON shapes, one-line errors.
class TestCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QString m_ws;

    static QJsonObject json(const test::CliResult &r)
    {
        QJsonParseError e;
        const QJsonDocument doc = QJsonDocument::fromJson(r.out, &e);
        if (e.error != QJsonParseError::NoError)
            qWarning("not JSON: %s", r.out.constData());
        return doc.object();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_ws = m_tmp.filePath(QStringLiteral("ws"));
        QVERIFY(test::writeFile(m_tmp.filePath(QStringLiteral("a.csv")), "id,label,x\nr1,p,1\nr2,p,2\nr3,q,3\n"));
        QVERIFY(test::writeFile(m_tmp.filePath(QStringLiteral("b.csv")), "id,label,x\nr1,p,1\nr2,q,2\nr3,q,3.5\nr4,q,9\nr5,p,1\nr6,q,1\n"));
    }

    void initIngestVersionsShow()
    {
        auto r = runCli({QStringLiteral("init"), m_ws});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("Created workspace"));
        r = runCli({QStringLiteral("init"), m_ws});
        QCOMPARE(r.exitCode, 2);

        for (const char *v : {"a", "b"}) {
            QStringList args{QStringLiteral("ingest"), QStringLiteral("-w"), m_ws, QStringLiteral("--dataset"), QStringLiteral("t"),
                             QStringLiteral("--version"), QLatin1String(v), QStringLiteral("--id-column"), QStringLiteral("id"),
                             QStringLiteral("--label-column"), QStringLiteral("label"), QStringLiteral("--supplier"), QStringLiteral("ACME"),
                             QStringLiteral("--license"), QStringLiteral("MIT"), m_tmp.filePath(QLatin1String(v) + QStringLiteral(".csv"))};
            if (QLatin1String(v) == QLatin1String("b"))
                args << QStringLiteral("--parent") << QStringLiteral("a");
            r = runCli(args);
            QVERIFY2(r.exitCode == 0, r.err.constData());
            QVERIFY(r.out.contains("t@" + QByteArray(v) + ":"));
        }

        r = runCli({QStringLiteral("versions"), QStringLiteral("-w"), m_ws, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray versions = json(r).value(QStringLiteral("versions")).toArray();
        QCOMPARE(versions.size(), 2);
        QCOMPARE(versions[1].toObject().value(QStringLiteral("name")).toString(), QStringLiteral("t@b"));
        QCOMPARE(versions[1].toObject().value(QStringLiteral("parent")).toString(), QStringLiteral("a"));
        QCOMPARE(versions[1].toObject().value(QStringLiteral("records")).toInt(), 6);
        QCOMPARE(versions[1].toObject().value(QStringLiteral("digest")).toString().size(), 64);

        r = runCli({QStringLiteral("show"), QStringLiteral("-w"), m_ws, QStringLiteral("t@b"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject show = json(r);
        QCOMPARE(show.value(QStringLiteral("manifest")).toObject().value(QStringLiteral("provenance")).toObject()
                     .value(QStringLiteral("supplier")).toString(), QStringLiteral("ACME"));
        QCOMPARE(show.value(QStringLiteral("files")).toArray().first().toObject().value(QStringLiteral("name")).toString(),
                 QStringLiteral("b.csv"));

        r = runCli({QStringLiteral("show"), QStringLiteral("-w"), m_ws, QStringLiteral("t@b")});
        QVERIFY(r.out.contains("supplier      ACME"));
    }

    void diffJsonAndExitCode()
    {
        auto r = runCli({QStringLiteral("diff"), QStringLiteral("-w"), m_ws, QStringLiteral("t@a"), QStringLiteral("t@b"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 1); // r5 and r6 copy r1's content, r6 with another label: a conflict
        const QJsonObject d = json(r);
        QCOMPARE(d.value(QStringLiteral("added")).toArray().toVariantList(), (QVariantList{QStringLiteral("r4"), QStringLiteral("r5"), QStringLiteral("r6")}));
        QCOMPARE(d.value(QStringLiteral("removed")).toArray().size(), 0);
        QCOMPARE(d.value(QStringLiteral("modified")).toArray().toVariantList(), QVariantList{QStringLiteral("r3")});
        QCOMPARE(d.value(QStringLiteral("relabelled")).toArray().toVariantList(), QVariantList{QStringLiteral("r2")});
        const QJsonArray dups = d.value(QStringLiteral("duplicates")).toArray();
        QCOMPARE(dups.size(), 1);
        QCOMPARE(dups[0].toObject().value(QStringLiteral("ids")).toArray().size(), 3);
        QCOMPARE(dups[0].toObject().value(QStringLiteral("conflicting_labels")).toBool(), true);

        // Without conflicting duplicates the same command exits 0.
        r = runCli({QStringLiteral("diff"), QStringLiteral("-w"), m_ws, QStringLiteral("t@b"), QStringLiteral("t@a")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("removed: 3"));
    }

    void verifyExitCodes()
    {
        auto r = runCli({QStringLiteral("verify"), QStringLiteral("-w"), m_ws});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("OK: 2 versions"));
        r = runCli({QStringLiteral("verify"), QStringLiteral("-w"), m_ws, QStringLiteral("--json")});
        QCOMPARE(json(r).value(QStringLiteral("ok")).toBool(), true);
    }

    void versionNamesCustodyAndItsLibraries()
    {
        const auto r = runCli({QStringLiteral("--version")});
        QCOMPARE(r.exitCode, 0);
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines[0], QByteArray("custody-cli " CUSTODY_VERSION));
        QVERIFY2(lines[1].startsWith("Qt " + QByteArray(qVersion()) + ", SQLite " + QByteArray(sqlite3_libversion())
                                     + ", OpenSSL " + QByteArray(OpenSSL_version(OPENSSL_VERSION_STRING)) + ", Eigen 3."),
                 lines[1].constData());
    }

    void usageAndIoErrorsAreOneLineWithExitTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no command") << QStringList{} << QStringLiteral("usage");
        QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")} << QStringLiteral("unknown command");
        QTest::newRow("no workspace") << QStringList{QStringLiteral("versions")} << QStringLiteral("-w DIR");
        QTest::newRow("not a workspace") << QStringList{QStringLiteral("versions"), QStringLiteral("-w"), QStringLiteral("/nonexistent")}
                                         << QStringLiteral("no such folder");
        QTest::newRow("bad version ref") << QStringList{QStringLiteral("show"), QStringLiteral("-w"), QStringLiteral("WS"), QStringLiteral("t")}
                                         << QStringLiteral("NAME@LABEL");
        QTest::newRow("unknown version") << QStringList{QStringLiteral("show"), QStringLiteral("-w"), QStringLiteral("WS"), QStringLiteral("t@zzz")}
                                         << QStringLiteral("no version t@zzz");
        QTest::newRow("unknown option") << QStringList{QStringLiteral("verify"), QStringLiteral("--bogus")} << QStringLiteral("bogus");
        QTest::newRow("bad format") << QStringList{QStringLiteral("ingest"), QStringLiteral("-w"), QStringLiteral("WS"), QStringLiteral("--dataset"),
                                                   QStringLiteral("t"), QStringLiteral("--version"), QStringLiteral("c"), QStringLiteral("--format"),
                                                   QStringLiteral("xls"), QStringLiteral("x.xls")}
                                    << QStringLiteral("unknown format 'xls'");
        // A mistyped command line is refused, not half-read: `log -w WS extra` used to print the log.
        QTest::newRow("extra argument to log") << QStringList{QStringLiteral("log"), QStringLiteral("-w"), QStringLiteral("WS"), QStringLiteral("extra")}
                                               << QStringLiteral("unexpected argument 'extra'");
        QTest::newRow("extra argument to verify") << QStringList{QStringLiteral("verify"), QStringLiteral("-w"), QStringLiteral("WS"), QStringLiteral("WS")}
                                                  << QStringLiteral("unexpected argument");
        QTest::newRow("extra argument to approve")
            << QStringList{QStringLiteral("approve"), QStringLiteral("-w"), QStringLiteral("WS"), QStringLiteral("--as"), QStringLiteral("k"),
                           QStringLiteral("t@a"), QStringLiteral("t@b")}
            << QStringLiteral("unexpected argument 't@b'");
        QTest::newRow("decide without a decision")
            << QStringList{QStringLiteral("decide"), QStringLiteral("-w"), QStringLiteral("WS"), QStringLiteral("--as"), QStringLiteral("k"),
                           QStringLiteral("t@a"), QStringLiteral("r1")}
            << QStringLiteral("missing argument");
    }

    void usageAndIoErrorsAreOneLineWithExitTwo()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        args.replaceInStrings(QRegularExpression(QStringLiteral("^WS$")), m_ws);
        const auto r = runCli(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(QString::fromUtf8(r.err).contains(expected), r.err.constData());
        if (!args.isEmpty())
            QCOMPARE(r.err.count('\n'), 1);
    }

    void badInputNamesFileAndLine()
    {
        const QString bad = m_tmp.filePath(QStringLiteral("bad.csv"));
        QVERIFY(test::writeFile(bad, "id,label,x\nq1,p,1\nq2,p,1,2\n"));
        const auto r = runCli({QStringLiteral("ingest"), QStringLiteral("-w"), m_ws, QStringLiteral("--dataset"), QStringLiteral("t"),
                               QStringLiteral("--version"), QStringLiteral("bad"), QStringLiteral("--id-column"), QStringLiteral("id"), bad});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("bad.csv:3:"), r.err.constData());
        QCOMPARE(r.err.count('\n'), 1);
        QCOMPARE(runCli({QStringLiteral("verify"), QStringLiteral("-w"), m_ws}).exitCode, 0);
    }

    void readCommandsUpgradeAnOlderSchema()
    {
        // A Custody database from before any migration ran (schema 0), as an older build could leave it.
        const QString old = m_tmp.filePath(QStringLiteral("old"));
        QString e;
        {
            Database db;
            QDir().mkpath(old + QStringLiteral("/objects"));
            QVERIFY(db.open(old + QStringLiteral("/custody.db"), Database::Mode::Create, &e));
            QVERIFY(db.exec("PRAGMA application_id = 1129665364; PRAGMA user_version = 0;", &e));
        }
        QVERIFY(Workspace::needsUpgrade(old));
        const auto r = runCli({QStringLiteral("versions"), QStringLiteral("-w"), old});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains("upgraded"), r.err.constData());
        QVERIFY(!Workspace::needsUpgrade(old));
        QCOMPARE(runCli({QStringLiteral("verify"), QStringLiteral("-w"), old}).exitCode, 0);
    }

    void tamperedWorkspaceExitsOne()
    {
        QString e;
        {
            Database db;
            QVERIFY(db.open(m_ws + QStringLiteral("/custody.db"), Database::Mode::ReadWrite, &e));
            QVERIFY(db.exec("UPDATE record SET label = 'x' WHERE record_id = 'r1'", &e));
        }
        const auto r = runCli({QStringLiteral("verify"), QStringLiteral("-w"), m_ws});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains("MISMATCH t@a"), r.out.constData());
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "TestCli.moc"
