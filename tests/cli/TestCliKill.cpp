#include "CliWorkspace.h"
#include "WorkspaceFixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <csignal>
#include <random>

using namespace custody;

// custody-cli killed with SIGKILL (no handler runs) at random moments of an ingest, a release and of making a
// workspace signed. Each time the workspace must verify clean, the step must have happened entirely or not at
// all, and running it again must finish it (or say it is already done). TestLedgerCrash does the same for a
// stream of signed decisions.
class TestCliKill : public QObject
{
    Q_OBJECT

private:
    std::mt19937 m_rng{20261207};

    // Starts custody-cli ARGS in `ws`'s environment and kills it after `delayMs`. True when it was killed
    // (false: it had already finished).
    static bool killAfter(const test::CliWorkspace &ws, const QStringList &args, int delayMs)
    {
        QProcess p;
        p.setProcessEnvironment(ws.environment());
        p.setStandardInputFile(QProcess::nullDevice());
        p.start(test::cliPath(), args);
        if (!p.waitForStarted())
            return false;
        const bool finished = p.waitForFinished(delayMs);
        if (!finished)
            ::kill(pid_t(p.processId()), SIGKILL);
        p.waitForFinished(30000);
        return !finished;
    }

    static QString verifyProblem(const test::CliWorkspace &ws)
    {
        const auto r = ws.run(ws.args(QStringLiteral("verify")));
        if (r.exitCode != 0)
            return QString::fromUtf8(r.out + r.err);
        if (r.out.contains("not referenced"))
            return QStringLiteral("objects left behind: ") + QString::fromUtf8(r.out);
        return {};
    }

