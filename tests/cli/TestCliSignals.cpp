#include "CliWorkspace.h"
#include "WorkspaceFixture.h"

#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QTest>

#include <csignal>

using namespace custody;

// SIGTERM and SIGHUP stop an ingest as Ctrl+C does (issue 11): the transaction rolls back, the objects it
// wrote and its temporary files are removed, and the exit code says which signal stopped it.
class TestCliSignals : public QObject
{
    Q_OBJECT

private:
    test::CliWorkspace m_ws;
    QString m_big;

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_ws.init(&error), qPrintable(error));
        // Big enough that the ingest runs for a while (a second or more) after its first object file appears.
        m_big = m_ws.filePath(QStringLiteral("big.csv"));
        QVERIFY(test::writeNumberedCsv(m_big, 600000));
    }

    void stopsCleanly_data()
    {
        QTest::addColumn<int>("signal");
        QTest::newRow("SIGTERM") << int(SIGTERM);
        QTest::newRow("SIGHUP") << int(SIGHUP);
        QTest::newRow("SIGINT") << int(SIGINT);
    }

    void stopsCleanly()
    {
        QFETCH(int, signal);
        QProcess ingest;
        ingest.setProcessEnvironment(m_ws.environment());
        ingest.setStandardInputFile(QProcess::nullDevice());
        ingest.start(test::cliPath(), m_ws.args(QStringLiteral("ingest"), {QStringLiteral("--dataset"), QStringLiteral("big"), QStringLiteral("--version"),
                                                                            QStringLiteral("v1"), QStringLiteral("--id-column"), QStringLiteral("id"), m_big}));
        QVERIFY(ingest.waitForStarted());
        // Running: it has begun writing into the object store (the original's copy or the record pack).
        const QString tmp = m_ws.path() + QStringLiteral("/objects/tmp");
        QElapsedTimer clock;
        clock.start();
        while (QDir(tmp).entryList(QDir::Files).isEmpty() && ingest.state() == QProcess::Running && clock.elapsed() < 60000)
            QThread::msleep(5);
        QVERIFY2(ingest.state() == QProcess::Running, "the ingest ended before it could be interrupted");
        QThread::msleep(200);
        QVERIFY(::kill(pid_t(ingest.processId()), signal) == 0);
        QVERIFY(ingest.waitForFinished(60000));
        const QByteArray err = ingest.readAllStandardError();
        QCOMPARE(ingest.exitStatus(), QProcess::NormalExit); // handled, not killed by the signal
        QCOMPARE(ingest.exitCode(), 128 + signal);
        QVERIFY2(err.contains("ingest cancelled; nothing was stored"), err.constData());

        QCOMPARE(test::objectFiles(m_ws.path()), QStringList()); // no object, no temporary file
        const auto verify = m_ws.run(m_ws.args(QStringLiteral("verify")));
        QVERIFY2(verify.exitCode == 0 && !verify.out.contains("not referenced"), verify.out.constData());
        QVERIFY(m_ws.run(m_ws.args(QStringLiteral("versions"))).out.contains("No dataset versions yet"));
    }
};

QTEST_GUILESS_MAIN(TestCliSignals)
#include "TestCliSignals.moc"
