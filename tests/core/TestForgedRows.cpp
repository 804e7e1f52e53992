#include "SignedWorkspace.h"
#include "TestSupport.h"
#include "detection/ScanEngine.h"
#include "ledger/SignOff.h"
#include "sampling/DriftSample.h"
#include "hashing/Sha256.h"
#include "storage/Ingest.h"
#include "storage/ObjectStore.h"
#include "storage/Workspace.h"
#include "workflow/IngestVersion.h"
#include "workflow/Attestation.h"
#include "workflow/Checkpoints.h"
#include "workflow/ScanStore.h"
#include "workflow/OpenWorkspace.h"
#include "workflow/Verifier.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace custody;

// Campaign 8: rows planted for a version that does not exist yet, triggers added by hand, version rows whose
// sizes lie, and checkpoints over a forged ledger or by a revoked key. Each is refused by the write (or read)
// it targets, and verify names it.
class TestForgedRows : public QObject
{
    Q_OBJECT

    QTemporaryDir m_tmp;
    int m_n = 0;
    QString m_dir;
    const SigningKey admin = test::seedKey(1), cora = test::seedKey(2), ada = test::seedKey(4), abe = test::seedKey(5);
    const VersionRef v1{QStringLiteral("t"), QStringLiteral("v1")};
    const VersionRef v2{QStringLiteral("t"), QStringLiteral("v2")};

    void approvedBatch()
    {
        m_dir = m_tmp.filePath(QStringLiteral("ws%1").arg(++m_n));
        QString e;
        auto ws = test::makeSubmittedBatch(m_dir, m_tmp.path(), 1, &e);
        QVERIFY2(ws, qPrintable(e));
        SignOff s(*ws);
        QVERIFY2(s.approve(ada, v1, &e), qPrintable(e));
    }

    bool sql(const char *statement) { return test::forgeSql(m_dir, statement); }

    VerifyReport verify() { return test::verifyWorkspace(m_dir); }

    static bool names(const VerifyReport &r, const QString &text)
    {
        for (const VerifyProblem &p : r.problems)
            if (p.subject.contains(text) || p.message.contains(text))
                return true;
        return false;
    }

private Q_SLOTS:
    void init()
    {
        setRememberedCheckpointDirectory(m_tmp.filePath(QStringLiteral("checkpoints%1").arg(m_n + 1)));
    }

    void rowsPlantedForTheNextVersionAreNotReleased()
    {
        approvedBatch();
        // The excluded r2 planted again, under the id the release will take.
        QVERIFY(sql("INSERT INTO record SELECT (SELECT max(id) + 1 FROM version), 999, 'r2-again', label, content_hash, "
                    "content_offset, content_length, embedding, NULL FROM record WHERE version_id = 1 AND record_id = 'r2'"));
        QString e;
        {
            auto ws = openWorkspace(m_dir, &e);
            QVERIFY2(ws, qPrintable(e));
            SignOff s(*ws);
            ReleaseResult r;
            QVERIFY(!s.release(cora, v1, QStringLiteral("v2"), &r, &e));
            QVERIFY2(e.contains(QStringLiteral("already holds records or files for the version being created")), qPrintable(e));
            QVERIFY(!ws->version(v2, &e)); // nothing half-written
        }
        QVERIFY(names(verify(), QStringLiteral("filed under no version")));
    }

    void aTriggerStopsEveryWriteAndVerifyNamesIt()
    {
        approvedBatch();
        QVERIFY(sql("CREATE TRIGGER t AFTER INSERT ON record WHEN NEW.version_id > 1 AND NEW.record_id = 'r1' "
                    "BEGIN UPDATE record SET label = 'POISONED' WHERE version_id = NEW.version_id AND record_id = 'r1'; END"));
        QString e;
        {
            auto ws = openWorkspace(m_dir, &e);
            SignOff s(*ws);
            ReleaseResult r;
            QVERIFY(!s.release(cora, v1, QStringLiteral("v2"), &r, &e));
            QVERIFY2(e.contains(QStringLiteral("refused by rule 'verified-schema'")) && e.contains(QStringLiteral("trigger t")), qPrintable(e));
            QVERIFY(!ws->version(v2, &e));
        }
        QVERIFY(names(verify(), QStringLiteral("trigger t")));
        QVERIFY(sql("CREATE VIEW v AS SELECT * FROM record"));
        QVERIFY(names(verify(), QStringLiteral("view v")));
    }