    static QStringList eventTypes(const test::CliWorkspace &ws)
    {
        QStringList out;
        const auto r = ws.run(ws.args(QStringLiteral("log"), {QStringLiteral("--json")}));
        for (const QJsonValue &e : QJsonDocument::fromJson(r.out).object().value(QStringLiteral("events")).toArray())
            out << e.toObject().value(QStringLiteral("type")).toString();
        return out;
    }

private Q_SLOTS:
    void killedIngestLeavesAllOrNothing()
    {
        test::CliWorkspace ws;
        QString error;
        QVERIFY2(ws.init(&error), qPrintable(error));
        const QString csv = ws.filePath(QStringLiteral("big.csv"));
        QVERIFY(test::writeNumberedCsv(csv, 300000));
        int killed = 0;
        for (int round = 0; round < 5; ++round) {
            const QString label = QStringLiteral("v%1").arg(round);
            const QStringList ingest = ws.args(QStringLiteral("ingest"), {QStringLiteral("--dataset"), QStringLiteral("big"), QStringLiteral("--version"), label,
                                                                         QStringLiteral("--id-column"), QStringLiteral("id"), csv});
            killed += killAfter(ws, ingest, 50 + int(m_rng() % 900));
            const auto listed = ws.run(ws.args(QStringLiteral("versions"), {QStringLiteral("--json")}));
            const bool stored = listed.out.contains(QStringLiteral("\"big@%1\"").arg(label).toUtf8());
            // The next writer clears what a killed ingest left; verify must then be clean.
            const auto again = ws.run(ingest);
            if (stored)
                QVERIFY2(again.exitCode != 0 && again.err.contains("already exists"), again.err.constData());
            else
                QVERIFY2(again.exitCode == 0, again.err.constData());
            const QString problem = verifyProblem(ws);
            QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("round %1: %2").arg(round).arg(problem)));
            const auto shown = ws.run(ws.args(QStringLiteral("show"), {QStringLiteral("big@") + label}));
            QVERIFY2(shown.out.contains("300000"), shown.out.constData());
        }
        QVERIFY2(killed >= 3, "most rounds should have killed a running ingest");
    }

    // Under a file-size limit (ulimit -f) the ingest's writes fail: a message and exit 2, not a silent death by
    // SIGXFSZ; nothing is stored and verify stays clean (campaign 9).
    void fileSizeLimitFailsWithAMessage()
    {
        test::CliWorkspace ws;
        QString error;
        QVERIFY2(ws.init(&error), qPrintable(error));
        const QString csv = ws.filePath(QStringLiteral("limit.csv"));
        QVERIFY(test::writeNumberedCsv(csv, 50000));
        QProcess p;
        p.setProcessEnvironment(ws.environment());
        p.setStandardInputFile(QProcess::nullDevice());
        const QStringList ingest = ws.args(QStringLiteral("ingest"), {QStringLiteral("--dataset"), QStringLiteral("lim"), QStringLiteral("--version"),
                                                                     QStringLiteral("v1"), QStringLiteral("--id-column"), QStringLiteral("id"), csv});
        // The limit applies to every file the process writes; the workspace already exists, so its database
        // is only appended to.
        p.start(QStringLiteral("/bin/sh"), QStringList{QStringLiteral("-c"), QStringLiteral("ulimit -f 256; exec \"$0\" \"$@\""), test::cliPath()} + ingest);
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 2);
        const QByteArray err = p.readAllStandardError();
        QVERIFY2(err.contains("file too large"), err.constData());
        const auto listed = ws.run(ws.args(QStringLiteral("versions")));
        QVERIFY(!listed.out.contains("lim@v1"));
        const QString problem = verifyProblem(ws);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void killedReleaseLeavesAllOrNothing()
    {
        int killed = 0;
        for (int round = 0; round < 4; ++round) {
            test::CliWorkspace ws;
            QString error;
            QVERIFY2(ws.initSigned(&error), qPrintable(error));
            for (const char *who : {"ada", "abe"}) {
                const QString name = QLatin1String(who);
                QCOMPARE(ws.run({QStringLiteral("key"), QStringLiteral("create"), name, QStringLiteral("--passphrase-file"), ws.filePath(QStringLiteral("pass"))})
                             .exitCode,
                         0);
                const auto pub = ws.run({QStringLiteral("key"), QStringLiteral("export-public"), name});
                QVERIFY(test::writeFile(ws.filePath(name + QStringLiteral(".pub")), pub.out));
                const auto added = ws.run(ws.signedArgs(QStringLiteral("admin"), QStringLiteral("principal"),
                                                        {QStringLiteral("add"), name, ws.filePath(name + QStringLiteral(".pub")), QStringLiteral("--roles"),
                                                         QStringLiteral("approver")}));
                QVERIFY2(added.exitCode == 0, added.err.constData());
            }
            QByteArray csv = "id,label,x\n";
            for (int i = 0; i < 2000; ++i)
                csv += "r" + QByteArray::number(i) + "," + (i % 2 ? "p" : "q") + "," + QByteArray::number(i) + "\n";
            QVERIFY2(ws.ingestCsv(QStringLiteral("t"), QStringLiteral("v1"), csv, &error, QStringLiteral("cora")), qPrintable(error));
            for (const auto &[who, command] : {std::pair{"cora", "submit"}, std::pair{"ada", "approve"}, std::pair{"abe", "approve"}}) {
                const auto r = ws.run(ws.signedArgs(QLatin1String(who), QLatin1String(command), {QStringLiteral("t@v1")}));
                QVERIFY2(r.exitCode == 0, r.err.constData());
            }
            const QStringList release = ws.signedArgs(QStringLiteral("cora"), QStringLiteral("release"), {QStringLiteral("t@v1"), QStringLiteral("--to"), QStringLiteral("v2")});
            killed += killAfter(ws, release, 100 + int(m_rng() % 500));
            const bool released = eventTypes(ws).contains(QStringLiteral("version.released"));
            const bool listed = ws.run(ws.args(QStringLiteral("versions"))).out.contains("t@v2");
            QCOMPARE(listed, released); // the version and its event, together or neither
            const auto again = ws.run(release);
            if (released)
                QVERIFY2(again.exitCode != 0, again.out.constData());
            else
                QVERIFY2(again.exitCode == 0, again.err.constData());
            QCOMPARE(eventTypes(ws).count(QStringLiteral("version.released")), 1);
            const QString problem = verifyProblem(ws);
            QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("round %1: %2").arg(round).arg(problem)));
        }
        QVERIFY2(killed >= 2, "some rounds should have killed a running release");
    }

    void killedMakeSignedLeavesAllOrNothing()
    {
        int killed = 0;
        for (int round = 0; round < 5; ++round) {
            test::CliWorkspace ws;
            QString error;
            QVERIFY2(ws.init(&error), qPrintable(error));
            QVERIFY2(ws.ingestCsv(QStringLiteral("t"), QStringLiteral("v1"), "id,label,x\na,p,1\nb,q,2\n", &error), qPrintable(error));
            QVERIFY(test::writeFile(ws.filePath(QStringLiteral("pass")), "correct horse battery staple\n"));
            QCOMPARE(ws.run({QStringLiteral("key"), QStringLiteral("create"), QStringLiteral("admin"), QStringLiteral("--passphrase-file"),
                             ws.filePath(QStringLiteral("pass"))})
                         .exitCode,
                     0);
            const QStringList makeSigned{QStringLiteral("init"), ws.path(), QStringLiteral("--admin"), QStringLiteral("admin"), QStringLiteral("--passphrase-file"),
                                         ws.filePath(QStringLiteral("pass"))};
            killed += killAfter(ws, makeSigned, 20 + int(m_rng() % 400));
            const bool signedNow = eventTypes(ws).contains(QStringLiteral("genesis"));
            const auto again = ws.run(makeSigned);
            if (!signedNow)
                QVERIFY2(again.exitCode == 0, again.err.constData());
            QCOMPARE(eventTypes(ws).count(QStringLiteral("genesis")), 1); // made signed once, not twice
            // Either way the workspace is now signed: an unsigned ingest is refused.
            const auto unsignedIngest = ws.run(ws.args(QStringLiteral("ingest"), {QStringLiteral("--dataset"), QStringLiteral("u"), QStringLiteral("--version"),
                                                                                 QStringLiteral("y"), ws.filePath(QStringLiteral("t-v1.csv"))}));
            QVERIFY2(unsignedIngest.exitCode == 1, unsignedIngest.err.constData());
            const QString problem = verifyProblem(ws);
            QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("round %1: %2").arg(round).arg(problem)));
        }
        QVERIFY2(killed >= 2, "some rounds should have killed a running init --admin");
    }
};

QTEST_GUILESS_MAIN(TestCliKill)
#include "TestCliKill.moc"
