#include "SignedWorkspace.h"
#include "TestSupport.h"
#include "ledger/Ledger.h"
#include "workflow/Verifier.h"
#include "storage/Workspace.h"
#include "workflow/OpenWorkspace.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <random>

using namespace custody;

// A process appending signed events is killed with SIGKILL at random moments, a hundred times; every time the
// workspace must open, pass SQLite's integrity check and verify, and hold the last commit the process saw
// return (a durable commit that is lost after an acknowledgement would be a broken promise).
class TestLedgerCrash : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void killedAppendsLeaveAConsistentLedger()
    {
        setRememberedCheckpointDirectory(QString());
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("ws"));
        QString e;
        QVERIFY2(test::makeSignedWorkspace(dir, tmp.path(), &e), qPrintable(e));
        std::mt19937 rng(20261125);
        qint64 lastSize = 0;
        int grew = 0;
        for (int round = 0; round < 100; ++round) {
            QProcess child;
            const QString tag = QStringLiteral("round%1").arg(round);
            child.start(QStringLiteral(CUSTODY_APPEND_LOOP_PATH), {dir, QStringLiteral("--tag"), tag});
            QVERIFY2(child.waitForReadyRead(20000), child.readAllStandardError().constData());
            QTest::qWait(int(rng() % 40)); // somewhere in the middle of a stream of appends
            ::kill(pid_t(child.processId()), SIGKILL);
            QVERIFY(child.waitForFinished(10000));
            // The last commit the child saw return: it must be in the ledger (a later one may be too).
            const QList<QByteArray> lines = child.readAllStandardOutput().trimmed().split('\n');
            QVERIFY(lines.last().startsWith("committed "));
            const long acknowledged = lines.last().mid(10).toLong();

            auto ws = openWorkspace(dir, &e);
            QVERIFY2(ws, qPrintable(e));
            const QString record = QStringLiteral("r%1").arg(1 + acknowledged % 5);
            QString note;
            for (const Decision &d : Ledger(*ws).state().decisions(QStringLiteral("t@v1")))
                if (d.recordId == record)
                    note = d.note;
            const long kept = note.section(QStringLiteral("-n"), 1).toLong();
            QVERIFY2(note.startsWith(tag + QStringLiteral("-n")) && kept >= acknowledged && kept % 5 == acknowledged % 5,
                     qPrintable(QStringLiteral("round %1: commit %2 was acknowledged, record %3 holds '%4'").arg(round).arg(acknowledged).arg(record, note)));
            Statement check(ws->db(), "PRAGMA integrity_check");
            QVERIFY(check.step());
            QCOMPARE(check.columnText(0), QStringLiteral("ok"));
            VerifyReport report;
            QVERIFY2(Verifier::run(*ws, &report, &e), qPrintable(e));
            QVERIFY2(report.ok(), qPrintable(QStringLiteral("round %1: %2: %3").arg(round).arg(report.problems.value(0).subject,
                                                                                            report.problems.value(0).message)));
            grew += report.eventsChecked > lastSize ? 1 : 0;
            lastSize = report.eventsChecked;
        }
        QVERIFY2(grew >= 90, "the child should have committed events in nearly every round");
    }

    // Decisions on many records are one transaction: a process killed after appending half of a 500-record
    // edit leaves none of its events, and the workspace verifies.
    void killedBatchOfDecisionsLeavesNoneOfThem()
    {
        setRememberedCheckpointDirectory(QString());
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("ws"));
        QString e;
        qint64 before = 0;
        {
            auto ws = test::makeSignedWorkspace(dir, tmp.path(), &e);
            QVERIFY2(ws, qPrintable(e));
            before = Ledger(*ws).size(&e).value_or(-1);
        }
        QProcess child;
        child.start(QStringLiteral(CUSTODY_APPEND_LOOP_PATH),
                    {dir, QStringLiteral("--batch"), QStringLiteral("500"), QStringLiteral("--die-after"), QStringLiteral("250")});
        QVERIFY(child.waitForFinished(60000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        QCOMPARE(child.readAllStandardOutput().trimmed(), QByteArray("appended 250"));

        auto ws = openWorkspace(dir, &e);
        QVERIFY2(ws, qPrintable(e));
        QCOMPARE(Ledger(*ws).size(&e).value_or(-1), before);
        for (const Decision &d : Ledger(*ws).state().decisions(QStringLiteral("t@v1")))
            QVERIFY2(!d.note.startsWith(QLatin1String("batch ")), qPrintable(d.note));
        VerifyReport report;
        QVERIFY2(Verifier::run(*ws, &report, &e), qPrintable(e));
        QVERIFY2(report.ok(), qPrintable(report.problems.value(0).message));
    }
};

QTEST_GUILESS_MAIN(TestLedgerCrash)
#include "TestLedgerCrash.moc"
