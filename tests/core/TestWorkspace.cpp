#include "TestSupport.h"
#include "hashing/Sha256.h"
#include "storage/Database.h"
#include "storage/Workspace.h"
#include "workflow/OpenWorkspace.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace custody;

namespace {
QByteArray fileHash(const QString &path)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return toBytes(Sha256::of(f.readAll().toStdString())).toHex();
}

// Makes an SQLite database at dir/custody.db with the given SQL, outside the Workspace API.
void makeDatabase(const QString &dir, const char *sql)
{
    Database db;
    QString e;
    QVERIFY(db.open(Workspace::databasePath(dir), Database::Mode::Create, &e));
    QVERIFY2(db.exec(sql, &e), qPrintable(e));
}
} // namespace

class TestWorkspace : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void createMakesDatabaseAndObjectStore()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("ws"));
        QString error;
        auto ws = createWorkspace(dir, &error);
        QVERIFY2(ws, qPrintable(error));
        QVERIFY(QFile::exists(dir + QStringLiteral("/custody.db")));
        QVERIFY(QFileInfo(dir + QStringLiteral("/objects")).isDir());
        QCOMPARE(ws->db().queryInt("PRAGMA user_version", &error).value_or(-1), qint64(Workspace::kSchemaVersion));
        QCOMPARE(ws->db().queryInt("PRAGMA application_id", &error).value_or(-1), qint64(Workspace::kApplicationId));
        QCOMPARE(ws->db().queryInt("PRAGMA foreign_keys", &error).value_or(-1), qint64(1));
        QCOMPARE(ws->db().queryInt("PRAGMA synchronous", &error).value_or(-1), qint64(2)); // FULL
        Statement mode(ws->db(), "PRAGMA journal_mode");
        QVERIFY(mode.step());
        QCOMPARE(mode.columnText(0), QStringLiteral("wal"));
        ws.reset();
        QVERIFY2(openWorkspace(dir, &error), qPrintable(error));
    }

    void createRefusesAnExistingWorkspace()
    {
        QTemporaryDir tmp;
        QString error;
        QVERIFY(createWorkspace(tmp.path(), &error));
        QVERIFY(!createWorkspace(tmp.path(), &error));
        QVERIFY2(error.contains(QStringLiteral("already holds a workspace")), qPrintable(error));
        // A custody.db that is not a database is named as such, and left byte for byte.
        QTemporaryDir junk;
        QVERIFY(test::writeFile(junk.filePath(QStringLiteral("custody.db")), "my notes\n"));
        QVERIFY(!createWorkspace(junk.path(), &error));
        QCOMPARE(error, junk.path() + QStringLiteral(" holds a custody.db that is not a SQLite database; it is left as it is: move it "
                                                     "away or choose another folder"));
        QFile kept(junk.filePath(QStringLiteral("custody.db")));
        QVERIFY(kept.open(QIODevice::ReadOnly));
        QCOMPARE(kept.readAll(), QByteArray("my notes\n"));
    }

    // `init WS/objects` made a workspace inside another one's object store.
    void createRefusesAFolderInsideAWorkspace()
    {
        QTemporaryDir tmp;
        QString error;
        const QString outer = tmp.filePath(QStringLiteral("outer"));
        QVERIFY(createWorkspace(outer, &error));
        for (const QString &inner : {outer + QStringLiteral("/objects"), outer + QStringLiteral("/a/b")}) {
            QVERIFY(!createWorkspace(inner, &error));
            QVERIFY2(error.contains(QStringLiteral("inside the workspace")), qPrintable(error));
            QVERIFY(!Workspace::looksLikeWorkspace(inner));
        }
        QVERIFY2(createWorkspace(tmp.filePath(QStringLiteral("beside")), &error), qPrintable(error));
    }

    void openRefusesWhatIsNotAWorkspace_data()
    {
        QTest::addColumn<QByteArray>("content"); // raw bytes of custody.db, or SQL when it starts with "SQL:"
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain text") << QByteArray("hello, this is not a database at all, just some words\n").repeated(100)
                                    << QStringLiteral("not an SQLite database");
        QTest::newRow("other application") << QByteArray("SQL:CREATE TABLE t(x); INSERT INTO t VALUES (1);")
                                           << QStringLiteral("another application");
        QTest::newRow("newer schema") << QByteArray("SQL:PRAGMA application_id = 1129665364; PRAGMA user_version = 99;")
                                      << QStringLiteral("newer Custody (schema 99");
    }

    void openRefusesWhatIsNotAWorkspace()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        QTemporaryDir tmp;
        const QString db = Workspace::databasePath(tmp.path());
        if (content.startsWith("SQL:"))
            makeDatabase(tmp.path(), content.mid(4).constData());
        else
            QVERIFY(test::writeFile(db, content));
        const QByteArray before = fileHash(db);
        QString error;
        QVERIFY(!openWorkspace(tmp.path(), &error));
        QVERIFY2(error.contains(expected), qPrintable(error));
        QVERIFY2(error.contains(db), "the message names the file");
        QCOMPARE(fileHash(db), before); // nothing was changed
        QVERIFY(!QFile::exists(db + QStringLiteral("-wal")));
    }

    void openReportsACorruptDatabase()
    {
        QTemporaryDir tmp;
        QString error;
        {
            auto ws = createWorkspace(tmp.path(), &error);
            QVERIFY(ws);
            QVERIFY(ws->db().exec("CREATE TABLE filler(x); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n "
                                  "WHERE i < 2000) INSERT INTO filler SELECT randomblob(200) FROM n;"
                                  "PRAGMA wal_checkpoint(TRUNCATE);", &error));
        }
        const QString db = Workspace::databasePath(tmp.path());
        QFile f(db);
        QVERIFY(f.open(QIODevice::ReadWrite));
        f.seek(0); // wreck the header and the schema page
        f.write(QByteArray(3000, '\x5a'));
        f.close();
        QVERIFY(!openWorkspace(tmp.path(), &error));
        QVERIFY2(error.contains(QStringLiteral("not an SQLite database")) || error.contains(QStringLiteral("corrupt")),
                 qPrintable(error));
    }

    void openRefusesFoldersWithoutDatabase()
    {
        QTemporaryDir tmp;
        QString error;
        QVERIFY(!openWorkspace(tmp.path(), &error));
        QVERIFY2(error.contains(QStringLiteral("has no custody.db")), qPrintable(error));
        QVERIFY(!openWorkspace(tmp.filePath(QStringLiteral("missing")), &error));
        QVERIFY2(error.contains(QStringLiteral("no such folder")), qPrintable(error));
    }

    void olderSchemaIsMigratedForward()
    {
        QTemporaryDir tmp;
        makeDatabase(tmp.path(), "PRAGMA application_id = 1129665364; PRAGMA user_version = 0;");
        QString error;
        auto ws = openWorkspace(tmp.path(), &error);
        QVERIFY2(ws, qPrintable(error));
        QCOMPARE(ws->db().queryInt("PRAGMA user_version", &error).value_or(-1), qint64(Workspace::kSchemaVersion));
        QVERIFY(ws->versions(&error).isEmpty());
        QVERIFY(error.isEmpty());
    }

    void versionRefParsing()
    {
        QCOMPARE(VersionRef::parse(QStringLiteral("train@v3"))->dataset, QStringLiteral("train"));
        QCOMPARE(VersionRef::parse(QStringLiteral("train@v3"))->label, QStringLiteral("v3"));
        QVERIFY(!VersionRef::parse(QStringLiteral("train")));
        QVERIFY(!VersionRef::parse(QStringLiteral("a@b@c")));
        QVERIFY(!VersionRef::parse(QStringLiteral("@v1")));
    }
};

QTEST_GUILESS_MAIN(TestWorkspace)
#include "TestWorkspace.moc"
