#include "CliWorkspace.h"
#include "TestSupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTest>

using namespace custody;
using test::CliResult;
using test::CliWorkspace;

namespace {

// "a b c" as arguments: for the many command lines here whose words hold no space.
QStringList words(const char *text)
{
    return QString::fromUtf8(text).split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

QByteArray describe(const CliResult &r)
{
    return "exit " + QByteArray::number(r.exitCode) + "\nstdout: " + r.out + "\nstderr: " + r.err;
}

QJsonObject json(const CliResult &r)
{
    return QJsonDocument::fromJson(r.out).object();
}

QJsonArray events(const CliWorkspace &ws, const QString &dir = {})
{
    const CliResult r = ws.run({QStringLiteral("log"), QStringLiteral("-w"), dir.isEmpty() ? ws.path() : dir, QStringLiteral("--json")});
    return json(r).value(QStringLiteral("events")).toArray();
}

QStringList eventTypes(const QJsonArray &log)
{
    QStringList types;
    for (const QJsonValue &e : log)
        types << e.toObject().value(QStringLiteral("type")).toString();
    return types;
}

// A new key NAME in the workspace's key store (its usual passphrase), registered by the admin with ROLES.
bool addPerson(const CliWorkspace &ws, const QString &name, const QString &roles, QString *error)
{
    const QString pass = ws.filePath(QStringLiteral("pass"));
    const QString pub = ws.filePath(name + QStringLiteral(".pub"));
    const CliResult created = ws.run({QStringLiteral("key"), QStringLiteral("create"), name, QStringLiteral("--passphrase-file"), pass});
    const CliResult exported = ws.run({QStringLiteral("key"), QStringLiteral("export-public"), name});
    const CliResult added = created.exitCode || exported.exitCode || !test::writeFile(pub, exported.out)
        ? CliResult{}
        : ws.run(ws.signedArgs(QStringLiteral("admin"), QStringLiteral("principal"),
                               {QStringLiteral("add"), name, pub, QStringLiteral("--roles"), roles}));
    if (added.exitCode != 0)
        *error = QString::fromUtf8(created.err + exported.err + added.err);
    return added.exitCode == 0;
}

// A signed workspace with admin, cora (curator), ada and abe (approvers) and ann (analyst); t@v1 and t@v2
// (parent v1) ingested by cora and t@v2 submitted.
bool signedTeamWithSubmittedBatch(CliWorkspace &ws, QString *error)
{
    const QByteArray csv = "id,label,x\nr1,p,1\nr2,p,2\nr3,q,3\n";
    return ws.initSigned(error) && addPerson(ws, QStringLiteral("ada"), QStringLiteral("approver"), error)
        && addPerson(ws, QStringLiteral("abe"), QStringLiteral("approver"), error)
        && addPerson(ws, QStringLiteral("ann"), QStringLiteral("analyst"), error)
        && ws.ingestCsv(QStringLiteral("t"), QStringLiteral("v1"), csv, error, QStringLiteral("cora"))
        && ws.ingestCsv(QStringLiteral("t"), QStringLiteral("v2"), csv + "r4,q,4\n", error, QStringLiteral("cora"), words("--parent v1"))
        && ws.run(ws.signedArgs(QStringLiteral("cora"), QStringLiteral("submit"), {QStringLiteral("t@v2")})).exitCode == 0;
}

// `gzip -dc FILE`, for the generated IDX files of the demo.
QByteArray gunzip(const QString &file)
{
    QProcess gzip;
    gzip.start(QStringLiteral("gzip"), {QStringLiteral("-dc"), file});
    gzip.waitForFinished(60000);
    return gzip.exitCode() == 0 ? gzip.readAllStandardOutput() : QByteArray();
}

// Options (-w and --long) named in a synopsis.
QSet<QString> optionsIn(const QString &synopsis)
{
    QSet<QString> out;
    static const QRegularExpression option(QStringLiteral("(?<![\\w-])(-w|--[a-z][a-z-]*)"));
    for (auto it = option.globalMatch(synopsis); it.hasNext();)
        out.insert(it.next().captured(1));
    return out;
}

// The README's command-line synopsis: command -> the text of its lines (continuation lines included).
QHash<QString, QString> readmeSynopses()
{
    QFile f(test::dataPath(QStringLiteral("../../README.md")));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QString text = QString::fromUtf8(f.readAll());
    const QString block = text.section(QStringLiteral("## The command line"), 1).section(QStringLiteral("```"), 1, 1);
    QHash<QString, QString> out;
    QString last;
    for (const QString &line : block.split(QLatin1Char('\n'))) {
        if (line.startsWith(QLatin1String("custody-cli "))) {
            last = line.section(QLatin1Char(' '), 1, 1);
            out[last] += line + QLatin1Char('\n');
        } else if (line.startsWith(QLatin1Char(' ')) && !last.isEmpty()) {
            out[last] += line + QLatin1Char('\n');
        }
    }
    return out;
}

// 300 records with features a (shifted by `shift`), b, c (the same values on both sides) and a category colour.
QByteArray driftCsv(const char *prefix, double shift)
{
    QByteArray csv = "id,label,a,b,c,colour\n";
    for (int i = 0; i < 300; ++i)
        csv += prefix + QByteArray::number(i) + (i % 2 ? ",cat," : ",dog,") + QByteArray::number(i * 0.01 + shift) + ','
            + QByteArray::number((i * 37 % 300) * 0.1) + ',' + QByteArray::number(qint64(i) * i % 97) + (i % 3 ? ",red\n" : ",blue\n");
    return csv;
}

} // namespace

// Commands and options of custody-cli that no other suite runs: the demo's options, veto, rollback and revoke in
// a signed workspace, key import and list, every command's --help, and drift's --threshold and --test.
class TestCliCoverage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void demoHonoursItsOptions()
    {
        CliWorkspace ws;
        const QString dir = ws.filePath(QStringLiteral("demo"));
        const CliResult r = ws.run(QStringList{QStringLiteral("demo"), dir} + words("--no-scan --seed 7 --rate 0.02 --trigger checker --target-class 3"));
        QVERIFY2(r.exitCode == 0, describe(r));
        QVERIFY2(r.out.startsWith("Demo workspace ready in " + dir.toUtf8() + " (fashion@v1, fashion@v2;"), r.out);
        QVERIFY2(!r.out.contains("scanned"), r.out);

