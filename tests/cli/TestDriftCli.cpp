#include "TestSupport.h"
#include "WorkspaceFixture.h"
#include "sampling/SplitMix64.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace custody;
using test::runCli;

namespace {

QList<test::CsvRecord> records(int count, double shift, uint64_t seed, int firstNumber)
{
    SplitMix64 rng(seed);
    QList<test::CsvRecord> out;
    for (int i = 0; i < count; ++i) {
        test::CsvRecord r;
        r.id = QStringLiteral("r%1").arg(firstNumber + i);
        r.label = QStringList{QStringLiteral("cat"), QStringLiteral("dog")}[i % 2];
        r.x = double(rng.uniform24()) + shift;
        r.y = double(rng.uniform24()) + shift;
        r.colour = rng.below(2) ? QStringLiteral("red") : QStringLiteral("blue");
        out.append(r);
    }
    return out;
}

QJsonArray events(const QString &ws)
{
    const auto log = runCli({QStringLiteral("log"), QStringLiteral("-w"), ws, QStringLiteral("--json")});
    return QJsonDocument::fromJson(log.out).object().value(QStringLiteral("events")).toArray();
}

} // namespace

// The drift command as a pipeline uses it: the gate, the JSON keys, the ledger event, the signed workspace.
class TestDriftCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;

