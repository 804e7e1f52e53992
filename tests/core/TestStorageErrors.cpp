#include "storage/Database.h"
#include "storage/FileWrite.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/resource.h>

using namespace custody;

// What a person reads when a write cannot happen (issue 11): a full disk says so, in the object store's file
// writes and in SQLite's, and a lock still held after the busy timeout names the other writer.
class TestStorageErrors : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fullDiskNamedOnFileWrites_data()
    {
        QTest::addColumn<int>("size");
        QTest::newRow("buffered") << 100;     // stays in Qt's buffer until the flush
        QTest::newRow("chunk") << (1 << 20);  // the object store's chunk, written through
    }

    void fullDiskNamedOnFileWrites()
    {
        QFETCH(int, size);
        // /dev/full fails every write with ENOSPC, as a full file system does.
        QFile full(QStringLiteral("/dev/full"));
        if (!full.open(QIODevice::WriteOnly))
            QSKIP("no /dev/full on this system");
        const QByteArray bytes(size, 'x');
        QString error;
        QVERIFY(!writeFully(full, bytes.constData(), bytes.size(), &error));
        QVERIFY2(error.contains(QLatin1String("/dev/full: cannot write (no space left on device)")), qPrintable(error));
    }

    void fullDatabaseSaysNoSpace()
    {
        QTemporaryDir dir;
        Database db;
        QString error;
        QVERIFY2(db.open(dir.filePath(QStringLiteral("t.db")), Database::Mode::Create, &error), qPrintable(error));
        QVERIFY2(db.exec("CREATE TABLE t(x BLOB); PRAGMA max_page_count = 8;", &error), qPrintable(error));
        bool full = false;
        for (int i = 0; i < 64 && !full; ++i)
            full = !db.exec("INSERT INTO t VALUES (zeroblob(4096))", &error);
        QVERIFY(full);
        QVERIFY2(error.startsWith(QLatin1String("no space left on device")), qPrintable(error));
    }

    // A file-size limit (ulimit -f) fails SQLite's writes with EFBIG, which it reports as "disk I/O error"
    // alone: the limit is named (campaign 8).
    void fileSizeLimitIsNamed()
    {
        QTemporaryDir dir;
        Database db;
        QString error;
        QVERIFY2(db.open(dir.filePath(QStringLiteral("t.db")), Database::Mode::Create, &error), qPrintable(error));
        QVERIFY2(db.exec("PRAGMA journal_mode = DELETE; CREATE TABLE t(x BLOB);", &error), qPrintable(error));
        rlimit before{};
        QVERIFY(::getrlimit(RLIMIT_FSIZE, &before) == 0);
        const auto previous = ::signal(SIGXFSZ, SIG_IGN); // the write then fails with EFBIG instead of killing us
        rlimit capped = before;
        capped.rlim_cur = 64 * 1024;
        QVERIFY(::setrlimit(RLIMIT_FSIZE, &capped) == 0);
        const bool ok = db.exec("INSERT INTO t VALUES (zeroblob(1048576))", &error);
        ::setrlimit(RLIMIT_FSIZE, &before);
        ::signal(SIGXFSZ, previous);
        QVERIFY(!ok);
        QVERIFY2(error.contains(QLatin1String("this process may not write files over 65536 bytes (a file-size limit")), qPrintable(error));
    }

    void lockedTooLongNamesTheOtherWriter()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("t.db"));
        Database holder, waiter;
        QString error;
        QVERIFY(holder.open(path, Database::Mode::Create, &error) && holder.exec("PRAGMA journal_mode = WAL; CREATE TABLE t(x)", &error));
        QVERIFY(waiter.open(path, Database::Mode::ReadWrite, &error));
        Transaction held(holder);
        QVERIFY(held.begin(&error));
        waiter.setBusyTimeout(50);
        Transaction waiting(waiter);
        QVERIFY(!waiting.begin(&error));
        QVERIFY2(error.startsWith(QLatin1String("the workspace is busy: another Custody process is writing; try again")),
                 qPrintable(error));
    }

    void writersWaitLongerThanReaders()
    {
        // A signed step on a big workspace, or an ingest, holds the lock for a while: writers queue behind it.
        QVERIFY(Database::kWriterBusyTimeoutMs >= 60000);
        QVERIFY(Database::kReaderBusyTimeoutMs < Database::kWriterBusyTimeoutMs);
    }
};

QTEST_GUILESS_MAIN(TestStorageErrors)
#include "TestStorageErrors.moc"
