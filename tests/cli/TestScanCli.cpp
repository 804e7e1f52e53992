// custody-cli scan and findings, run as a pipeline would, on a real workspace with planted poison.
#include "PlantedPoison.h"
#include "TestSupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QRegularExpression>
#include <QTest>

using namespace custody;
using namespace custody::test;

namespace {

QJsonArray events(const QString &ws)
{
    return QJsonDocument::fromJson(runCli({QStringLiteral("log"), QStringLiteral("-w"), ws, QStringLiteral("--json")}).out)
        .object().value(QStringLiteral("events")).toArray();
}

} // namespace

class TestScanCli : public QObject
{
    Q_OBJECT

    QTemporaryDir m_tmp;
    PlantedPoison m_planted = PlantedPoison::make(5);

    // Ingests `set` as IDX files into `ws` as t@label (parent v1 unless it is v1), with `extra` options (--as ...).
    bool ingestVersion(const QString &ws, const QString &label, const ImageSet &set, const QStringList &extra = {})
    {
        const QString images = m_tmp.filePath(label + QStringLiteral("-images.gz")), labels = m_tmp.filePath(label + QStringLiteral("-labels.gz"));
        QString error;
        if (!writeIdxImageSet(set, images, labels, &error))
            return false;
        QStringList args{QStringLiteral("ingest"), QStringLiteral("-w"), ws, QStringLiteral("--dataset"), QStringLiteral("t"),
                         QStringLiteral("--version"), label, images, labels};
        if (label != QLatin1String("v1"))
            args << QStringLiteral("--parent") << QStringLiteral("v1");
        const auto r = runCli(args + extra);
        if (r.exitCode != 0)
            qWarning("%s", r.err.constData());
        return r.exitCode == 0;
    }
    bool ingestBoth(const QString &ws, const QStringList &extra = {})
    {
        return ingestVersion(ws, QStringLiteral("v1"), m_planted.baseline, extra)
               && ingestVersion(ws, QStringLiteral("v2"), m_planted.batch, extra);
    }

private Q_SLOTS:
    void initTestCase()
    {
        // Keys and remembered checkpoints of this test only.
        qputenv("XDG_DATA_HOME", m_tmp.filePath(QStringLiteral("data")).toLocal8Bit());
        qputenv("XDG_CONFIG_HOME", m_tmp.filePath(QStringLiteral("config")).toLocal8Bit());
    }