private Q_SLOTS:
    void initTestCase()
    {
        qputenv("XDG_DATA_HOME", m_tmp.filePath(QStringLiteral("data")).toLocal8Bit());
        qputenv("XDG_CONFIG_HOME", m_tmp.filePath(QStringLiteral("config")).toLocal8Bit());
    }

    // One image of another size makes the column one of varying size: named as not tested, not counted as
    // missing values, and a gate cannot pass on it (campaign 9).
    void imagesOfVaryingSizeAreNamedNotMissing()
    {
        const QString ws = m_tmp.filePath(QStringLiteral("images"));
        QCOMPARE(test::runCli({QStringLiteral("init"), ws}).exitCode, 0);
        for (const QString &v : {QStringLiteral("v1"), QStringLiteral("v2")}) {
            const QString dir = m_tmp.filePath(QStringLiteral("img-") + v);
            for (int i = 0; i < 30; ++i)
                QVERIFY(test::writePng(QStringLiteral("%1/%2/i%3.png").arg(dir, i % 2 ? QStringLiteral("a") : QStringLiteral("b")).arg(i),
                                       v == QLatin1String("v2") && i == 0 ? 9 : 8, 8, i));
            const auto in = test::runCli({QStringLiteral("ingest"), QStringLiteral("-w"), ws, QStringLiteral("--dataset"), QStringLiteral("i"),
                                          QStringLiteral("--version"), v, QStringLiteral("--format"), QStringLiteral("images"), dir});
            QVERIFY2(in.exitCode == 0, in.err.constData());
            QCOMPARE(in.err.contains("column 'image' holds images of varying size"), v == QLatin1String("v2"));
        }
        const auto r = test::runCli({QStringLiteral("drift"), QStringLiteral("-w"), ws, QStringLiteral("i@v1"), QStringLiteral("i@v2"),
                                     QStringLiteral("--json"), QStringLiteral("--no-record"), QStringLiteral("--fail-on-drift")});
        QCOMPARE(r.exitCode, 4);
        const QJsonObject j = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(j.value(QStringLiteral("untested_columns")).toArray().first().toString(), QStringLiteral("image: kind or geometry changed"));
        const QJsonArray columns = j.value(QStringLiteral("integrity")).toObject().value(QStringLiteral("columns")).toArray();
        QVERIFY(!columns.isEmpty());
        QCOMPARE(columns.first().toObject().value(QStringLiteral("missing")).toArray().at(1).toInt(), 0);
    }

    void gateJsonAndScanEvent()
    {
        test::WorkspaceFixture fx;
        QVERIFY2(fx.isValid(), qPrintable(fx.error()));
        QVERIFY(fx.ingestCsv(QStringLiteral("t"), QStringLiteral("v1"), records(400, 0, 1, 0)) > 0);
        QVERIFY(fx.ingestCsv(QStringLiteral("t"), QStringLiteral("v2"), records(400, 0, 2, 1000), QStringLiteral("v1")) > 0);
        QVERIFY(fx.ingestCsv(QStringLiteral("t"), QStringLiteral("v3"), records(400, 0.3, 3, 2000), QStringLiteral("v2")) > 0);
        fx.release();
        const QString ws = fx.path();
        const int before = int(events(ws).size());

        const auto same = runCli({QStringLiteral("drift"), QStringLiteral("-w"), ws, QStringLiteral("t@v1"), QStringLiteral("t@v2"),
                                  QStringLiteral("--fail-on-drift"), QStringLiteral("--json")});
        QVERIFY2(same.exitCode == 0, same.err.constData());
        const QJsonObject j = QJsonDocument::fromJson(same.out).object();
        for (const char *key : {"features", "labels", "dataset_drift", "drift_share", "integrity", "result_digest"})
            QVERIFY2(j.contains(QLatin1String(key)), key);
        QVERIFY(!j.contains(QStringLiteral("by_class")));
        QCOMPARE(j.value(QStringLiteral("dataset_drift")).toBool(), false);
        for (const QJsonValue &f : j.value(QStringLiteral("features")).toArray())
            for (const char *key : {"name", "test", "statistic", "p_value", "p_adjusted", "psi", "drifted"})
                QVERIFY2(f.toObject().contains(QLatin1String(key)), key);

        const auto drifted = runCli({QStringLiteral("drift"), QStringLiteral("-w"), ws, QStringLiteral("t@v1"), QStringLiteral("t@v3"),
                                     QStringLiteral("--fail-on-drift"), QStringLiteral("--json"), QStringLiteral("--by-class")});
        QCOMPARE(drifted.exitCode, 3);
        const QJsonObject d = QJsonDocument::fromJson(drifted.out).object();
        QCOMPARE(d.value(QStringLiteral("dataset_drift")).toBool(), true);
        QVERIFY(d.value(QStringLiteral("drift_share")).toDouble() >= 0.5);
        const QJsonArray cells = d.value(QStringLiteral("by_class")).toArray();
        QCOMPARE(cells.size(), 6); // x, y, colour for cat and dog
        for (const char *key : {"feature", "label", "statistic", "p_adjusted", "effect"})
            QVERIFY2(cells.first().toObject().contains(QLatin1String(key)), key);
        // Without the gate a drifted batch is not an error; the human table names the verdict.
        const auto human = runCli({QStringLiteral("drift"), QStringLiteral("-w"), ws, QStringLiteral("t@v1"), QStringLiteral("t@v3")});
        QCOMPARE(human.exitCode, 0);
        QVERIFY2(human.out.contains("DATASET DRIFT") && human.out.contains("Recorded as ledger event"), human.out.constData());
        QVERIFY(human.out.indexOf("x ") < human.out.indexOf("colour")); // drifted numbers before the stable category

        // Each recorded run is a scan.recorded event that commits to the result.
        const QJsonArray log = events(ws);
        QCOMPARE(int(log.size()), before + 3);
        const QJsonObject last = log.last().toObject();
        QCOMPARE(last.value(QStringLiteral("type")).toString(), QStringLiteral("scan.recorded"));
        const QJsonObject body = last.value(QStringLiteral("body")).toObject();
        QCOMPARE(body.value(QStringLiteral("kind")).toString(), QStringLiteral("drift"));
        QCOMPARE(body.value(QStringLiteral("version")).toString(), QStringLiteral("t@v3"));
        QCOMPARE(body.value(QStringLiteral("baseline")).toString(), QStringLiteral("t@v1"));
        QVERIFY(body.value(QStringLiteral("config")).toObject().contains(QStringLiteral("alpha")));
        // --no-record leaves the ledger alone; the same run gives the same result digest as the recorded one.
        const auto noRecord = runCli({QStringLiteral("drift"), QStringLiteral("-w"), ws, QStringLiteral("t@v1"), QStringLiteral("t@v3"),
                                      QStringLiteral("--no-record"), QStringLiteral("--json")});
        QCOMPARE(noRecord.exitCode, 0);
        QCOMPARE(int(events(ws).size()), before + 3);
        const QString digest = QJsonDocument::fromJson(noRecord.out).object().value(QStringLiteral("result_digest")).toString();
        QCOMPARE(digest.size(), 64);
        QCOMPARE(body.value(QStringLiteral("result_digest")).toString(), digest);

        const auto bad = runCli({QStringLiteral("drift"), QStringLiteral("-w"), ws, QStringLiteral("t@v1")});
        QCOMPARE(bad.exitCode, 2);
        const auto missing = runCli({QStringLiteral("drift"), QStringLiteral("-w"), ws, QStringLiteral("t@v1"), QStringLiteral("t@v9")});
        QCOMPARE(missing.exitCode, 2);
        const auto unbounded = runCli({QStringLiteral("drift"), QStringLiteral("-w"), ws, QStringLiteral("t@v1"), QStringLiteral("t@v3"),
                                       QStringLiteral("--permutations"), QStringLiteral("10000001")});
        QCOMPARE(unbounded.exitCode, 2);
        QVERIFY2(unbounded.err.contains("--permutations '10000001': needs a count from 0 to 10000"), unbounded.err);
    }

    void signedWorkspaceNeedsACurator()
    {
        const QString ws = m_tmp.filePath(QStringLiteral("signed"));
        const auto pass = [&](const QString &who) { return m_tmp.filePath(who + QStringLiteral(".pass")); };
        for (const QString &who : {QStringLiteral("admin"), QStringLiteral("cora"), QStringLiteral("ada")}) {
            QVERIFY(test::writeFile(pass(who), "drift test " + who.toLatin1() + "\n"));
            QCOMPARE(runCli({QStringLiteral("key"), QStringLiteral("create"), who, QStringLiteral("--passphrase-file"), pass(who)}).exitCode, 0);
            QVERIFY(test::writeFile(m_tmp.filePath(who + QStringLiteral(".pub")),
                                    runCli({QStringLiteral("key"), QStringLiteral("export-public"), who}).out));
        }
        const auto as = [&](const QString &who, QStringList args) {
            return runCli(args + QStringList{QStringLiteral("--as"), who, QStringLiteral("--passphrase-file"), pass(who)});
        };
        QCOMPARE(runCli({QStringLiteral("init"), ws, QStringLiteral("--admin"), QStringLiteral("admin"), QStringLiteral("--passphrase-file"),
                         pass(QStringLiteral("admin"))}).exitCode, 0);
        for (const auto &[who, role] : {std::pair{QStringLiteral("cora"), QStringLiteral("curator")}, std::pair{QStringLiteral("ada"), QStringLiteral("approver")}})
            QCOMPARE(as(QStringLiteral("admin"), {QStringLiteral("principal"), QStringLiteral("add"), QStringLiteral("-w"), ws, who,
                                                  m_tmp.filePath(who + QStringLiteral(".pub")), QStringLiteral("--roles"), role}).exitCode, 0);
        for (const auto &[label, seed, shift] : {std::tuple{QStringLiteral("v1"), 1, 0.0}, std::tuple{QStringLiteral("v2"), 2, 0.3}}) {
            const QString csv = m_tmp.filePath(label + QStringLiteral(".csv"));
            QVERIFY(test::writeCsv(csv, records(200, shift, uint64_t(seed), seed * 1000)));
            const auto r = as(QStringLiteral("cora"), {QStringLiteral("ingest"), QStringLiteral("-w"), ws, QStringLiteral("--dataset"), QStringLiteral("t"),
                                                      QStringLiteral("--version"), label, QStringLiteral("--id-column"), QStringLiteral("id"),
                                                      QStringLiteral("--label-column"), QStringLiteral("label"), csv});
            QVERIFY2(r.exitCode == 0, r.err.constData());
        }
        const QStringList drift{QStringLiteral("drift"), QStringLiteral("-w"), ws, QStringLiteral("t@v1"), QStringLiteral("t@v2")};
        const auto unsignedRun = runCli(drift);
        QCOMPARE(unsignedRun.exitCode, 2);
        QVERIFY2(unsignedRun.err.contains("--as KEY"), unsignedRun.err.constData());
        QCOMPARE(runCli(drift + QStringList{QStringLiteral("--no-record")}).exitCode, 0);
        const auto approver = as(QStringLiteral("ada"), drift);
        QCOMPARE(approver.exitCode, 1); // the policy: scans need the curator role
        QVERIFY2(approver.err.contains("role"), approver.err.constData());
        const auto curator = as(QStringLiteral("cora"), drift + QStringList{QStringLiteral("--fail-on-drift")});
        QCOMPARE(curator.exitCode, 3);
        const QJsonObject last = events(ws).last().toObject();
        QCOMPARE(last.value(QStringLiteral("type")).toString(), QStringLiteral("scan.recorded"));
        QCOMPARE(last.value(QStringLiteral("actor_name")).toString(), QStringLiteral("cora"));
        QCOMPARE(runCli({QStringLiteral("verify"), QStringLiteral("-w"), ws}).exitCode, 0);
    }
};

QTEST_GUILESS_MAIN(TestDriftCli)
#include "TestDriftCli.moc"