    void releaseReadsBackWhatTheBatchGives()
    {
        // With no trigger and no planted row the copy is exact: the release succeeds and holds 199 records.
        approvedBatch();
        QString e;
        auto ws = openWorkspace(m_dir, &e);
        SignOff s(*ws);
        ReleaseResult r;
        QVERIFY2(s.release(cora, v1, QStringLiteral("v2"), &r, &e), qPrintable(e));
        QCOMPARE(r.recordCount, qint64(199));
        QVERIFY(verify().ok());
        QVERIFY2(releaseAttestation(*ws, v2.toString(), &e), qPrintable(e));
    }

    // A released record edited by SQL in a copy (cp -a leaves the original's needs-verify mark behind): the copy
    // re-hashes the released version before it hands out the attestation.
    void aCopyWithEditedRecordsExportsNoAttestation()
    {
        approvedBatch();
        QString e;
        {
            auto ws = openWorkspace(m_dir, &e);
            SignOff s(*ws);
            ReleaseResult r;
            QVERIFY2(s.release(cora, v1, QStringLiteral("v2"), &r, &e), qPrintable(e));
        }
        const QString copy = m_dir + QStringLiteral("-copy");
        QCOMPARE(QProcess::execute(QStringLiteral("cp"), {QStringLiteral("-a"), m_dir, copy}), 0);
        QVERIFY(test::forgeSql(copy, "UPDATE record SET label = 'q' WHERE version_id = 2 AND record_id = 'r5'"));
        auto ws = openWorkspace(copy, &e, Workspace::Access::ReadOnly);
        QVERIFY2(ws, qPrintable(e));
        QVERIFY(!releaseAttestation(*ws, v2.toString(), &e));
        QVERIFY2(e.startsWith(QStringLiteral("refusing to export an attestation: t@v2 record 'r5'")), qPrintable(e));
    }

    void anEditedParentStopsTheChildsApproval()
    {
        // v2 relabels r3 (p to q); the parent v1 is then edited by SQL to say q already, so the review's delta
        // would show no relabel at all. Approving v2 re-hashes the parent as well and refuses.
        approvedBatch();
        QString e;
        {
            auto ws = openWorkspace(m_dir, &e);
            QByteArray csv = "id,label,x\n";
            for (int i = 1; i <= 200; ++i)
                csv += QStringLiteral("r%1,%2,%3\n").arg(i).arg(i == 3 || i % 2 == 0 ? QStringLiteral("q") : QStringLiteral("p")).arg(i * 7).toUtf8();
            const QString file = m_tmp.filePath(QStringLiteral("child%1.csv").arg(m_n));
            QVERIFY(test::writeFile(file, csv));
            QVERIFY2(test::ingestSignedCsv(*ws, QStringLiteral("t"), QStringLiteral("v2"), QStringLiteral("v1"), file, cora, &e), qPrintable(e));
            SignOff s(*ws);
            QVERIFY2(s.submit(cora, v2, &e), qPrintable(e));
        }
        QVERIFY(sql("UPDATE record SET label = 'q' WHERE version_id = 1 AND record_id = 'r3'"));
        {
            auto ws = openWorkspace(m_dir, &e);
            SignOff s(*ws);
            QVERIFY(!s.approve(abe, v2, &e));
            QVERIFY2(e.contains(QStringLiteral("refused by rule 'verified-records'")) && e.contains(QStringLiteral("t@v1 record 'r3'")),
                     qPrintable(e));
        }
        QVERIFY(names(verify(), QStringLiteral("t@v1 record 'r3'")));
    }