    void scanPrintsFindingsAndRecordsTheScan()
    {
        const QString ws = m_tmp.filePath(QStringLiteral("ws"));
        QCOMPARE(runCli({QStringLiteral("init"), ws}).exitCode, 0);
        QVERIFY(ingestBoth(ws));
        const int before = int(events(ws).size());
        // The baseline defaults to the parent.
        const auto r = runCli({QStringLiteral("scan"), QStringLiteral("-w"), ws, QStringLiteral("t@v2"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 1); // findings are problems found
        const QJsonObject json = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(json.value(QStringLiteral("baseline")).toString(), QStringLiteral("t@v1"));
        const QJsonArray findings = json.value(QStringLiteral("findings")).toArray();
        QVERIFY(!findings.isEmpty());
        QSet<QString> detectors;
        QSet<QString> relabelled;
        for (const QJsonValue &v : findings) {
            const QJsonObject f = v.toObject();
            for (const char *key : {"record", "detector", "score", "threshold", "reason"})
                QVERIFY2(f.contains(QLatin1String(key)), key);
            QVERIFY(!f.value(QStringLiteral("reason")).toString().isEmpty());
            detectors.insert(f.value(QStringLiteral("detector")).toString());
            if (f.value(QStringLiteral("detector")).toString() == QLatin1String("delta"))
                relabelled.insert(f.value(QStringLiteral("record")).toString());
        }
        QCOMPARE(int(relabelled.size()), PlantedPoison::kRelabelled);
        for (const QString &id : relabelled)
            QCOMPARE(m_planted.kindOf.value(id), QStringLiteral("relabelled"));
        QVERIFY(detectors.contains(QStringLiteral("duplicates")));
        QVERIFY(detectors.contains(QStringLiteral("trigger")));
        const QJsonArray summary = json.value(QStringLiteral("summary")).toArray();
        QCOMPARE(summary.size(), 8);
        const QJsonArray masks = json.value(QStringLiteral("trigger_masks")).toArray();
        QCOMPARE(masks.size(), 1);
        QVERIFY(masks.first().toObject().value(QStringLiteral("description")).toString().contains(QStringLiteral("patch at rows 11-13")));

        // Recorded: one scan.recorded event naming the result digest, and verify still passes.
        const QJsonArray after = events(ws);
        QCOMPARE(int(after.size()), before + 1);
        const QJsonObject event = after.last().toObject();
        QCOMPARE(event.value(QStringLiteral("type")).toString(), QStringLiteral("scan.recorded"));
        QVERIFY(QJsonDocument(event).toJson().contains(json.value(QStringLiteral("result_digest")).toString().toLatin1()));
        QCOMPARE(runCli({QStringLiteral("verify"), QStringLiteral("-w"), ws}).exitCode, 0);

        // findings reads the recorded scan back, filtered.
        const auto all = runCli({QStringLiteral("findings"), QStringLiteral("-w"), ws, QStringLiteral("t@v2"), QStringLiteral("--json")});
        QCOMPARE(all.exitCode, 0);
        const QJsonObject back = QJsonDocument::fromJson(all.out).object();
        QCOMPARE(back.value(QStringLiteral("result_digest")).toString(), json.value(QStringLiteral("result_digest")).toString());
        QCOMPARE(back.value(QStringLiteral("findings")).toArray().size(), findings.size());
        const auto delta = runCli({QStringLiteral("findings"), QStringLiteral("-w"), ws, QStringLiteral("t@v2"), QStringLiteral("--json"),
                                   QStringLiteral("--detector"), QStringLiteral("delta")});
        const QJsonArray deltaFindings = QJsonDocument::fromJson(delta.out).object().value(QStringLiteral("findings")).toArray();
        QCOMPARE(deltaFindings.size(), PlantedPoison::kRelabelled);
        for (const QJsonValue &v : deltaFindings)
            QCOMPARE(v.toObject().value(QStringLiteral("detector")).toString(), QStringLiteral("delta"));
        const auto strong = runCli({QStringLiteral("findings"), QStringLiteral("-w"), ws, QStringLiteral("t@v2"), QStringLiteral("--json"),
                                    QStringLiteral("--min-score"), QStringLiteral("6")});
        const QJsonArray strongFindings = QJsonDocument::fromJson(strong.out).object().value(QStringLiteral("findings")).toArray();
        QVERIFY(strongFindings.size() < findings.size());
        for (const QJsonValue &v : strongFindings)
            QVERIFY(v.toObject().value(QStringLiteral("suspicion")).toDouble() >= 6);
        const auto human = runCli({QStringLiteral("findings"), QStringLiteral("-w"), ws, QStringLiteral("t@v2")});
        QVERIFY(human.out.contains("undecided"));

        // A later ingest keeps the scan's objects (they are registered, not orphans).
        QVERIFY(ingestVersion(ws, QStringLiteral("v3"), m_planted.baseline));
        QCOMPARE(runCli({QStringLiteral("findings"), QStringLiteral("-w"), ws, QStringLiteral("t@v2")}).exitCode, 0);
        QCOMPARE(runCli({QStringLiteral("verify"), QStringLiteral("-w"), ws}).exitCode, 0);

        // One changed byte in the stored findings document: findings refuses it, verify names the object.
        const QString digest = json.value(QStringLiteral("result_digest")).toString();
        QFile object(ws + QStringLiteral("/objects/") + digest.left(2) + QLatin1Char('/') + digest.mid(2));
        QVERIFY2(object.exists(), qPrintable(object.fileName()));
        object.setPermissions(object.permissions() | QFileDevice::WriteOwner);
        QVERIFY(object.open(QIODevice::ReadWrite));
        QByteArray bytes = object.readAll();
        bytes[bytes.size() / 2] = bytes[bytes.size() / 2] == 'a' ? 'b' : 'a';
        object.seek(0);
        object.write(bytes);
        object.close();
        const auto damaged = runCli({QStringLiteral("findings"), QStringLiteral("-w"), ws, QStringLiteral("t@v2")});
        QCOMPARE(damaged.exitCode, 2);
        QVERIFY2(damaged.err.contains("does not match its hash"), damaged.err.constData());
        const auto verify = runCli({QStringLiteral("verify"), QStringLiteral("-w"), ws});
        QCOMPARE(verify.exitCode, 1);
        QVERIFY2(verify.out.contains(digest.left(12).toLatin1()), verify.out.constData());
    }

    // Names from the data holding "%1", "%2" or "%8" are printed as they are: a table row built by chained arg()
    // calls filled them in with the next column's value (campaign 10).
    void percentSignsInNamesArePrintedAsThey()
    {
        const QString ws = m_tmp.filePath(QStringLiteral("percent"));
        QCOMPARE(runCli({QStringLiteral("init"), ws}).exitCode, 0);
        for (const QString &v : {QStringLiteral("v1"), QStringLiteral("v2")}) {
            QByteArray csv = "id,label,%8,y\n";
            for (int i = 0; i < 300; ++i)
                csv += "%2x" + QByteArray::number(i) + (i % 2 ? ",%1," : ",b,") + QByteArray::number(v == QLatin1String("v2") ? i * 0.01 + 5 : i * 0.01)
                    + ',' + QByteArray::number(i % 7) + '\n';
            const QString file = m_tmp.filePath(QStringLiteral("percent-%1.csv").arg(v));
            QVERIFY(writeFile(file, csv));
            QCOMPARE(runCli({QStringLiteral("ingest"), QStringLiteral("-w"), ws, QStringLiteral("--dataset"), QStringLiteral("p"),
                             QStringLiteral("--version"), v, QStringLiteral("--id-column"), QStringLiteral("id"), QStringLiteral("--label-column"),
                             QStringLiteral("label"), file}).exitCode, 0);
        }
        const auto drift = runCli({QStringLiteral("drift"), QStringLiteral("-w"), ws, QStringLiteral("p@v1"), QStringLiteral("p@v2"),
                                   QStringLiteral("--no-record"), QStringLiteral("--by-class")});
        QVERIFY2(drift.out.contains("\n  %8 "), drift.out.constData());
        QVERIFY2(drift.out.contains("label %1"), drift.out.constData());
        const auto scan = runCli({QStringLiteral("scan"), QStringLiteral("-w"), ws, QStringLiteral("p@v2")});
        QVERIFY2(scan.exitCode == 0 || scan.exitCode == 1, scan.err.constData());
        QVERIFY2(!scan.out.contains("Most suspicious first") || QRegularExpression(QStringLiteral("\n  %2x\\d+ +score")).match(QString::fromUtf8(scan.out)).hasMatch(),
                 scan.out.constData());
        const auto findings = runCli({QStringLiteral("findings"), QStringLiteral("-w"), ws, QStringLiteral("p@v2")});
        for (const QByteArray &line : findings.out.split('\n'))
            if (!line.startsWith(' ') && line.contains(" score "))
                QVERIFY2(line.startsWith("%2x"), line.constData());
    }

    // One record: nothing varies, so the plot's PCA has no component; the scan runs (campaign 11: SIGSEGV).
    void aVersionOfOneRecordScans()
    {
        const QString ws = m_tmp.filePath(QStringLiteral("one"));
        QCOMPARE(runCli({QStringLiteral("init"), ws}).exitCode, 0);
        const QString file = m_tmp.filePath(QStringLiteral("one.csv"));
        QVERIFY(writeFile(file, "id,x\na,1.5\n"));
        QCOMPARE(runCli({QStringLiteral("ingest"), QStringLiteral("-w"), ws, QStringLiteral("--dataset"), QStringLiteral("n"),
                         QStringLiteral("--version"), QStringLiteral("v1"), QStringLiteral("--id-column"), QStringLiteral("id"), file}).exitCode, 0);
        const auto scan = runCli({QStringLiteral("scan"), QStringLiteral("-w"), ws, QStringLiteral("n@v1"), QStringLiteral("--no-baseline")});
        QVERIFY2(scan.exitCode == 0, scan.err.constData());
        QVERIFY(scan.out.startsWith("Scan of n@v1 (no baseline): 0 records flagged"));
    }

    void badRequestsAreNamed()
    {
        const QString ws = m_tmp.filePath(QStringLiteral("bad"));
        QCOMPARE(runCli({QStringLiteral("init"), ws}).exitCode, 0);
        QVERIFY(ingestBoth(ws));
        const auto unknown = runCli({QStringLiteral("scan"), QStringLiteral("-w"), ws, QStringLiteral("t@v2"), QStringLiteral("--detectors"), QStringLiteral("spectral,magic")});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY2(unknown.err.contains("unknown detector 'magic'"), unknown.err.constData());
        const auto noDetector = runCli({QStringLiteral("scan"), QStringLiteral("-w"), ws, QStringLiteral("t@v2"), QStringLiteral("--detectors"), QStringLiteral(",,")});
        QCOMPARE(noDetector.exitCode, 2);
        QVERIFY2(noDetector.err.contains("--detectors needs at least one detector"), noDetector.err.constData());
        const auto missing = runCli({QStringLiteral("scan"), QStringLiteral("-w"), ws, QStringLiteral("t@v9")});
        QCOMPARE(missing.exitCode, 2);
        // A version is no baseline of itself, nor of its parent: either would record a clean scan of anything.
        const int eventsBefore = int(events(ws).size());
        const auto itself = runCli({QStringLiteral("scan"), QStringLiteral("-w"), ws, QStringLiteral("t@v2"), QStringLiteral("--baseline"), QStringLiteral("t@v2")});
        QCOMPARE(itself.exitCode, 2);
        QVERIFY2(itself.err.contains("cannot be its own baseline"), itself.err.constData());
        const auto child = runCli({QStringLiteral("scan"), QStringLiteral("-w"), ws, QStringLiteral("t@v1"), QStringLiteral("--baseline"), QStringLiteral("t@v2")});
        QCOMPARE(child.exitCode, 2);
        QVERIFY2(child.err.contains("t@v2 is derived from t@v1"), child.err.constData());
        QCOMPARE(int(events(ws).size()), eventsBefore);
        const auto none = runCli({QStringLiteral("findings"), QStringLiteral("-w"), ws, QStringLiteral("t@v2")});
        QCOMPARE(none.exitCode, 2);
        QVERIFY2(none.err.contains("no recorded detector scan"), none.err.constData());
        // --no-record changes nothing in the ledger; a subset of detectors runs only those.
        const int before = int(events(ws).size());
        const auto subset = runCli({QStringLiteral("scan"), QStringLiteral("-w"), ws, QStringLiteral("t@v2"), QStringLiteral("--no-record"),
                                    QStringLiteral("--json"), QStringLiteral("--detectors"), QStringLiteral("delta,duplicates")});
        QCOMPARE(subset.exitCode, 1);
        QCOMPARE(int(events(ws).size()), before);
        QCOMPARE(QJsonDocument::fromJson(subset.out).object().value(QStringLiteral("summary")).toArray().size(), 2);
        // A first version scans alone.
        const auto first = runCli({QStringLiteral("scan"), QStringLiteral("-w"), ws, QStringLiteral("t@v1"), QStringLiteral("--no-record"), QStringLiteral("--json")});
        QVERIFY(first.exitCode == 0 || first.exitCode == 1);
        QVERIFY(QJsonDocument::fromJson(first.out).object().value(QStringLiteral("baseline")).isNull());
    }

    void signedWorkspaceNeedsACurator()
    {
        const QString ws = m_tmp.filePath(QStringLiteral("signed"));
        const auto pass = [&](const QString &who) { return m_tmp.filePath(who + QStringLiteral(".pass")); };
        for (const QString &who : {QStringLiteral("scanadmin"), QStringLiteral("scancora"), QStringLiteral("scanada")}) {
            QVERIFY(writeFile(pass(who), "scan test " + who.toLatin1() + "\n"));
            QCOMPARE(runCli({QStringLiteral("key"), QStringLiteral("create"), who, QStringLiteral("--passphrase-file"), pass(who)}).exitCode, 0);
            QVERIFY(writeFile(m_tmp.filePath(who + QStringLiteral(".pub")), runCli({QStringLiteral("key"), QStringLiteral("export-public"), who}).out));
        }
        const auto as = [&](const QString &who, const QStringList &args) {
            return runCli(args + QStringList{QStringLiteral("--as"), who, QStringLiteral("--passphrase-file"), pass(who)});
        };
        QCOMPARE(runCli({QStringLiteral("init"), ws, QStringLiteral("--admin"), QStringLiteral("scanadmin"), QStringLiteral("--passphrase-file"),
                         pass(QStringLiteral("scanadmin"))}).exitCode, 0);
        for (const auto &[who, role] : {std::pair{QStringLiteral("scancora"), QStringLiteral("curator")}, std::pair{QStringLiteral("scanada"), QStringLiteral("approver")}})
            QCOMPARE(as(QStringLiteral("scanadmin"), {QStringLiteral("principal"), QStringLiteral("add"), QStringLiteral("-w"), ws, who,
                                                      m_tmp.filePath(who + QStringLiteral(".pub")), QStringLiteral("--roles"), role}).exitCode, 0);
        QVERIFY(ingestBoth(ws, {QStringLiteral("--as"), QStringLiteral("scancora"), QStringLiteral("--passphrase-file"), pass(QStringLiteral("scancora"))}));
        const QStringList scan{QStringLiteral("scan"), QStringLiteral("-w"), ws, QStringLiteral("t@v2"), QStringLiteral("--detectors"), QStringLiteral("delta")};
        const auto unsignedRun = runCli(scan);
        QCOMPARE(unsignedRun.exitCode, 2);
        QVERIFY2(unsignedRun.err.contains("--as KEY"), unsignedRun.err.constData());
        const auto approver = as(QStringLiteral("scanada"), scan);
        QCOMPARE(approver.exitCode, 1); // refused by the policy: scans are a curator's
        QVERIFY2(approver.err.contains("role"), approver.err.constData());
        QCOMPARE(as(QStringLiteral("scancora"), scan).exitCode, 1);
        const QJsonObject last = events(ws).last().toObject();
        QCOMPARE(last.value(QStringLiteral("type")).toString(), QStringLiteral("scan.recorded"));
        QCOMPARE(last.value(QStringLiteral("actor_name")).toString(), QStringLiteral("scancora"));
        // A decision shows in the findings.
        const QString record = m_planted.kindOf.key(QStringLiteral("relabelled"));
        QCOMPARE(as(QStringLiteral("scancora"), {QStringLiteral("decide"), QStringLiteral("-w"), ws, QStringLiteral("t@v2"), record, QStringLiteral("exclude")}).exitCode, 0);
        const auto f = runCli({QStringLiteral("findings"), QStringLiteral("-w"), ws, QStringLiteral("t@v2"), QStringLiteral("--json")});
        bool decided = false;
        for (const QJsonValue &v : QJsonDocument::fromJson(f.out).object().value(QStringLiteral("findings")).toArray())
            if (v.toObject().value(QStringLiteral("record")).toString() == record)
                decided = v.toObject().value(QStringLiteral("decision")).toObject().value(QStringLiteral("action")).toString() == QLatin1String("exclude");
        QVERIFY(decided);
        QCOMPARE(runCli({QStringLiteral("verify"), QStringLiteral("-w"), ws}).exitCode, 0);
    }
};

QTEST_GUILESS_MAIN(TestScanCli)
#include "TestScanCli.moc"
