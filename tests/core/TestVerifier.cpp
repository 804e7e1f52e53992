#include "TestSupport.h"
#include "storage/Ingest.h"
#include "workflow/IngestVersion.h"
#include "workflow/Verifier.h"
#include "storage/Workspace.h"
#include "workflow/OpenWorkspace.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <QElapsedTimer>

using namespace custody;

// Tampering with any stored byte must be named by verify.
class TestVerifier : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QString m_ws;
    int m_n = 0;

    // A fresh workspace with two versions, so every case starts clean.
    void makeWorkspace()
    {
        m_ws = m_tmp.filePath(QStringLiteral("ws%1").arg(++m_n));
        QString e;
        auto ws = createWorkspace(m_ws, &e);
        QVERIFY2(ws, qPrintable(e));
        const QString csv = m_tmp.filePath(QStringLiteral("v.csv"));
        QVERIFY(test::writeFile(csv, "id,label,x,y\na,p,1,2\nb,q,3,4\nc,p,5,6\nd,q,7,8\n"));
        for (const char *label : {"v1", "v2"}) {
            IngestRequest req;
            req.dataset = QStringLiteral("t");
            req.version = QLatin1String(label);
            req.parentLabel = req.version == QLatin1String("v2") ? QStringLiteral("v1") : QString();
            req.paths = {csv};
            req.reader.idColumn = QStringLiteral("id");
            req.reader.labelColumn = QStringLiteral("label");
            IngestResult r;
            QVERIFY2(ingestVersion(*ws, req, &r, &e), qPrintable(e));
        }
    }

    VerifyReport verify()
    {
        QString e;
        auto ws = openWorkspace(m_ws, &e, Workspace::Access::ReadOnly);
        VerifyReport report;
        if (!ws || !Verifier::run(*ws, &report, &e))
            qFatal("verify could not run: %s", qPrintable(e));
        return report;
    }

    void sql(const char *statement)
    {
        QString e;
        Database db;
        QVERIFY(db.open(Workspace::databasePath(m_ws), Database::Mode::ReadWrite, &e));
        QVERIFY2(db.exec(statement, &e), qPrintable(e));
    }

    static QString allProblems(const VerifyReport &r)
    {
        QStringList lines;
        for (const VerifyProblem &p : r.problems)
            lines.append(p.subject + QStringLiteral(": ") + p.message);
        return lines.join(QLatin1Char('\n'));
    }

