#include "CliWorkspace.h"

#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QTest>

#include <sys/stat.h>

using namespace custody;

// A path custody-cli reads may name a FIFO nobody writes or a device that never ends (campaign 5: ingest,
// --passphrase-file and verify --checkpoint waited forever on a FIFO, and a remembered checkpoint linked to
// /dev/zero was read until the kernel killed the process). Each is refused at once, naming what it is; a
// remembered checkpoint that cannot be used, or a workspace swapped for another, is said to the person.
class TestSpecialFiles : public QObject
{
    Q_OBJECT

private:
    test::CliWorkspace m_ws;
    QString m_fifo;

    struct Run
    {
        bool finished = false;
        int exitCode = -1;
        QByteArray err;
    };

    Run run(const QStringList &args) const
    {
        QProcess p;
        p.setProcessEnvironment(m_ws.environment());
        p.setStandardInputFile(QProcess::nullDevice());
        p.start(test::cliPath(), args);
        Run r;
        r.finished = p.waitForFinished(15000);
        if (!r.finished) {
            p.kill();
            p.waitForFinished();
        }
        r.exitCode = p.exitCode();
        r.err = p.readAllStandardError();
        return r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_ws.init(&error), qPrintable(error));
        QVERIFY2(m_ws.ingestCsv(QStringLiteral("t"), QStringLiteral("v1"), "id,label,x\na,p,1\nb,q,2\n", &error), qPrintable(error));
        m_fifo = m_ws.filePath(QStringLiteral("pipe"));
        QCOMPARE(::mkfifo(QFile::encodeName(m_fifo).constData(), 0600), 0);
        QVERIFY(test::writeFile(m_ws.filePath(QStringLiteral("pass")), "correct horse battery staple\n"));
    }

    void refusedAtOnce_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        const QString ws = m_ws.path(), fifo = m_ws.filePath(QStringLiteral("pipe"));
        QTest::newRow("ingest a FIFO") << QStringList{QStringLiteral("ingest"), QStringLiteral("-w"), ws, QStringLiteral("--dataset"), QStringLiteral("f"),
                                                      QStringLiteral("--version"), QStringLiteral("v1"), QStringLiteral("--format"), QStringLiteral("csv"), fifo}
                                       << QStringLiteral("FIFO");
        QTest::newRow("ingest /dev/zero") << QStringList{QStringLiteral("ingest"), QStringLiteral("-w"), ws, QStringLiteral("--dataset"), QStringLiteral("f"),
                                                         QStringLiteral("--version"), QStringLiteral("v1"), QStringLiteral("--format"), QStringLiteral("csv"),
                                                         QStringLiteral("/dev/zero")}
                                          << QStringLiteral("device");
        QTest::newRow("passphrase from a FIFO") << QStringList{QStringLiteral("key"), QStringLiteral("create"), QStringLiteral("k"), QStringLiteral("--passphrase-file"), fifo}
                                                << QStringLiteral("FIFO");
        QTest::newRow("checkpoint note from a FIFO") << QStringList{QStringLiteral("verify"), QStringLiteral("-w"), ws, QStringLiteral("--checkpoint"), fifo}
                                                     << QStringLiteral("FIFO");
        QTest::newRow("checkpoint note from /dev/zero") << QStringList{QStringLiteral("verify"), QStringLiteral("-w"), ws, QStringLiteral("--checkpoint"), QStringLiteral("/dev/zero")}
                                                        << QStringLiteral("device");
        QTest::newRow("principal key from a FIFO") << QStringList{QStringLiteral("principal"), QStringLiteral("add"), QStringLiteral("-w"), ws, QStringLiteral("--as"),
                                                                  QStringLiteral("nobody"), QStringLiteral("bob"), fifo, QStringLiteral("--roles"), QStringLiteral("curator")}
                                                   << QStringLiteral("FIFO");
    }

    void refusedAtOnce()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        QElapsedTimer clock;
        clock.start();
        const Run r = run(args);
        QVERIFY2(r.finished, "custody-cli waited on a special file");
        QVERIFY(clock.elapsed() < 10000);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(QString::fromUtf8(r.err).contains(expected), r.err.constData());
    }

    // The remembered checkpoints of the workspace's location replaced by a FIFO, then by a link to /dev/zero:
    // commands still open the workspace promptly.
    void rememberedCheckpointThatIsNotAFileIsNotWaitedOn()
    {
        const QString dir = m_ws.filePath(QStringLiteral("config/custody/checkpoints"));
        const QStringList remembered = QDir(dir).entryList({QStringLiteral("location-*.json")}, QDir::Files);
        QCOMPARE(remembered.size(), 1);
        const QString file = dir + QLatin1Char('/') + remembered.first();
        for (bool fifo : {true, false}) {
            QVERIFY(QFile::remove(file));
            if (fifo)
                QCOMPARE(::mkfifo(QFile::encodeName(file).constData(), 0600), 0);
            else
                QVERIFY(QFile::link(QStringLiteral("/dev/zero"), file));
            const Run r = run(m_ws.args(QStringLiteral("versions")));
            QVERIFY2(r.finished, fifo ? "waited on a FIFO" : "read /dev/zero");
            QCOMPARE(r.exitCode, 0);
            // The protection it gave is gone: the person is told, not left to assume it.
            QVERIFY2(r.err.contains("the checkpoint remembered for this folder") && r.err.contains(fifo ? "FIFO" : "device"), r.err.constData());
        }
        QVERIFY(QFile::remove(file));
        QVERIFY(test::writeFile(file, "{\"location\": 3"));
        const Run malformed = run(m_ws.args(QStringLiteral("versions")));
        QVERIFY2(malformed.err.contains("not valid JSON"), malformed.err.constData());
        QVERIFY(QFile::remove(file));
    }

    // Another workspace put where a known one was (moved over it): said at the next open, not accepted in silence.
    void anotherWorkspacePutInPlaceIsNamed()
    {
        test::CliWorkspace original, other;
        QString error;
        QVERIFY2(original.init(&error) && other.init(&error), qPrintable(error));
        QCOMPARE(original.run(original.args(QStringLiteral("versions"))).exitCode, 0); // seen at its location
        QVERIFY(QDir(original.path()).removeRecursively());
        QVERIFY(QDir().rename(other.path(), original.path()));
        const auto r = original.run(original.args(QStringLiteral("verify")));
        QVERIFY2(r.err.contains("this folder held another workspace"), r.err.constData());
        // Once seen, the new one is what this folder holds: no note the next time.
        QVERIFY(!original.run(original.args(QStringLiteral("versions"))).err.contains("held another workspace"));
    }
};

QTEST_GUILESS_MAIN(TestSpecialFiles)
#include "TestSpecialFiles.moc"
