#include "TestSupport.h"
#include "identity/PassphraseSource.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <poll.h>
#include <thread>
#include <unistd.h>

using namespace custody;

namespace {

QByteArray readUntil(int fd, const QByteArray &needle, int ms)
{
    QByteArray out;
    QElapsedTimer timer;
    timer.start();
    while (!out.contains(needle) && timer.elapsed() < ms) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 50) > 0) {
            char buf[256];
            const ssize_t n = ::read(fd, buf, sizeof buf);
            if (n > 0)
                out.append(buf, n);
        }
    }
    return out;
}

} // namespace

// Where a passphrase comes from on the command line: the first line of a file, or a terminal that does not echo
// it; and wiping it from memory afterwards.
class TestPassphraseSource : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;

private Q_SLOTS:
    void passphraseFile_data()
    {
        QTest::addColumn<QByteArray>("contents");
        QTest::addColumn<QByteArray>("passphrase");
        QTest::addColumn<QString>("error");
        QTest::newRow("line") << QByteArray("s3cret words\n") << QByteArray("s3cret words") << QString();
        QTest::newRow("no newline") << QByteArray("s3cret") << QByteArray("s3cret") << QString();
        QTest::newRow("first line only") << QByteArray("s3cret\nsecond\n") << QByteArray("s3cret") << QString();
        QTest::newRow("crlf") << QByteArray("s3cret\r\n") << QByteArray("s3cret") << QString();
        QTest::newRow("keeps spaces") << QByteArray(" s3cret \n") << QByteArray(" s3cret ") << QString();
        QTest::newRow("empty file") << QByteArray() << QByteArray() << QStringLiteral("passphrase file %1 is empty (the passphrase is its first line)");
        QTest::newRow("empty line") << QByteArray("\nsecond\n") << QByteArray() << QStringLiteral("passphrase file %1 is empty (the passphrase is its first line)");
    }

    void passphraseFile()
    {
        QFETCH(QByteArray, contents);
        QFETCH(QByteArray, passphrase);
        QFETCH(QString, error);
        const QString path = m_tmp.filePath(QStringLiteral("pass.txt"));
        QVERIFY(test::writeFile(path, contents));
        QString actual;
        const auto read = PassphraseSource::readPassphraseFile(path, &actual);
        if (error.isEmpty()) {
            QVERIFY2(read, qPrintable(actual));
            QCOMPARE(*read, passphrase);
        } else {
            QVERIFY(!read);
            QCOMPARE(actual, error.arg(path));
        }
        QVERIFY(!PassphraseSource::readPassphraseFile(m_tmp.filePath(QStringLiteral("absent.txt")), &actual));
        QVERIFY2(actual.startsWith(QStringLiteral("cannot read passphrase file ")), qPrintable(actual));
    }

    void terminalPrompt_data()
    {
        QTest::addColumn<bool>("confirm");
        QTest::addColumn<QByteArray>("first");
        QTest::addColumn<QByteArray>("second");
        QTest::addColumn<QString>("error");
        QTest::newRow("once") << false << QByteArray("hunter2 horse") << QByteArray() << QString();
        QTest::newRow("confirmed") << true << QByteArray("hunter2 horse") << QByteArray("hunter2 horse") << QString();
        QTest::newRow("mismatch") << true << QByteArray("hunter2 horse") << QByteArray("hunter3 horse") << QStringLiteral("the two passphrases differ");
        QTest::newRow("empty") << false << QByteArray() << QByteArray() << QStringLiteral("the passphrase is empty");
    }

    // A pseudo-terminal stands in for /dev/tty: what is typed must come back, and must not be echoed.
    void terminalPrompt()
    {
        QFETCH(bool, confirm);
        QFETCH(QByteArray, first);
        QFETCH(QByteArray, second);
        QFETCH(QString, error);
        const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
        QVERIFY(master >= 0);
        QVERIFY(::grantpt(master) == 0 && ::unlockpt(master) == 0);
        const QString slave = QString::fromLocal8Bit(::ptsname(master));

        std::optional<QByteArray> result;
        QString actual;
        std::thread reader([&] {
            result = PassphraseSource::readPassphraseFromDevice(slave, QStringLiteral("Passphrase for alice: "), confirm, &actual);
        });
        QByteArray shown = readUntil(master, "Passphrase for alice: ", 5000);
        const bool prompted = shown.contains("Passphrase for alice: ");
        const QByteArray line1 = first + '\n';
        ::write(master, line1.constData(), size_t(line1.size()));
        if (confirm) {
            shown += readUntil(master, "Repeat the passphrase: ", 5000);
            const QByteArray line2 = second + '\n';
            ::write(master, line2.constData(), size_t(line2.size()));
        }
        reader.join();
        shown += readUntil(master, "never printed", 200);
        ::close(master);

        QVERIFY(prompted);
        QVERIFY2(!shown.contains("hunter"), shown.constData());
        if (error.isEmpty()) {
            QVERIFY2(result, qPrintable(actual));
            QCOMPARE(*result, first);
        } else {
            QVERIFY(!result);
            QCOMPARE(actual, error);
        }
    }

    void noTerminal()
    {
        QString error;
        const QString expected = QStringLiteral("no terminal to ask for the passphrase; use --passphrase-file FILE");
        QVERIFY(!PassphraseSource::readPassphraseFromDevice(m_tmp.filePath(QStringLiteral("no-tty")), QStringLiteral("P: "), false, &error));
        QCOMPARE(error, expected);
        // A regular file is not a terminal either.
        QVERIFY(test::writeFile(m_tmp.filePath(QStringLiteral("plain.txt")), "not a terminal\n"));
        QVERIFY(!PassphraseSource::readPassphraseFromDevice(m_tmp.filePath(QStringLiteral("plain.txt")), QStringLiteral("P: "), false, &error));
        QCOMPARE(error, expected);
    }

    void wipeSecretOverwritesTheBuffer()
    {
        QByteArray secret = QByteArray("hunter2 horse").repeated(2);
        const QByteArray sharer = secret; // shares the buffer, as copies made along the way do
        wipeSecret(&secret);
        QVERIFY(secret.isEmpty());
        QCOMPARE(sharer, QByteArray(26, '\0'));
        QByteArray literal = QByteArrayLiteral("read-only literal");
        wipeSecret(&literal); // must not write to read-only memory
        QVERIFY(literal.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestPassphraseSource)
#include "TestPassphraseSource.moc"