private Q_SLOTS:
    void cleanWorkspacePasses()
    {
        makeWorkspace();
        const VerifyReport r = verify();
        QVERIFY2(r.ok(), qPrintable(allProblems(r)));
        QCOMPARE(r.versionsChecked, qint64(2));
        QCOMPARE(r.recordsChecked, qint64(8));
        QCOMPARE(r.objectsChecked, qint64(3)); // the CSV, the shared record pack and the shared record index
    }

    void tamperingIsNamed_data()
    {
        QTest::addColumn<QByteArray>("statement");
        QTest::addColumn<QString>("subject");
        QTest::addColumn<QString>("problem");
        QTest::newRow("relabel a record") << QByteArray("UPDATE record SET label = 'z' WHERE record_id = 'b' AND version_id = 2")
                                          << QStringLiteral("t@v2") << QStringLiteral("Merkle root");
        // The record index kept with each version names the record and what changed, with its original label.
        QTest::newRow("relabel a record, named") << QByteArray("UPDATE record SET label = 'p' WHERE record_id = 'b' AND version_id = 2")
                                                 << QStringLiteral("t@v2 record 'b'")
                                                 << QStringLiteral("its label was changed after the version was made (it now has 'p'); it was 'q'");
        QTest::newRow("rename a record, named") << QByteArray("UPDATE record SET record_id = 'bb' WHERE record_id = 'b' AND version_id = 1")
                                                << QStringLiteral("t@v1 record 'bb'") << QStringLiteral("its id or embedding");
        QTest::newRow("rename a record") << QByteArray("UPDATE record SET record_id = 'bb' WHERE record_id = 'b' AND version_id = 1")
                                         << QStringLiteral("t@v1") << QStringLiteral("Merkle root");
        QTest::newRow("swap content hash") << QByteArray("UPDATE record SET content_hash = zeroblob(32) WHERE record_id = 'c'")
                                           << QStringLiteral("record 'c'") << QStringLiteral("content hash");
        QTest::newRow("point at other content") << QByteArray("UPDATE record SET content_offset = 0 WHERE record_id = 'd' AND version_id = 1")
                                                << QStringLiteral("record 'd'") << QStringLiteral("content hash");
        QTest::newRow("delete a record") << QByteArray("DELETE FROM record WHERE record_id = 'a' AND version_id = 2")
                                         << QStringLiteral("t@v2") << QStringLiteral("records");
        QTest::newRow("edit the manifest") << QByteArray("UPDATE version SET manifest = CAST(replace(manifest, '\"license\":\"\"', '\"license\":\"MIT\"') AS BLOB) WHERE id = 1")
                                           << QStringLiteral("t@v1") << QStringLiteral("manifest");
        QTest::newRow("change the record count") << QByteArray("UPDATE version SET record_count = 5 WHERE id = 2")
                                                 << QStringLiteral("t@v2") << QStringLiteral("record_count");
        QTest::newRow("replace the digest") << QByteArray("UPDATE version SET digest = zeroblob(32) WHERE id = 1")
                                            << QStringLiteral("t@v1") << QStringLiteral("digest");
        QTest::newRow("re-parent a version") << QByteArray("UPDATE version SET parent_id = NULL WHERE id = 2")
                                             << QStringLiteral("t@v2") << QStringLiteral("parent");
        QTest::newRow("drop a stored file") << QByteArray("DELETE FROM version_file WHERE version_id = 1")
                                            << QStringLiteral("t@v1") << QStringLiteral("file");
    }

    void tamperingIsNamed()
    {
        QFETCH(QByteArray, statement);
        QFETCH(QString, subject);
        QFETCH(QString, problem);
        makeWorkspace();
        sql(statement.constData());
        const VerifyReport r = verify();
        QVERIFY2(!r.ok(), "tampering went unnoticed");
        bool named = false;
        for (const VerifyProblem &p : r.problems)
            named = named || (p.subject.contains(subject) && p.message.contains(problem));
        QVERIFY2(named, qPrintable(allProblems(r)));
    }

    // An object replaced by a FIFO, or by a link to /dev/zero, hung verify (and signed writes) in open() or in
    // an endless read: an object must be a regular file, checked before it is opened.
    void objectsThatAreNotRegularFilesAreNamedAtOnce_data()
    {
        QTest::addColumn<bool>("fifo");
        QTest::newRow("FIFO") << true;
        QTest::newRow("link to /dev/zero") << false;
    }

    void objectsThatAreNotRegularFilesAreNamedAtOnce()
    {
        QFETCH(bool, fifo);
        makeWorkspace();
        QString pack;
        {
            QString e;
            auto ws = openWorkspace(m_ws, &e);
            pack = ws->objects().pathFor(ws->versions(&e).first().packHash);
        }
        QVERIFY(QFile::remove(pack));
        if (fifo)
            QCOMPARE(::mkfifo(QFile::encodeName(pack).constData(), 0644), 0);
        else
            QVERIFY(QFile::link(QStringLiteral("/dev/zero"), pack));
        QElapsedTimer t;
        t.start();
        const VerifyReport r = verify();
        QVERIFY(t.elapsed() < 10000);
        QVERIFY2(allProblems(r).contains(QStringLiteral("is not a regular file")), qPrintable(allProblems(r)));
    }

    // Files dropped into objects/ are never read, but verify says they are there: a person inspecting a
    // workspace should not mistake them for stored data, nor miss that someone wrote there.
    void strayFilesInTheObjectFolderAreWarnedAbout()
    {
        makeWorkspace();
        QString prefix;
        {
            QString e;
            auto ws = openWorkspace(m_ws, &e);
            prefix = ws->versions(&e).first().packHash.left(2);
        }
        const QString objects = m_ws + QStringLiteral("/objects/");
        QVERIFY(test::writeFile(objects + QStringLiteral("notes.txt"), "hello"));
        QVERIFY(test::writeFile(objects + prefix + QStringLiteral("/README"), "hello"));
        QVERIFY(test::writeFile(objects + prefix + QStringLiteral("/") + QString(62, QLatin1Char('A')), "upper-case hex"));
        QVERIFY(QDir().mkpath(objects + QStringLiteral("zz/deeper")));
        const VerifyReport r = verify();
        QVERIFY(r.ok());
        const QString warnings = r.warnings.join(QLatin1Char('\n'));
        for (const QString &stray : {QStringLiteral("objects/notes.txt"), QStringLiteral("objects/%1/README").arg(prefix),
                                     QStringLiteral("objects/%1/%2").arg(prefix, QString(62, QLatin1Char('A'))), QStringLiteral("objects/zz")})
            QVERIFY2(warnings.contains(stray + QStringLiteral(" is not an object file")),
                     qPrintable(stray + QStringLiteral(" not in: ") + warnings));
        QVERIFY2(!warnings.contains(QStringLiteral("objects/tmp")), qPrintable(warnings));
    }

    // Rows deleted from the object table: verify names every object a version still uses, and a later ingest
    // does not take the version's pack and files for orphans to delete.
    void objectRowsDeletedBySqlAreNamedAndKept()
    {
        makeWorkspace();
        sql("DELETE FROM object WHERE hash IN (SELECT pack_hash FROM version UNION SELECT object_hash FROM version_file)");
        const VerifyReport r = verify();
        QVERIFY(!r.ok());
        QVERIFY2(allProblems(r).contains(QStringLiteral("missing from the object table")), qPrintable(allProblems(r)));
        QString e;
        {
            auto ws = openWorkspace(m_ws, &e);
            QVERIFY2(ws, qPrintable(e));
            QCOMPARE(ws->collectOrphanObjects(), 0);
            const auto v = ws->versions(&e).first();
            QVERIFY(ws->objects().contains(v.packHash));
        }
    }

    void alteredObjectBytesAreNamed()
    {
        makeWorkspace();
        QString e;
        QString packHash, csvHash;
        {
            auto ws = openWorkspace(m_ws, &e);
            packHash = ws->versionById(1, &e)->packHash;
            csvHash = ws->files(1, &e).first().objectHash;
        }
        const QString packPath = ObjectStore(m_ws + QStringLiteral("/objects")).pathFor(packHash);
        QFile pack(packPath);
        QVERIFY(pack.open(QIODevice::ReadWrite));
        pack.seek(5);
        char c;
        pack.getChar(&c);
        pack.seek(5);
        pack.putChar(char(c ^ 0x40));
        pack.close();
        QVERIFY(QFile::remove(ObjectStore(m_ws + QStringLiteral("/objects")).pathFor(csvHash)));
        const VerifyReport r = verify();
        const QString all = allProblems(r);
        QVERIFY2(all.contains(QStringLiteral("object %1 was altered").arg(packHash)), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("object %1 is missing").arg(csvHash)), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("record 'a': its content no longer matches")), qPrintable(all));
    }
};

QTEST_GUILESS_MAIN(TestVerifier)
#include "TestVerifier.moc"
