#include "SignedWorkspace.h"
#include "TestSupport.h"
#include "storage/Database.h"
#include "workflow/Verifier.h"
#include "ledger/SignOff.h"
#include "storage/Workspace.h"
#include "workflow/OpenWorkspace.h"

#include <QDir>
#include <QDirIterator>

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace custody;

// The tamper campaign: one byte of one column of one event, changed with plain SQL, must always be reported;
// so must removing the newest events or restoring an older copy of the database, against the checkpoint this
// user remembered.
class TestLedgerTamper : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QString m_pristine; // custody.db of the sample workspace, checkpointed and closed
    qint64 m_events = 0;
    int m_case = 0;

    // A fresh copy of the sample workspace: its database file and its object store.
    QString copyWorkspace()
    {
        const QString dir = m_tmp.filePath(QStringLiteral("case%1").arg(++m_case));
        QDir().mkpath(dir);
        QFile::copy(m_pristine, Workspace::databasePath(dir));
        const QString objects = m_tmp.filePath(QStringLiteral("sample/objects"));
        QDirIterator it(objects, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString from = it.next();
            const QString to = dir + QStringLiteral("/objects/") + QDir(objects).relativeFilePath(from);
            QDir().mkpath(QFileInfo(to).path());
            QFile::copy(from, to);
        }
        return dir;
    }

    static VerifyReport verify(const QString &dir)
    {
        QString e;
        auto ws = openWorkspace(dir, &e, Workspace::Access::ReadOnly);
        VerifyReport report;
        if (!ws)
            report.problems.append(VerifyProblem{QStringLiteral("open"), e});
        else if (!Verifier::run(*ws, &report, &e))
            report.problems.append(VerifyProblem{QStringLiteral("verify"), e});
        return report;
    }