    // The database, objects/ or a fan-out folder replaced by a symbolic link: writes would land, and the orphan
    // collection delete, wherever it points. Opening refuses, naming it, and the linked-to files stay.
    void linkedWorkspacePartsAreRefused_data()
    {
        QTest::addColumn<QString>("part");
        QTest::newRow("database") << QStringLiteral("custody.db");
        QTest::newRow("object store") << QStringLiteral("objects");
        QTest::newRow("fan-out folder") << QStringLiteral("objects/%1");
    }
    void linkedWorkspacePartsAreRefused()
    {
        QFETCH(QString, part);
        approvedBatch();
        if (part.contains(QLatin1String("%1")))
            part = part.arg(QDir(m_dir + QStringLiteral("/objects")).entryList({QStringLiteral("??")}, QDir::Dirs | QDir::NoDotAndDotDot).value(0));
        const QString path = m_dir + QLatin1Char('/') + part, moved = m_tmp.filePath(QStringLiteral("moved%1").arg(m_n));
        QVERIFY(QDir().rename(path, moved));
        QVERIFY(QFile::link(moved, path));
        QString e;
        QVERIFY(!openWorkspace(m_dir, &e));
        QVERIFY2(e.contains(path) && e.contains(QStringLiteral("symbolic link")), qPrintable(e));
        QVERIFY(!openWorkspace(m_dir, &e, Workspace::Access::ReadOnly));
        QVERIFY(QFileInfo(moved).exists());
        QVERIFY(QFile::remove(path) && QDir().rename(moved, path));
        QVERIFY2(openWorkspace(m_dir, &e), qPrintable(e));

        // A fan-out folder linked after the store was opened: the write is refused, nothing lands there.
        ObjectStore store(m_tmp.filePath(QStringLiteral("store%1").arg(m_n)));
        const QByteArray bytes = "object";
        const QString victim = m_tmp.filePath(QStringLiteral("victim%1").arg(m_n));
        QVERIFY(QDir().mkpath(victim) && QDir().mkpath(store.root()));
        QVERIFY(QFile::link(victim, QFileInfo(store.pathFor(toHex(Sha256::of(std::string_view(bytes.constData(), size_t(bytes.size())))))).path()));
        ObjectStore::Stored stored;
        QVERIFY(!store.putBytes(bytes, &stored, &e));
        QVERIFY2(e.contains(QStringLiteral("symbolic link")), qPrintable(e));
        QCOMPARE(QDir(victim).entryList(QDir::Files).size(), 0);
    }

    // A scan event edited by SQL to point at other findings, and a decision row edited: the findings are read
    // only from a ledger that verifies, and decisions from its replay (campaign 9).
    void findingsComeOnlyFromAProvenLedger()
    {
        approvedBatch();
        QString e;
        {
            auto ws = openWorkspace(m_dir, &e);
            const auto version = ws->version(v1, &e);
            ScanEngine engine;
            ScanResult result;
            QVERIFY2(engine.run(*ws, *version, nullptr, &result, &e), qPrintable(e));
            QVERIFY2(ScanStore(*ws).record(result, &cora, nullptr, &e), qPrintable(e));
            ScanResult second; // a narrower scan, recorded last
            ScanOptions narrow;
            narrow.detectors = {QStringLiteral("outliers")};
            QVERIFY2(ScanEngine(narrow).run(*ws, *version, nullptr, &second, &e), qPrintable(e));
            QVERIFY2(ScanStore(*ws).record(second, &cora, nullptr, &e), qPrintable(e));
        }
        QVERIFY(sql("UPDATE decision SET action = 'keep' WHERE record_id = 'r2'"));
        {
            auto ws = openWorkspace(m_dir, &e, Workspace::Access::ReadOnly);
            ScanResult result;
            QList<Decision> decisions;
            QVERIFY2(ScanStore(*ws).latest(v1.toString(), &result, &e, &decisions), qPrintable(e));
            QCOMPARE(decisions.size(), 1);
            QCOMPARE(decisions.first().action, QStringLiteral("exclude")); // what was signed, not the edited row
        }
        // The latest scan's row deleted from the derived table: the replay still knows it is the latest.
        QVERIFY(sql("DELETE FROM scan WHERE seq = (SELECT max(seq) FROM scan)"));
        {
            auto ws = openWorkspace(m_dir, &e, Workspace::Access::ReadOnly);
            ScanResult result;
            QVERIFY2(ScanStore(*ws).latest(v1.toString(), &result, &e), qPrintable(e));
            QCOMPARE(result.summaries.size(), qsizetype(1)); // the narrow scan, recorded last
        }
        QVERIFY(sql("UPDATE event SET payload = CAST(CAST(payload AS TEXT) || ' ' AS BLOB) WHERE type = 'scan.recorded'"));
        auto ws = openWorkspace(m_dir, &e, Workspace::Access::ReadOnly);
        ScanResult result;
        QVERIFY(!ScanStore(*ws).latest(v1.toString(), &result, &e));
        QVERIFY2(e.startsWith(QStringLiteral("the ledger does not verify from event")) && e.contains(QStringLiteral("not proven")),
                 qPrintable(e));
    }

