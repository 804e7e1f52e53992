// Text sources, passphrase files, images and signed artefacts that are too long, too wide or endless: each must
// end quickly in a clear error naming the file (and line), with memory within the caps of formats/InputLimits.h.
#include "ReaderHarness.h"
#include "formats/CsvReader.h"
#include "formats/ImageFolderReader.h"
#include "formats/InputLimits.h"
#include "formats/JsonLinesReader.h"
#include "formats/LabelsFile.h"
#include "identity/Checkpoint.h"
#include "identity/Dsse.h"
#include "identity/EncryptedKeyFile.h"
#include "identity/PassphraseSource.h"

#include <QBuffer>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/resource.h>

using namespace custody;
using namespace custody::test;

namespace {

// Peak resident memory of this process so far, in MiB.
long peakMiB()
{
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024;
}

// Writes `repeat` copies of `chunk` after `prefix`, without holding the whole file in memory.
QString writeRepeated(const QTemporaryDir &dir, const QString &name, const QByteArray &prefix, const QByteArray &chunk, int repeat)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    f.write(prefix);
    for (int i = 0; i < repeat; ++i)
        f.write(chunk);
    return path;
}

quint32 crc32(const QByteArray &bytes)
{
    quint32 crc = 0xffffffffu;
    for (char c : bytes) {
        crc ^= quint8(c);
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

QByteArray bigEndian32(quint32 v)
{
    QByteArray out;
    for (int shift = 24; shift >= 0; shift -= 8)
        out += char((v >> shift) & 0xff);
    return out;
}

QByteArray pngChunk(const QByteArray &type, const QByteArray &data)
{
    return bigEndian32(quint32(data.size())) + type + data + bigEndian32(crc32(type + data));
}

// A PNG declaring width x height 8-bit greyscale, with a few bytes of pixel data.
QByteArray pngHeader(quint32 width, quint32 height)
{
    return QByteArray("\x89PNG\r\n\x1a\n", 8)
        + pngChunk("IHDR", bigEndian32(width) + bigEndian32(height) + QByteArray("\x08\x00\x00\x00\x00", 5))
        + pngChunk("IDAT", QByteArray("\x78\x9c\x63\x00\x00\x00\x01\x00\x01", 9)) + pngChunk("IEND", QByteArray());
}

QString csvError(const QString &path)
{
    CsvReader reader(path, ',', {});
    return readAll(reader).error;
}

} // namespace

class TestHostileText : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    // `size` zero bytes and no newline, as a sparse file (no disk space used).
    QString sparseZeros(const QString &name, qint64 size) const
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || !f.resize(size))
            qFatal("cannot make %s", qPrintable(path));
        return path;
    }