        QFile truthFile(dir + QStringLiteral("/demo-data/ground-truth.json"));
        QVERIFY(truthFile.open(QIODevice::ReadOnly));
        const QJsonObject truth = QJsonDocument::fromJson(truthFile.readAll()).object();
        QCOMPARE(truth.value(QStringLiteral("seed")).toInteger(), qint64(7));
        QCOMPARE(truth.value(QStringLiteral("trigger")).toString(), QStringLiteral("checker"));
        QCOMPARE(truth.value(QStringLiteral("target_class")).toInt(), 3);
        QCOMPARE(truth.value(QStringLiteral("backdoor_rate")).toDouble(), 0.02);
        const QJsonObject counts = truth.value(QStringLiteral("counts")).toObject();

        const QJsonArray versions = json(ws.run({QStringLiteral("versions"), QStringLiteral("-w"), dir, QStringLiteral("--json")}))
                                        .value(QStringLiteral("versions")).toArray();
        QCOMPARE(versions.size(), 2);
        QCOMPARE(versions[0].toObject().value(QStringLiteral("name")).toString(), QStringLiteral("fashion@v1"));
        QCOMPARE(versions[0].toObject().value(QStringLiteral("records")).toInt(), 50000);
        QCOMPARE(versions[1].toObject().value(QStringLiteral("name")).toString(), QStringLiteral("fashion@v2"));
        QCOMPARE(versions[1].toObject().value(QStringLiteral("parent")).toString(), QStringLiteral("v1"));
        QCOMPARE(versions[1].toObject().value(QStringLiteral("records")).toInt(), counts.value(QStringLiteral("batch_records")).toInt());
        const QJsonObject v2 = json(ws.run({QStringLiteral("show"), QStringLiteral("-w"), dir, QStringLiteral("fashion@v2"), QStringLiteral("--json")}));
        QVERIFY(v2.value(QStringLiteral("manifest")).toObject().value(QStringLiteral("provenance")).toObject().value(QStringLiteral("note"))
                    .toString().contains(QStringLiteral("--seed 7 --rate 0.02 --trigger checker --target-class 3")));

        // The planted backdoors, read back from the generated v2 files: labelled 3, taken from other classes,
        // carrying the 4x4 checkerboard at rows and columns 22..25, and 2% of class 3.
        const QByteArray labels = gunzip(dir + QStringLiteral("/demo-data/v2-labels-idx1-ubyte.gz")).mid(8);
        const QByteArray images = gunzip(dir + QStringLiteral("/demo-data/v2-images-idx3-ubyte.gz")).mid(16);
        QCOMPARE(labels.size(), counts.value(QStringLiteral("batch_records")).toInt());
        QCOMPARE(images.size(), labels.size() * 784);
        int backdoors = 0;
        for (const QJsonValue &v : truth.value(QStringLiteral("records")).toArray()) {
            const QJsonObject rec = v.toObject();
            if (rec.value(QStringLiteral("kind")).toString() != QLatin1String("backdoor"))
                continue;
            ++backdoors;
            const int id = rec.value(QStringLiteral("id")).toString().toInt();
            QCOMPARE(int(labels.at(id)), 3);
            QVERIFY(rec.value(QStringLiteral("original_label")).toInt() != 3);
            for (int y = 22; y < 26; ++y)
                for (int x = 22; x < 26; ++x)
                    QCOMPARE(uchar(images.at(id * 784 + y * 28 + x)), uchar((x + y) % 2 ? 0 : 255));
        }
        QCOMPARE(backdoors, counts.value(QStringLiteral("backdoor")).toInt());
        QVERIFY(backdoors > 0);
        QVERIFY2(qAbs(double(backdoors) / double(labels.count(char(3))) - 0.02) < 0.001, QByteArray::number(backdoors));