    void versionRowsWhoseSizesLieAreRefusedByReaders_data()
    {
        QTest::addColumn<QString>("statement");
        QTest::addColumn<QString>("message");
        QTest::newRow("huge count") << QStringLiteral("UPDATE version SET record_count = 1000000000 WHERE id = 1")
                                    << QStringLiteral("says it has 1000000000 records but the database holds 200");
        QTest::newRow("negative count") << QStringLiteral("UPDATE version SET record_count = -1 WHERE id = 1")
                                        << QStringLiteral("says it has -1 records");
        QTest::newRow("no pack") << QStringLiteral("UPDATE version SET pack_hash = NULL WHERE id = 1")
                                 << QStringLiteral("t@v1: the version names no record pack (its pack_hash is empty)");
        QTest::newRow("embedding width") << QStringLiteral("UPDATE version SET manifest = CAST(replace(CAST(manifest AS TEXT), "
                                                           "'\"embedding_dimensions\":0', '\"embedding_dimensions\":100000000') AS BLOB) WHERE id = 1")
                                         << QStringLiteral("declares embeddings of 100000000 dimensions");
    }

    void versionRowsWhoseSizesLieAreRefusedByReaders()
    {
        QFETCH(QString, statement);
        QFETCH(QString, message);
        approvedBatch();
        QVERIFY(sql(statement.toUtf8().constData()));
        QString e;
        auto ws = openWorkspace(m_dir, &e, Workspace::Access::ReadOnly);
        QVERIFY2(ws, qPrintable(e));
        const auto version = ws->version(v1, &e);
        QVERIFY2(version, qPrintable(e));
        DriftSample sample;
        QVERIFY(!DriftSample::load(*ws, *version, &sample, &e));
        QVERIFY2(e.contains(message) && e.contains(QStringLiteral("run 'custody-cli verify'")), qPrintable(e));
        QCOMPARE(sample.rows(), int64_t(0));
        ScanEngine engine;
        ScanResult result;
        QVERIFY(!engine.run(*ws, *version, nullptr, &result, &e));
        QVERIFY2(e.contains(message), qPrintable(e));
    }

    void noCheckpointOverAForgedEventNorByARevokedKey()
    {
        approvedBatch();
        QString e;
        {
            auto ws = openWorkspace(m_dir, &e);
            SignOff s(*ws);
            QVERIFY(s.addPrincipal(admin, QStringLiteral("ann"), test::seedKey(6).publicKey(), {QStringLiteral("analyst")}, &e));
            Error error;
            const auto before = signCheckpoint(*ws, test::seedKey(6), &error);
            QVERIFY2(before, qPrintable(error.message));
            test::writeFile(m_tmp.filePath(QStringLiteral("before.txt")), *before);
            QVERIFY(s.revokePrincipal(admin, QStringLiteral("ann"), &e));
            QVERIFY(!signCheckpoint(*ws, test::seedKey(6), &error));
            QVERIFY2(error.message.contains(QStringLiteral("revoked")), qPrintable(error.message));
        }
        // A checkpoint ann signed while active still checks: its tree ends before her revocation.
        {
            auto ws = openWorkspace(m_dir, &e, Workspace::Access::ReadOnly);
            VerifyReport report;
            VerifyOptions o;
            o.checkpointFile = m_tmp.filePath(QStringLiteral("before.txt"));
            QVERIFY2(Verifier::run(*ws, &report, &e, {}, nullptr, o), qPrintable(e));
            QVERIFY2(report.ok(), qPrintable(report.problems.value(0).message));
        }
        // An event appended by SQL: the checkpoint is refused, and nothing is signed.
        QVERIFY(sql("INSERT INTO event(seq, time, actor, type, payload, prev_hash, signature, hash) SELECT seq + 1, time, actor, "
                    "type, payload, hash, signature, randomblob(32) FROM event ORDER BY seq DESC LIMIT 1"));
        auto ws = openWorkspace(m_dir, &e);
        Error error;
        QVERIFY(!signCheckpoint(*ws, admin, &error));
        QVERIFY2(error.message.contains(QStringLiteral("does not verify")) || error.message.contains(QStringLiteral("until it is fixed")),
                 qPrintable(error.message));
    }
};

QTEST_GUILESS_MAIN(TestForgedRows)
#include "TestForgedRows.moc"