private Q_SLOTS:
    void csvHundredMegabytesOfCommas()
    {
        // One line of 100 MB of commas used to abort after 3.4 GB per 50 MB; now the field cap stops it at once.
        const QString path = writeRepeated(m_dir, QStringLiteral("commas.csv"), QByteArray(), QByteArray(1 << 20, ','), 100);
        const long before = peakMiB();
        QElapsedTimer timer;
        timer.start();
        QCOMPARE(csvError(path), QStringLiteral("%1:1: more than 65536 fields in one row").arg(path));
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
        QVERIFY2(peakMiB() - before < 256, qPrintable(QStringLiteral("%1 MiB more").arg(peakMiB() - before)));
    }

    void csvLongLineAndField()
    {
        // Past the header, a record longer than the line cap names its line.
        const QString line = writeRepeated(m_dir, QStringLiteral("long.csv"), "a,b\n1,2\n3,", QByteArray(1 << 20, 'x'), 17);
        QCOMPARE(csvError(line), QStringLiteral("%1:3: a line longer than 16 MiB (is this a text file?)").arg(line));
        const QString field = writeRepeated(m_dir, QStringLiteral("field.csv"), "a,b\n1,\"", QByteArray(1 << 20, 'y'), 5);
        QFile append(field);
        QVERIFY(append.open(QIODevice::Append));
        append.write("\"\n");
        append.close();
        QCOMPARE(csvError(field), QStringLiteral("%1:2: field 2 is longer than 4 MiB").arg(field));
    }

    void csvWideButFine()
    {
        // Escaped fields in a wide row come back whole (they share one buffer now).
        QByteArray header, row;
        for (int i = 0; i < 300; ++i) {
            header += (i ? "," : "") + QByteArray("c") + QByteArray::number(i);
            row += (i ? "," : "") + QByteArray("\"v\"\"") + QByteArray::number(i) + "\"";
        }
        CsvReader reader(writeTemp(m_dir, QStringLiteral("wide.csv"), header + "\n" + row + "\n" + row + "\n"), ',', {});
        const ReadResult r = readAll(reader);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.records.size(), size_t(2));
        const QStringList values = renderValues(r.records[1].content);
        QCOMPARE(values.size(), 300);
        QCOMPARE(values.front(), QStringLiteral("s:v\"0"));
        QCOMPARE(values.back(), QStringLiteral("s:v\"299"));
    }

    void devZero_data()
    {
        QTest::addColumn<QString>("format");
        QTest::newRow("csv") << "csv";
        QTest::newRow("tsv") << "tsv";
        QTest::newRow("jsonl") << "jsonl";
        QTest::newRow("labels") << "labels";
    }
    void devZero()
    {
        // A file of 20 MiB of zero bytes and no newline (sparse: no disk used) ends at the line cap, quickly;
        // /dev/zero itself is refused before any byte is read, as a device.
        QFETCH(QString, format);
        const QString zeros = sparseZeros(QStringLiteral("zeros.") + format, qint64(20) << 20);
        for (const QString &path : {zeros, QStringLiteral("/dev/zero")}) {
            QElapsedTimer timer;
            timer.start();
            QString error;
            if (format == QLatin1String("labels")) {
                LabelsFile labels;
                QVERIFY(!labels.open(path, &error));
            } else if (format == QLatin1String("jsonl")) {
                JsonLinesReader reader(path, {});
                error = readAll(reader).error;
            } else {
                CsvReader reader(path, format == QLatin1String("csv") ? ',' : '\t', {});
                error = readAll(reader).error;
            }
            QCOMPARE(error, path == zeros ? QStringLiteral("%1:1: a line longer than 16 MiB (is this a text file?)").arg(path)
                                          : QStringLiteral("/dev/zero: is a device, not a file"));
            QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
        }
    }

    void csvLabelsFromDevZero()
    {
        // --labels FILE of zeros beside a good CSV, and --labels /dev/zero.
        const QString csv = writeTemp(m_dir, QStringLiteral("ok.csv"), "a\n1\n");
        const QString zeros = sparseZeros(QStringLiteral("labels-zeros"), qint64(20) << 20);
        for (const QString &path : {zeros, QStringLiteral("/dev/zero")}) {
            ReaderOptions options;
            options.labelsFile = path;
            CsvReader reader(csv, ',', options);
            QCOMPARE(readAll(reader).error, path == zeros ? QStringLiteral("%1:1: a line longer than 16 MiB (is this a text file?)").arg(path)
                                                          : QStringLiteral("/dev/zero: is a device, not a file"));
        }
    }

    void jsonLinesTooManyKeys()
    {
        QByteArray object = "{";
        for (int i = 0; i <= int(limits::kMaxFields); ++i)
            object += (i ? ",\"k" : "\"k") + QByteArray::number(i) + "\":1";
        object += "}\n";
        const QString path = writeTemp(m_dir, QStringLiteral("keys.jsonl"), object);
        JsonLinesReader reader(path, {});
        QCOMPARE(readAll(reader).error, QStringLiteral("%1:1: more than 65536 keys in one object").arg(path));
    }

    void passphraseFromDevZero()
    {
        // Used to hang: the reader kept reading past the cap looking for a newline. A file of zeros ends at the
        // cap; /dev/zero is refused as a device.
        QElapsedTimer timer;
        timer.start();
        QString error;
        const QString zeros = sparseZeros(QStringLiteral("pass-zeros"), 1 << 20);
        QVERIFY(!PassphraseSource::readPassphraseFile(zeros, &error));
        QCOMPARE(error, QStringLiteral("passphrase file %1 has a first line longer than 4096 bytes").arg(zeros));
        QVERIFY(!PassphraseSource::readPassphraseFile(QStringLiteral("/dev/zero"), &error));
        QCOMPARE(error, QStringLiteral("cannot read passphrase file /dev/zero: is a device, not a file"));
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
    }

    void imageDeclaringHugeSize()
    {
        // A 66-byte PNG declaring 100000 x 100000 pixels is refused from its header, before any pixel.
        QByteArray png = pngHeader(100000, 100000);
        QBuffer buffer(&png);
        QVERIFY(buffer.open(QIODevice::ReadOnly));
        QImage image;
        int channels = 0;
        QString error;
        QVERIFY(!ImageFolderReader::decodeImage(&buffer, QStringLiteral("cat/huge.png"), &image, &channels, &error));
        QCOMPARE(error, QStringLiteral("cat/huge.png: image of 100000x100000 pixels, more than the 16384 allowed on a side"));
        QVERIFY(image.isNull());
    }

    void signedArtefactsTooLarge()
    {
        QString error;
        const QByteArray envelope = "{\"payload\":\"" + QByteArray((64 << 20) + 4, 'A') + "\",\"payloadType\":\"t\",\"signatures\":[]}";
        QVERIFY(!Dsse::Envelope::fromJson(envelope, &error));
        QCOMPARE(error, QStringLiteral("DSSE envelope is larger than 64 MiB"));

        QByteArray many = "{\"payload\":\"\",\"payloadType\":\"t\",\"signatures\":[";
        for (int i = 0; i < 101; ++i)
            many += (i ? "," : "") + QByteArray("{\"sig\":\"AAAA\"}");
        many += "]}";
        QVERIFY(!Dsse::Envelope::fromJson(many, &error));
        QCOMPARE(error, QStringLiteral("DSSE envelope has 101 signatures; at most 100 are allowed"));

        QVERIFY(!Checkpoint::parse("origin\n1\n" + QByteArray(1 << 20, 'x') + "\n", &error));
        QCOMPARE(error, QStringLiteral("checkpoint is larger than 1048576 bytes"));

        const EncryptedKeyFile::Decrypted d =
            EncryptedKeyFile::decrypt("-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + QByteArray(2 << 20, 'A'), "pass",
                                      EncryptedKeyFile::Policy::AcceptAnyScrypt);
        QCOMPARE(d.status, EncryptedKeyFile::Status::Damaged);
        QCOMPARE(d.detail, QStringLiteral("larger than 1 MiB, too large for a key file"));
    }
};

QTEST_GUILESS_MAIN(TestHostileText)
#include "TestHostileText.moc"