        // --no-scan: the ledger holds the two ingests and nothing else, and findings says there is no scan.
        QCOMPARE(eventTypes(events(ws, dir)), (QStringList{QStringLiteral("version.ingested"), QStringLiteral("version.ingested")}));
        const CliResult findings = ws.run({QStringLiteral("findings"), QStringLiteral("-w"), dir, QStringLiteral("fashion@v2")});
        QCOMPARE(findings.exitCode, 2);
        QVERIFY2(findings.err.contains("fashion@v2 has no recorded detector scan yet"), findings.err);
    }

    // Without options: the documented defaults, and the scan of fashion@v2 recorded so findings are there at once.
    void demoDefaultsRecordAScan()
    {
#ifdef CUSTODY_SANITIZED_BUILD
        QSKIP("scans 55,348 images: minutes at Debug speed; the normal build runs it");
#endif
        CliWorkspace ws;
        const QString dir = ws.filePath(QStringLiteral("demo"));
        const CliResult r = ws.run({QStringLiteral("demo"), dir});
        QVERIFY2(r.exitCode == 0, describe(r));
        QVERIFY2(r.out.contains("fashion@v2 scanned: custody-cli findings -w " + dir.toUtf8() + " fashion@v2"), r.out);
        QFile truthFile(dir + QStringLiteral("/demo-data/ground-truth.json"));
        QVERIFY(truthFile.open(QIODevice::ReadOnly));
        const QJsonObject truth = QJsonDocument::fromJson(truthFile.readAll()).object();
        QCOMPARE(truth.value(QStringLiteral("seed")).toInteger(), qint64(20261125));
        QCOMPARE(truth.value(QStringLiteral("trigger")).toString(), QStringLiteral("patch"));
        QCOMPARE(truth.value(QStringLiteral("target_class")).toInt(), 0);
        QCOMPARE(truth.value(QStringLiteral("counts")).toObject().value(QStringLiteral("backdoor")).toInt(), 288); // docs/demo.md
        const QJsonArray log = events(ws, dir);
        QCOMPARE(eventTypes(log).last(), QStringLiteral("scan.recorded"));
        QCOMPARE(log.last().toObject().value(QStringLiteral("body")).toObject().value(QStringLiteral("version")).toString(), QStringLiteral("fashion@v2"));
        const CliResult findings = ws.run({QStringLiteral("findings"), QStringLiteral("-w"), dir, QStringLiteral("fashion@v2")});
        QVERIFY2(findings.exitCode == 0, describe(findings));
        QVERIFY2(findings.out.contains("findings of the latest scan of fashion@v2 against fashion@v1"), findings.out);
    }

