#include "CliWorkspace.h"

#include "storage/Database.h"
#include "storage/Workspace.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <memory>
#include <vector>

using namespace custody;

namespace {

QByteArray records(int count)
{
    QByteArray csv = "id,label,x\n";
    for (int i = 0; i < count; ++i)
        csv += "r" + QByteArray::number(i) + (i % 2 ? ",cat," : ",dog,") + QByteArray::number(i) + "\n";
    return csv;
}

// Another writer: holds the workspace's write lock, as a long signed step or an ingest does, until released.
class LockHolder
{
public:
    bool take(const QString &workspace, QString *error)
    {
        return m_db.open(Workspace::databasePath(workspace), Database::Mode::ReadWrite, error) && m_tx.begin(error);
    }
    void release() { m_tx.rollback(); }

private:
    Database m_db;
    Transaction m_tx{m_db};
};

struct Started
{
    std::unique_ptr<QProcess> process;
    QByteArray out, err;
};

Started start(const test::CliWorkspace &ws, const QStringList &args)
{
    Started s{std::make_unique<QProcess>(), {}, {}};
    s.process->setProcessEnvironment(ws.environment());
    s.process->setStandardInputFile(QProcess::nullDevice());
    s.process->start(test::cliPath(), args);
    return s;
}

bool finish(Started *s)
{
    const bool done = s->process->state() == QProcess::NotRunning || s->process->waitForFinished(180000);
    s->out = s->process->readAllStandardOutput();
    s->err = s->process->readAllStandardError();
    return done && s->process->exitStatus() == QProcess::NormalExit;
}

int eventsOfType(const test::CliWorkspace &ws, const QString &type)
{
    const auto log = ws.run(ws.args(QStringLiteral("log"), {QStringLiteral("--json")}));
    int n = 0;
    for (const QJsonValue &e : QJsonDocument::fromJson(log.out).object().value(QStringLiteral("events")).toArray())
        n += e.toObject().value(QStringLiteral("type")).toString() == type;
    return n;
}

} // namespace

// Several custody-cli processes writing one workspace at once (issue 11, "Messages and concurrency"): each
// writer waits its turn for the write lock instead of failing with "database is locked", and the loser of a
// race for one label is told that the version exists.
class TestConcurrentWriters : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void eightSignedDecisionsAtOnceAllLand()
    {
        test::CliWorkspace ws;
        QString error;
        QVERIFY2(ws.initSigned(&error), qPrintable(error));
        QVERIFY2(ws.ingestCsv(QStringLiteral("t"), QStringLiteral("v1"), records(2000), &error, QStringLiteral("cora")), qPrintable(error));
        const int before = eventsOfType(ws, QStringLiteral("decision.made"));

        // Another writer holds the lock longer than the old 5 s busy timeout while all eight start, load their
        // keys and queue for it; then they go one after the other.
        LockHolder other;
        QVERIFY2(other.take(ws.path(), &error), qPrintable(error));
        std::vector<Started> decides;
        for (int i = 0; i < 8; ++i)
            decides.push_back(start(ws, ws.signedArgs(QStringLiteral("cora"), QStringLiteral("decide"),
                                                      {QStringLiteral("t@v1"), QStringLiteral("r%1").arg(i), QStringLiteral("exclude")})));
        QTest::qWait(12000);
        other.release();
        for (Started &d : decides) {
            QVERIFY(finish(&d));
            QVERIFY2(d.process->exitCode() == 0, d.err.constData());
        }
        QCOMPARE(eventsOfType(ws, QStringLiteral("decision.made")), before + 8);
        const auto verify = ws.run(ws.args(QStringLiteral("verify")));
        QVERIFY2(verify.exitCode == 0, verify.out.constData());
    }

    void twoIngestsOfOneLabel()
    {
        test::CliWorkspace ws;
        QString error;
        QVERIFY2(ws.init(&error), qPrintable(error));
        QVERIFY(test::writeFile(ws.filePath(QStringLiteral("a.csv")), records(500)));
        // Both pass the early "does it exist" check, then wait for the lock another writer holds; the second to
        // get it finds the first's version committed.
        LockHolder other;
        QVERIFY2(other.take(ws.path(), &error), qPrintable(error));
        std::vector<Started> ingests;
        for (int i = 0; i < 2; ++i)
            ingests.push_back(start(ws, ws.args(QStringLiteral("ingest"),
                                                {QStringLiteral("--dataset"), QStringLiteral("t"), QStringLiteral("--version"), QStringLiteral("v1"),
                                                 QStringLiteral("--id-column"), QStringLiteral("id"), ws.filePath(QStringLiteral("a.csv"))})));
        QTest::qWait(2500);
        other.release();
        QList<int> codes;
        QByteArray errors;
        for (Started &s : ingests) {
            QVERIFY(finish(&s));
            codes << s.process->exitCode();
            errors += s.err;
        }
        std::sort(codes.begin(), codes.end());
        QCOMPARE(codes, (QList<int>{0, 2}));
        QVERIFY2(errors.contains("t@v1 already exists; versions are immutable, choose a new label"), errors.constData());
        QVERIFY2(!errors.contains("UNIQUE"), errors.constData());
        // The loser stored nothing: no temporary file, no object that no version references.
        QVERIFY(test::objectFiles(ws.path()).filter(QStringLiteral("tmp/")).isEmpty());
        const auto verify = ws.run(ws.args(QStringLiteral("verify")));
        QVERIFY2(verify.exitCode == 0 && !verify.out.contains("not referenced"), verify.out.constData());
    }
};

QTEST_GUILESS_MAIN(TestConcurrentWriters)
#include "TestConcurrentWriters.moc"