private Q_SLOTS:
    void initTestCase()
    {
        setRememberedCheckpointDirectory(QString()); // the campaign tests what verify finds on its own
        QString e;
        const QString dir = m_tmp.filePath(QStringLiteral("sample"));
        {
            auto ws = test::makeSignedWorkspace(dir, m_tmp.path(), &e);
            QVERIFY2(ws, qPrintable(e));
            QVERIFY(ws->db().exec("PRAGMA wal_checkpoint(TRUNCATE)", &e));
            m_events = ws->db().queryInt("SELECT count(*) FROM event", &e).value_or(0);
        }
        QVERIFY(m_events >= 12);
        m_pristine = m_tmp.filePath(QStringLiteral("pristine.db"));
        QVERIFY(QFile::copy(Workspace::databasePath(dir), m_pristine));
        const VerifyReport clean = verify(copyWorkspace());
        QVERIFY2(clean.ok(), qPrintable(clean.problems.value(0).message));
    }

    void everyByteOfEveryEventIsGuarded_data()
    {
        QTest::addColumn<qint64>("seq");
        QTest::addColumn<QString>("column");
        for (qint64 seq = 1; seq <= m_events; ++seq)
            for (const char *column : {"seq", "time", "actor", "type", "payload", "prev_hash", "signature", "hash"})
                QTest::addRow("event %lld %s", seq, column) << seq << QString::fromLatin1(column);
    }

    void everyByteOfEveryEventIsGuarded()
    {
        QFETCH(qint64, seq);
        QFETCH(QString, column);
        const QString dir = copyWorkspace();
        {
            Database db;
            QString e;
            QVERIFY(db.open(Workspace::databasePath(dir), Database::Mode::ReadWrite, &e));
            Statement read(db, QStringLiteral("SELECT %1 FROM event WHERE seq = ?1").arg(column).toUtf8().constData());
            QVERIFY(read.bind(1, seq).step());
            QByteArray value = read.columnBlob(0);
            const bool integer = column == QLatin1String("seq");
            const bool blob = read.columnIsBlob(0);
            read.reset();
            // One byte changes: flip a bit in the middle of the value (or give an empty value one byte).
            if (value.isEmpty())
                value = "x";
            else
                value[value.size() / 2] = char(value[value.size() / 2] ^ 0x01);
            Statement write(db, QStringLiteral("UPDATE event SET %1 = ?1 WHERE seq = ?2").arg(column).toUtf8().constData());
            if (integer)
                write.bind(1, seq + 1000);
            else if (blob)
                write.bindBlob(1, value);
            else
                write.bind(1, QString::fromUtf8(value));
            write.bind(2, seq);
            QVERIFY2(write.run(&e), qPrintable(e));
        }
        const VerifyReport report = verify(dir);
        QVERIFY2(!report.ok(), "the change went unnoticed");
    }

    void truncationAndRollbackAreCaughtByTheRememberedCheckpoint()
    {
        const QString checkpoints = m_tmp.filePath(QStringLiteral("checkpoints"));
        setRememberedCheckpointDirectory(checkpoints);
        const QString dir = copyWorkspace();
        QString e;
        const QString older = m_tmp.filePath(QStringLiteral("older.db"));
        {
            auto ws = openWorkspace(dir, &e);
            QVERIFY(ws);
            QVERIFY(ws->integrityProblem().isEmpty());
            QVERIFY(ws->db().exec("PRAGMA wal_checkpoint(TRUNCATE)", &e));
            QVERIFY(QFile::copy(Workspace::databasePath(dir), older)); // a copy someone keeps
            QVERIFY(ws->db().exec("INSERT INTO meta VALUES ('note', 'x')", &e)); // harmless write
        } // closing remembers the ledger as this user saw it
        // Append one more event through the core, then close (remembered again).
        {
            auto ws = openWorkspace(dir, &e);
            SigningKey cora = test::seedKey(2);
            QVERIFY2(SignOff(*ws).decide(cora, VersionRef{QStringLiteral("t"), QStringLiteral("v1")}, QStringLiteral("r1"),
                                         QStringLiteral("keep"), {}, {}, &e), qPrintable(e));
        }
        // 1. Delete the newest event.
        {
            Database db;
            QVERIFY(db.open(Workspace::databasePath(dir), Database::Mode::ReadWrite, &e));
            QVERIFY(db.exec("DELETE FROM event WHERE seq = (SELECT max(seq) FROM event)", &e));
        }
        {
            auto ws = openWorkspace(dir, &e);
            QVERIFY(ws);
            QVERIFY2(ws->integrityProblem().contains(QStringLiteral("truncated or rolled back")), qPrintable(ws->integrityProblem()));
            QVERIFY(ws->isReadOnly());
        }
        // 2. Restore the older copy of the database file.
        QFile::remove(Workspace::databasePath(dir));
        QFile::remove(Workspace::databasePath(dir) + QStringLiteral("-wal"));
        QFile::remove(Workspace::databasePath(dir) + QStringLiteral("-shm"));
        QVERIFY(QFile::copy(older, Workspace::databasePath(dir)));
        {
            auto ws = openWorkspace(dir, &e);
            QVERIFY(ws);
            QVERIFY2(!ws->integrityProblem().isEmpty(), "an older copy went unnoticed");
            VerifyReport report;
            QVERIFY(Verifier::run(*ws, &report, &e));
            QVERIFY(!report.ok());
        }
        setRememberedCheckpointDirectory(QString());
    }

    void forgedSignatureAndUnregisteredSignerAreNamed()
    {
        const QString dir = copyWorkspace();
        QString e;
        {
            Database db;
            QVERIFY(db.open(Workspace::databasePath(dir), Database::Mode::ReadWrite, &e));
            // Re-sign event 7 with a key nobody registered, fixing up its hash and the next event's link, as
            // someone with write access but without the curator's key would have to.
            Statement read(db, "SELECT payload FROM event WHERE seq = 7");
            QVERIFY(read.step());
            const QByteArray payload = read.columnBlob(0);
            read.reset();
            const SigningKey mallory = test::seedKey(9);
            const QByteArray sig = mallory.sign(QByteArray("DSSEv1 41 application/vnd.custody.ledger-event+json ")
                                                + QByteArray::number(payload.size()) + ' ' + payload);
            Statement write(db, "UPDATE event SET signature = ?1 WHERE seq = 7");
            QVERIFY(write.bindBlob(1, sig).run(&e));
        }
        const VerifyReport report = verify(dir);
        bool named = false;
        for (const VerifyProblem &p : report.problems)
            named = named || (p.subject == QLatin1String("ledger event 7") && p.message.contains(QStringLiteral("signature")));
        QVERIFY2(named, qPrintable(report.problems.value(0).subject + QStringLiteral(": ") + report.problems.value(0).message));
    }
};

QTEST_GUILESS_MAIN(TestLedgerTamper)
#include "TestLedgerTamper.moc"