    void demoRefusesBadValues_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QString>("message");
        QTest::newRow("rate above 0.5") << words("--rate 2") << QStringLiteral("--rate '2': needs a share from 0 to 0.5");
        QTest::newRow("negative rate") << words("--rate -0.1") << QStringLiteral("--rate '-0.1': needs a share from 0 to 0.5");
        QTest::newRow("rate not a number") << words("--rate nan") << QStringLiteral("--rate 'nan': needs a share from 0 to 0.5");
        QTest::newRow("target class 10") << words("--target-class 10") << QStringLiteral("--target-class '10': needs a Fashion-MNIST class, 0 to 9");
        QTest::newRow("seed not a number") << words("--seed -1") << QStringLiteral("--seed '-1': needs a whole number");
        QTest::newRow("unknown trigger") << words("--trigger bogus") << QStringLiteral("unknown trigger 'bogus' (patch, cross or checker)");
        QTest::newRow("missing source") << words("--source /nonexistent/fmnist")
                                        << QStringLiteral("Fashion-MNIST not found in /nonexistent/fmnist (install the Debian package dataset-fashion-mnist");
        QTest::newRow("two folders") << words("other") << QStringLiteral("demo takes one folder (usage: custody-cli demo DIR");
    }

    void demoRefusesBadValues()
    {
        QFETCH(QStringList, options);
        QFETCH(QString, message);
        CliWorkspace ws;
        const QString dir = ws.filePath(QStringLiteral("demo"));
        const CliResult r = ws.run(QStringList{QStringLiteral("demo"), dir, QStringLiteral("--no-scan")} + options);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.startsWith("custody-cli: ") && r.err.contains(message.toUtf8()), r.err);
        QCOMPARE(r.err.count('\n'), 1); // one line
        QVERIFY(r.out.isEmpty());
        QVERIFY(!QFileInfo::exists(dir));
        QVERIFY(!QFileInfo::exists(dir + QStringLiteral(".building")));
    }

    void demoRefusesAFolderInUse()
    {
        CliWorkspace ws;
        const QString dir = ws.filePath(QStringLiteral("full"));
        QVERIFY(test::writeFile(dir + QStringLiteral("/notes.txt"), "mine\n"));
        const CliResult full = ws.run({QStringLiteral("demo"), dir, QStringLiteral("--no-scan")});
        QCOMPARE(full.exitCode, 2);
        QVERIFY2(full.err.contains(dir.toUtf8() + " exists and is not empty; choose a new folder for the demo"), full.err);
        QCOMPARE(QDir(dir).entryList(QDir::NoDotAndDotDot | QDir::AllEntries), QStringList{QStringLiteral("notes.txt")});

        QString error;
        QVERIFY2(ws.init(&error), qPrintable(error));
        const CliResult existing = ws.run({QStringLiteral("demo"), ws.path(), QStringLiteral("--no-scan")});
        QCOMPARE(existing.exitCode, 2);
        QVERIFY2(existing.err.contains(ws.path().toUtf8() + " already holds a workspace"), existing.err);
        QVERIFY(json(ws.run(ws.args(QStringLiteral("versions"), {QStringLiteral("--json")}))).value(QStringLiteral("versions")).toArray().isEmpty());
    }

    void vetoBlocksRelease()
    {
        CliWorkspace ws;
        QString error;
        QVERIFY2(signedTeamWithSubmittedBatch(ws, &error), qPrintable(error));
        const QStringList reason{QStringLiteral("--reason"), QStringLiteral("trigger patch on r4")};
        QCOMPARE(ws.run(ws.signedArgs(QStringLiteral("ada"), QStringLiteral("approve"), {QStringLiteral("t@v2")})).exitCode, 0);
        const int before = int(events(ws).size());

        // Outside one's role, or without a reason: refused, and nothing is recorded.
        const CliResult byCurator = ws.run(ws.signedArgs(QStringLiteral("cora"), QStringLiteral("veto"), QStringList{QStringLiteral("t@v2")} + reason));
        QCOMPARE(byCurator.exitCode, 1);
        QVERIFY2(byCurator.err.contains("refused by rule 'role': cora does not hold the approver role (holds: curator)"), byCurator.err);
        const CliResult noReason = ws.run(ws.signedArgs(QStringLiteral("abe"), QStringLiteral("veto"), {QStringLiteral("t@v2")}));
        QCOMPARE(noReason.exitCode, 2);
        QVERIFY2(noReason.err.contains("a veto needs a reason"), noReason.err);
        QCOMPARE(int(events(ws).size()), before);

        const CliResult veto = ws.run(ws.signedArgs(QStringLiteral("abe"), QStringLiteral("veto"), QStringList{QStringLiteral("t@v2")} + reason));
        QVERIFY2(veto.exitCode == 0, describe(veto));
        QVERIFY(veto.out.contains("Vetoed t@v2: it cannot be released until it is submitted again"));
        const QJsonObject vetoed = events(ws).last().toObject();
        QCOMPARE(vetoed.value(QStringLiteral("type")).toString(), QStringLiteral("batch.vetoed"));
        QCOMPARE(vetoed.value(QStringLiteral("actor_name")).toString(), QStringLiteral("abe"));
        QCOMPARE(vetoed.value(QStringLiteral("body")).toObject().value(QStringLiteral("reason")).toString(), QStringLiteral("trigger patch on r4"));

        // The veto blocks the release (naming the rule and the reason) and further approvals.
        const QStringList release = ws.signedArgs(QStringLiteral("cora"), QStringLiteral("release"), words("t@v2 --to v3"));
        const CliResult blocked = ws.run(release);
        QCOMPARE(blocked.exitCode, 1);
        QVERIFY2(blocked.err.contains("refused by rule 'veto-blocks': t@v2 was vetoed (trigger patch on r4)"), blocked.err);
        const CliResult late = ws.run(ws.signedArgs(QStringLiteral("ada"), QStringLiteral("approve"), {QStringLiteral("t@v2")}));
        QCOMPARE(late.exitCode, 1);
        QVERIFY2(late.err.contains("refused by rule 'batch-submitted': t@v2 is vetoed"), late.err);
        const QJsonArray versions = json(ws.run(ws.args(QStringLiteral("versions"), {QStringLiteral("--json")}))).value(QStringLiteral("versions")).toArray();
        QCOMPARE(versions.size(), 2); // no t@v3

        // Submitted again, the approval given before the veto no longer counts: two new ones are needed.
        QCOMPARE(ws.run(ws.signedArgs(QStringLiteral("cora"), QStringLiteral("submit"), {QStringLiteral("t@v2")})).exitCode, 0);
        QCOMPARE(ws.run(ws.signedArgs(QStringLiteral("abe"), QStringLiteral("approve"), {QStringLiteral("t@v2")})).exitCode, 0);
        const CliResult short1 = ws.run(release);
        QCOMPARE(short1.exitCode, 1);
        QVERIFY2(short1.err.contains("refused by rule 'approvals-required': t@v2 has 1 of the 2 approvals"), short1.err);
        QCOMPARE(ws.run(ws.signedArgs(QStringLiteral("ada"), QStringLiteral("approve"), {QStringLiteral("t@v2")})).exitCode, 0);
        const CliResult released = ws.run(release);
        QVERIFY2(released.exitCode == 0 && released.out.contains("Released t@v3"), describe(released));
        QCOMPARE(ws.run(ws.args(QStringLiteral("verify"))).exitCode, 0);
    }

    void rollbackIsRecorded()
    {
        CliWorkspace ws;
        QString error;
        QVERIFY2(signedTeamWithSubmittedBatch(ws, &error), qPrintable(error));
        const int before = int(events(ws).size());
        const QStringList reason{QStringLiteral("--reason"), QStringLiteral("incident 42: poisoned batch")};
        const CliResult byCurator = ws.run(ws.signedArgs(QStringLiteral("cora"), QStringLiteral("rollback"), QStringList{QStringLiteral("t@v1")} + reason));
        QCOMPARE(byCurator.exitCode, 1);
        QVERIFY2(byCurator.err.contains("refused by rule 'role': cora does not hold the analyst role"), byCurator.err);
        const CliResult noReason = ws.run(ws.signedArgs(QStringLiteral("ann"), QStringLiteral("rollback"), {QStringLiteral("t@v1")}));
        QCOMPARE(noReason.exitCode, 2);
        QVERIFY2(noReason.err.contains("a roll-back needs a reason"), noReason.err);
        const CliResult unknown = ws.run(ws.signedArgs(QStringLiteral("ann"), QStringLiteral("rollback"), QStringList{QStringLiteral("t@v9")} + reason));
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY2(unknown.err.contains("refused by rule 'known-version': t@v9 is not recorded"), unknown.err);
        // A version that never passed sign-off cannot be declared the trusted state.
        const CliResult unreleased = ws.run(ws.signedArgs(QStringLiteral("ann"), QStringLiteral("rollback"), QStringList{QStringLiteral("t@v1")} + reason));
        QCOMPARE(unreleased.exitCode, 1);
        QVERIFY2(unreleased.err.contains("refused by rule 'rollback-to-release': t@v1 was never released"), unreleased.err);
        QCOMPARE(int(events(ws).size()), before);

        for (const QString &approver : {QStringLiteral("ada"), QStringLiteral("abe")})
            QCOMPARE(ws.run(ws.signedArgs(approver, QStringLiteral("approve"), {QStringLiteral("t@v2")})).exitCode, 0);
        QCOMPARE(ws.run(ws.signedArgs(QStringLiteral("cora"), QStringLiteral("release"), words("t@v2 --to v3"))).exitCode, 0);
        const int released = int(events(ws).size());
        const CliResult r = ws.run(ws.signedArgs(QStringLiteral("ann"), QStringLiteral("rollback"), QStringList{QStringLiteral("t@v3")} + reason));
        QVERIFY2(r.exitCode == 0, describe(r));
        QCOMPARE(r.out, QByteArray("Rolled t back to t@v3\n"));
        const QJsonArray log = events(ws);
        QCOMPARE(int(log.size()), released + 1);
        const QJsonObject last = log.last().toObject();
        QCOMPARE(last.value(QStringLiteral("type")).toString(), QStringLiteral("version.rolled_back"));
        QCOMPARE(last.value(QStringLiteral("actor_name")).toString(), QStringLiteral("ann"));
        QCOMPARE(last.value(QStringLiteral("signed")).toBool(), true);
        QCOMPARE(last.value(QStringLiteral("body")).toObject().value(QStringLiteral("version")).toString(), QStringLiteral("t@v3"));
        const CliResult human = ws.run(ws.args(QStringLiteral("log")));
        const QByteArray lastLine = human.out.trimmed().split('\n').last();
        QVERIFY2(lastLine.contains("ann") && lastLine.contains("version.rolled_back") && lastLine.contains("version=t@v3 reason=incident 42: poisoned batch"),
                 human.out);
        QCOMPARE(ws.run(ws.args(QStringLiteral("verify"))).exitCode, 0);
    }

    void revokedPrincipalIsRefused()
    {
        CliWorkspace ws;
        QString error;
        QVERIFY2(signedTeamWithSubmittedBatch(ws, &error), qPrintable(error));
        QCOMPARE(ws.run(ws.signedArgs(QStringLiteral("abe"), QStringLiteral("approve"), {QStringLiteral("t@v2")})).exitCode, 0);
        QString abeKey;
        for (const QByteArray &line : ws.run({QStringLiteral("key"), QStringLiteral("list")}).out.split('\n'))
            if (line.startsWith("abe "))
                abeKey = QString::fromLatin1(line.split(' ').last());
        QCOMPARE(abeKey.size(), 64);

        const CliResult byCurator = ws.run(ws.signedArgs(QStringLiteral("cora"), QStringLiteral("principal"), words("revoke abe")));
        QCOMPARE(byCurator.exitCode, 1);
        QVERIFY2(byCurator.err.contains("refused by rule 'role': cora does not hold the admin role"), byCurator.err);
        const CliResult nobody = ws.run(ws.signedArgs(QStringLiteral("admin"), QStringLiteral("principal"), words("revoke nobody")));
        QCOMPARE(nobody.exitCode, 2);
        QVERIFY2(nobody.err.contains("no principal named 'nobody'"), nobody.err);

        const CliResult revoked = ws.run(ws.signedArgs(QStringLiteral("admin"), QStringLiteral("principal"), words("revoke abe")));
        QVERIFY2(revoked.exitCode == 0, describe(revoked));
        QCOMPARE(revoked.out, QByteArray("Revoked abe\n"));
        const QJsonArray log = events(ws);
        const QJsonObject event = log.last().toObject();
        QCOMPARE(event.value(QStringLiteral("type")).toString(), QStringLiteral("principal.revoked"));
        QCOMPARE(event.value(QStringLiteral("body")).toObject().value(QStringLiteral("key_id")).toString(), abeKey);
        const qint64 revokedAt = event.value(QStringLiteral("seq")).toInteger();

        // abe's key still loads, but the workspace refuses what it signs.
        const CliResult veto = ws.run(ws.signedArgs(QStringLiteral("abe"), QStringLiteral("veto"), words("t@v2 --reason late")));
        QCOMPARE(veto.exitCode, 1);
        QVERIFY2(veto.err.contains(QStringLiteral("refused by rule 'not-revoked': abe's key was revoked (event %1)").arg(revokedAt).toUtf8()), veto.err);
        QCOMPARE(events(ws).size(), log.size());
        // The approval abe gave before the revocation no longer counts towards the release.
        QCOMPARE(ws.run(ws.signedArgs(QStringLiteral("ada"), QStringLiteral("approve"), {QStringLiteral("t@v2")})).exitCode, 0);
        const CliResult release = ws.run(ws.signedArgs(QStringLiteral("cora"), QStringLiteral("release"), words("t@v2 --to v3")));
        QCOMPARE(release.exitCode, 1);
        QVERIFY2(release.err.contains("has 1 of the 2 approvals it needs from distinct, unrevoked approvers"), release.err);
        QCOMPARE(ws.run(ws.args(QStringLiteral("verify"))).exitCode, 0);
    }

    void keyImportAndList()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty())
            QSKIP("no openssl command on this machine");
        CliWorkspace ws;
        const QString pem = ws.filePath(QStringLiteral("ed.pem"));
        const QString pass = ws.filePath(QStringLiteral("imp.pass")); // initSigned below writes "pass"
        QVERIFY(test::writeFile(pass, "import passphrase\n"));
        QCOMPARE(QProcess::execute(QStringLiteral("openssl"), {QStringLiteral("genpkey"), QStringLiteral("-algorithm"), QStringLiteral("ed25519"),
                                                               QStringLiteral("-out"), pem}), 0);
        QProcess der;
        der.start(QStringLiteral("openssl"), {QStringLiteral("pkey"), QStringLiteral("-in"), pem, QStringLiteral("-pubout"), QStringLiteral("-outform"), QStringLiteral("DER")});
        QVERIFY(der.waitForFinished(10000));
        // The key id, computed without Custody: SHA-256 of the raw 32-byte public key.
        const QString keyId = QString::fromLatin1(QCryptographicHash::hash(der.readAllStandardOutput().right(32), QCryptographicHash::Sha256).toHex());

        const CliResult imported = ws.run({QStringLiteral("key"), QStringLiteral("import"), QStringLiteral("imp"), pem, QStringLiteral("--passphrase-file"), pass});
        QVERIFY2(imported.exitCode == 0, describe(imported));
        QCOMPARE(imported.out, QStringLiteral("Imported key 'imp' (key id %1)\n").arg(keyId).toUtf8());
        QString error;
        QVERIFY2(ws.initSigned(&error), qPrintable(error)); // adds admin and cora beside it
        const CliResult list = ws.run({QStringLiteral("key"), QStringLiteral("list")});
        QCOMPARE(list.exitCode, 0);
        const QByteArrayList lines = list.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        QVERIFY2(lines[0].startsWith("admin ") && lines[1].startsWith("cora ") && lines[2].startsWith("imp "), list.out);
        QCOMPARE(lines[2].split(' ').last(), keyId.toLatin1());
        const QJsonArray keys = json(ws.run({QStringLiteral("key"), QStringLiteral("list"), QStringLiteral("--json")})).value(QStringLiteral("keys")).toArray();
        QCOMPARE(keys.size(), 3);
        QCOMPARE(keys[2].toObject(), (QJsonObject{{QStringLiteral("name"), QStringLiteral("imp")}, {QStringLiteral("key_id"), keyId}}));
        // The imported key signs: an admin it makes is recorded under its key id.
        const QString other = ws.filePath(QStringLiteral("ws-imp"));
        const CliResult init = ws.run({QStringLiteral("init"), other, QStringLiteral("--admin"), QStringLiteral("imp"), QStringLiteral("--passphrase-file"), pass});
        QVERIFY2(init.exitCode == 0, describe(init));
        QCOMPARE(events(ws, other).first().toObject().value(QStringLiteral("actor")).toString(), keyId);

        // What is not a private key is refused, naming the file and what is wrong; nothing is added.
        const QString text = ws.filePath(QStringLiteral("notes.txt"));
        QVERIFY(test::writeFile(text, "hello\n"));
        const QString pub = ws.filePath(QStringLiteral("cora.pub")); // written by initSigned
        const QList<std::pair<QString, QByteArray>> refusals{{text, "not PEM: no BEGIN line"},
                                                              {pub, "holds no private key Custody can read"},
                                                              {ws.filePath(QStringLiteral("missing.pem")), "No such file or directory"}};
        for (const auto &[file, problem] : refusals) {
            const CliResult bad = ws.run({QStringLiteral("key"), QStringLiteral("import"), QStringLiteral("bad"), file, QStringLiteral("--passphrase-file"), pass});
            QCOMPARE(bad.exitCode, 2);
            QVERIFY2(bad.err.startsWith("custody-cli: ") && bad.err.contains(file.toUtf8()) && bad.err.contains(problem), bad.err);
            QCOMPARE(bad.err.count('\n'), 1);
        }
        const CliResult again = ws.run({QStringLiteral("key"), QStringLiteral("import"), QStringLiteral("imp"), pem, QStringLiteral("--passphrase-file"), pass});
        QCOMPARE(again.exitCode, 2);
        QVERIFY2(again.err.contains("a key named 'imp' already exists"), again.err);
        QCOMPARE(ws.run({QStringLiteral("key"), QStringLiteral("list")}).out, list.out);
    }

    // Every command of `custody-cli --help` answers --help with its usage and every option its summary, its own
    // usage line and the README's synopsis name. A new command is covered by being listed.
    void helpOfEveryCommand_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QStringList>("expected");
        const CliResult top = test::runCli({QStringLiteral("--help")});
        QCOMPARE(top.exitCode, 0);
        const QHash<QString, QString> readme = readmeSynopses();
        QVERIFY2(readme.size() >= 20, "the README's command-line synopsis could not be read");
        const QString commands = QString::fromUtf8(top.out).section(QStringLiteral("commands:\n"), 1).section(QStringLiteral("\n\n"), 0, 0);
        QStringList listed;
        for (const QString &line : commands.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            QVERIFY2(line.startsWith(QLatin1String("  ")), qPrintable(line));
            const QString name = line.trimmed().section(QLatin1Char(' '), 0, 0);
            listed << name;
            QStringList expected = (optionsIn(line) + optionsIn(readme.value(name))).values();
            expected.sort();
            QTest::newRow(qPrintable(name)) << name << expected;
        }
        // The README documents exactly the commands the program lists.
        QStringList documented = readme.keys();
        documented.sort();
        listed.sort();
        QCOMPARE(listed, documented);
    }

    void helpOfEveryCommand()
    {
        QFETCH(QString, command);
        QFETCH(QStringList, expected);
        const CliResult r = test::runCli({command, QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.isEmpty(), r.err);
        const QString help = QString::fromUtf8(r.out);
        QVERIFY2(help.startsWith(QStringLiteral("usage: custody-cli %1 ").arg(command)), r.out);
        const QString options = help.section(QStringLiteral("\nOptions:\n"), 1).section(QStringLiteral("\n\n"), 0, 0);
        QVERIFY2(options.contains(QLatin1String("-h, --help")), r.out);
        expected += optionsIn(help.section(QLatin1Char('\n'), 0, 0)).values(); // its own usage line
        for (const QString &option : expected) {
            const QString listed = option == QLatin1String("-w") ? QStringLiteral("^  -w, --workspace <DIR>")
                                                                : QStringLiteral("^  (-\\w, )?%1\\b(?!-)").arg(QRegularExpression::escape(option));
            QVERIFY2(QRegularExpression(listed, QRegularExpression::MultilineOption).match(options).hasMatch(),
                     qPrintable(QStringLiteral("%1 --help does not list %2:\n%3").arg(command, option, help)));
        }
    }

    void driftThresholdAndTest()
    {
        CliWorkspace ws;
        QString error;
        QVERIFY2(ws.init(&error), qPrintable(error));
        QVERIFY2(ws.ingestCsv(QStringLiteral("t"), QStringLiteral("base"), driftCsv("b", 0), &error), qPrintable(error));
        QVERIFY2(ws.ingestCsv(QStringLiteral("t"), QStringLiteral("new"), driftCsv("n", 10), &error), qPrintable(error));
        const QStringList drift = ws.args(QStringLiteral("drift"), words("t@base t@new --fail-on-drift"));
        const QStringList readOnly = drift + words("--no-record --json");

        // One of four features (a) drifts: 25%. Below the default threshold (0.5) the gate stays open; at a
        // threshold of 0.25 the share reaches it (the verdict is share >= threshold) and the gate exits 3.
        const CliResult byDefault = ws.run(readOnly);
        QCOMPARE(byDefault.exitCode, 0);
        QCOMPARE(json(byDefault).value(QStringLiteral("drifted_features")).toInt(), 1);
        QCOMPARE(json(byDefault).value(QStringLiteral("tested_features")).toInt(), 4);
        QCOMPARE(json(byDefault).value(QStringLiteral("drift_share")).toDouble(), 0.25);
        QCOMPARE(json(byDefault).value(QStringLiteral("dataset_drift")).toBool(), false);
        const CliResult reached = ws.run(readOnly + words("--threshold 0.25"));
        QCOMPARE(reached.exitCode, 3);
        QCOMPARE(json(reached).value(QStringLiteral("dataset_drift")).toBool(), true);
        const CliResult above = ws.run(readOnly + words("--threshold 0.3"));
        QCOMPARE(above.exitCode, 0);
        QCOMPARE(json(above).value(QStringLiteral("dataset_drift")).toBool(), false);
        const CliResult human = ws.run(drift + words("--no-record --threshold 0.2"));
        QCOMPARE(human.exitCode, 3);
        QVERIFY2(human.out.startsWith("Drift of t@new against t@base: 1 of 4 features drifted (25.0%, threshold 20.0%): DATASET DRIFT\n"), human.out);

        // One junk cell makes 'a' a text column in the new version: nothing tests it, so the gate cannot pass.
        QByteArray junk = driftCsv("j", 0);
        junk.replace("j0,dog,0,", "j0,dog,zzz,");
        QVERIFY2(ws.ingestCsv(QStringLiteral("t"), QStringLiteral("junk"), junk, &error), qPrintable(error));
        const CliResult unchecked = ws.run(ws.args(QStringLiteral("drift"), words("t@base t@junk --fail-on-drift --no-record")));
        QCOMPARE(unchecked.exitCode, 4);
        QVERIFY2(unchecked.err.contains("--fail-on-drift: drift cannot be ruled out: not tested: a: "), unchecked.err);

        // --test picks a feature's test; the rest keep the default.
        const CliResult chosen = ws.run(readOnly + words("--test a=wasserstein --test colour=jensenshannon"));
        QCOMPARE(chosen.exitCode, 0);
        QHash<QString, QJsonObject> features;
        for (const QJsonValue &f : json(chosen).value(QStringLiteral("features")).toArray())
            features.insert(f.toObject().value(QStringLiteral("name")).toString(), f.toObject());
        QCOMPARE(features.keys().size(), 4);
        QCOMPARE(features[QStringLiteral("a")].value(QStringLiteral("test")).toString(), QStringLiteral("wasserstein"));
        QVERIFY(features[QStringLiteral("a")].value(QStringLiteral("p_value")).isNull()); // a distance test: no p-value
        QCOMPARE(features[QStringLiteral("a")].value(QStringLiteral("statistic")).toDouble(),
                 features[QStringLiteral("a")].value(QStringLiteral("wasserstein_normalized")).toDouble());
        QCOMPARE(features[QStringLiteral("a")].value(QStringLiteral("drifted")).toBool(), true);
        QCOMPARE(features[QStringLiteral("colour")].value(QStringLiteral("test")).toString(), QStringLiteral("jensenshannon"));
        QCOMPARE(features[QStringLiteral("b")].value(QStringLiteral("test")).toString(), QStringLiteral("ks"));
        const CliResult chosenHuman = ws.run(drift + words("--no-record --test a=wasserstein"));
        QVERIFY2(QRegularExpression(QStringLiteral("\n  a +wasserstein ")).match(QString::fromUtf8(chosenHuman.out)).hasMatch(), chosenHuman.out);

        // A recorded run commits to both choices in its ledger event.
        const int before = int(events(ws).size());
        QCOMPARE(ws.run(drift + words("--threshold 0.25 --test a=psi")).exitCode, 3);
        const QJsonArray log = events(ws);
        QCOMPARE(int(log.size()), before + 1);
        const QJsonObject config = log.last().toObject().value(QStringLiteral("body")).toObject().value(QStringLiteral("config")).toObject();
        QCOMPARE(config.value(QStringLiteral("drift_share_threshold")).toDouble(), 0.25);
        QCOMPARE(config.value(QStringLiteral("feature_tests")).toObject(), (QJsonObject{{QStringLiteral("a"), QStringLiteral("psi")}}));

        // Nonsense is refused with exit 2 and a message naming the option, and nothing is recorded.
        // The message quotes the value it refuses.
        for (const char *bad : {"--test a=bogus", "--test a", "--test =ks", "--threshold 0", "--threshold 1.5", "--threshold abc",
                                "--test nosuch=ks", "--test a=chi2"}) {
            const CliResult r = ws.run(drift + words(bad));
            QVERIFY2(r.exitCode == 2, bad);
            const QByteArray option = QByteArray(bad).split(' ').first(), value = QByteArray(bad).split(' ').last();
            const QByteArray expected = QByteArray(bad) == "--test nosuch=ks" ? QByteArray("--test names 'nosuch', which is not a feature")
                : QByteArray(bad) == "--test a=chi2"                           ? QByteArray("'a' is numeric, whose tests are ks, wasserstein and psi")
                                                                               : option + " '" + value + "':";
            QVERIFY2(r.err.contains(expected), r.err);
            QVERIFY(r.out.isEmpty());
        }
        QCOMPARE(int(events(ws).size()), before + 1);
    }
};

QTEST_GUILESS_MAIN(TestCliCoverage)
#include "TestCliCoverage.moc"
