// .npy and IDX files whose declared sizes lie: each must end in a clear error naming the file, before anything
// large is allocated (formats/InputLimits.h). Before the caps, these crashed, threw bad_alloc or were accepted.
#include "ReaderHarness.h"
#include "formats/ContentCodec.h"
#include "formats/ContentDisplay.h"
#include "formats/IdxFile.h"
#include "formats/IdxReader.h"
#include "formats/InputLimits.h"
#include "formats/NpyFile.h"
#include "formats/NpyReader.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace custody;
using namespace custody::test;

namespace {

// A .npy file of `descr` in the given order whose header declares `shape` (as text), whatever `data` holds.
QByteArray npyShape(const QByteArray &descr, const QByteArray &shape, bool fortran, const QByteArray &data = QByteArray(64, '\0'))
{
    return npyFile("{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape + ", }", data);
}

QByteArray idxHeader(unsigned char type, const QList<quint32> &dims)
{
    QByteArray out;
    out += char(0);
    out += char(0);
    out += char(type);
    out += char(dims.size());
    for (quint32 d : dims)
        for (int shift = 24; shift >= 0; shift -= 8)
            out += char((d >> shift) & 0xff);
    return out;
}

} // namespace

class TestHostileArrays : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString openNpy(const QByteArray &bytes, const QString &name = QStringLiteral("hostile.npy"))
    {
        const QString path = writeTemp(m_dir, name, bytes);
        NpyFile file;
        QString error;
        if (file.open(path, &error))
            return QStringLiteral("opened");
        return error.startsWith(path) ? error.mid(path.size()) : QStringLiteral("unnamed: ") + error;
    }

private Q_SLOTS:
    void npyHugeHeaderLength()
    {
        // A version-2 header declaring 0xFFFFFFF0 bytes: refused before the header is allocated.
        QByteArray bytes = QByteArray("\x93NUMPY\x02\x00\xf0\xff\xff\xff", 12) + "{'descr': '<f8', 'shape': (1,), }\n";
        QCOMPARE(openNpy(bytes), QStringLiteral(": .npy header of 4294967280 bytes, more than the 1024 KiB limit"));
        // Within the cap but longer than the file: truncated, still before allocating.
        bytes[10] = '\x00';
        bytes[11] = '\x00';
        bytes[9] = '\x01';
        QCOMPARE(openNpy(bytes), QStringLiteral(": truncated .npy header"));
    }

    void npyShapes_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("message");
        // rows * cols * itemsize wrapped to 0, then rows were copied out of bounds (SIGSEGV).
        QTest::newRow("fortran (2^62, 4) u1") << npyShape("|u1", "(4611686018427387904, 4)", true)
                                              << ": shape (4611686018427387904, 4) of |u1 declares more data than any file can hold";
        // Allocated whole before the size check (bad_alloc).
        QTest::newRow("fortran (10^12, 2) f8") << npyShape("<f8", "(1000000000000, 2)", true) << ": record 1: truncated data";
        // Stored as four "4x0x1" images.
        QTest::newRow("(4, 2^62, 4) u1") << npyShape("|u1", "(4, 4611686018427387904, 4)", false)
                                         << ": shape (4, 4611686018427387904, 4) of |u1 makes records larger than the 16 MiB limit";
        // Reported "record -7".
        QTest::newRow("(2^63-1, 2^63-1) f8") << npyShape("<f8", "(9223372036854775807, 9223372036854775807)", false)
                                             << ": shape (9223372036854775807, 9223372036854775807) of <f8 makes records larger than the 16 MiB limit";
        QTest::newRow("C order (2^62, 4) u1") << npyShape("|u1", "(4611686018427387904, 4)", false)
                                              << ": shape (4611686018427387904, 4) of |u1 declares more data than any file can hold";
        QTest::newRow("(2^40, 2) f8") << npyShape("<f8", "(1099511627776, 2)", false) << ": record 5: truncated data";
        QTest::newRow("rows of nothing") << npyShape("|u1", "(9223372036854775807, 0, 3)", false)
                                         << ": shape (9223372036854775807, 0, 3) makes records of no values";
        QTest::newRow("33 dimensions") << npyShape("|u1", "(" + QByteArray("1, ").repeated(32) + "1)", false)
                                       << ": 33 dimensions, more than the 32 allowed";
    }
    void npyShapes()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, message);
        QCOMPARE(openNpy(bytes), message);
        // The record reader says the same (it opens the same NpyFile).
        const QString path = writeTemp(m_dir, QStringLiteral("reader.npy"), bytes);
        NpyReader reader(path, {});
        const ReadResult r = readAll(reader);
        QVERIFY(!r.opened);
        QCOMPARE(r.error, path + message);
    }

    void npyFortranBeyondTheLoadCap()
    {
        // A sparse file really holding 600 MiB of Fortran-order data: more than may be loaded whole.
        const QString path = writeTemp(m_dir, QStringLiteral("wide-fortran.npy"), npyShape("|u1", "(314572800, 2)", true, QByteArray()));
        QFile file(path);
        QVERIFY(file.resize(file.size() + (qint64(600) << 20)));
        NpyFile npy;
        QString error;
        QVERIFY(!npy.open(path, &error));
        QVERIFY2(error.contains(QStringLiteral("a Fortran-order array of 600 MiB, more than the 512 MiB")), qPrintable(error));
    }

    void idxShapes_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("gzip");
        QTest::addColumn<QString>("message");
        QTest::newRow("huge record") << idxHeader(0x08, {2, 65535, 65535, 65535}) + QByteArray(64, '\0') << false
                                     << ": shape (2, 65535, 65535, 65535) of ubyte makes records larger than the 16 MiB limit";
        QTest::newRow("huge record gzip") << idxHeader(0x08, {2, 65535, 65535, 65535}) + QByteArray(64, '\0') << true
                                          << ": shape (2, 65535, 65535, 65535) of ubyte makes records larger than the 16 MiB limit";
        QTest::newRow("overflowing shape") << idxHeader(0x0E, {1, 0xffffffff, 0xffffffff, 0xffffffff}) << true
                                           << ": shape (1, 4294967295, 4294967295, 4294967295) of double makes records larger than the 16 MiB limit";
        QTest::newRow("truncated") << idxHeader(0x08, {100000, 28, 28}) + QByteArray(1000, '\0') << false << ": record 2: truncated data";
        QTest::newRow("rows of nothing") << idxHeader(0x08, {0xffffffff, 0, 28}) << false
                                         << ": shape (4294967295, 0, 28) makes records of no values";
    }
    void idxShapes()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, gzip);
        QFETCH(QString, message);
        const QString path = writeTemp(m_dir, QStringLiteral("hostile-idx"), gzip ? gzipped(bytes) : bytes);
        IdxFile file;
        QString error;
        QVERIFY(!file.open(path, &error));
        QCOMPARE(error, path + message);
    }

    void idxGzipBomb()
    {
        // Zeros compress as well as anything can (about 1030:1), and a file of them is still accepted. But a header
        // declaring 2^32-1 images cannot be backed by a small gzip file: refused before reading.
        const QByteArray honest = idxHeader(0x08, {10000, 28, 28}) + QByteArray(10000 * 28 * 28, '\0');
        const QString fine = writeTemp(m_dir, QStringLiteral("zeros-idx.gz"), gzipped(honest));
        IdxFile ok;
        QString error;
        QVERIFY2(ok.open(fine, &error), qPrintable(error));

        const QByteArray bomb = gzipped(idxHeader(0x08, {0xffffffff, 28, 28}) + QByteArray(28 * 28, '\0'));
        const QString path = writeTemp(m_dir, QStringLiteral("bomb-idx.gz"), bomb);
        IdxFile file;
        QVERIFY(!file.open(path, &error));
        QCOMPARE(error, QStringLiteral("%1: shape (4294967295, 28, 28) declares 3367254359280 bytes, more than a gzip file of %2 bytes can hold")
                            .arg(path).arg(bomb.size()));
    }

    void contentImageSizeCannotWrap()
    {
        // Stored record content: an image of 2^31 x 2^31 x 4 wrapped its byte count to 0 and passed for an empty
        // image whose pixels the readers would then walk.
        const QByteArray wrapped = QByteArray("\x03\x00\x00\x00\x80\x00\x00\x00\x80\x04", 10);
        ContentDecoder decoder(std::string_view(wrapped.constData(), size_t(wrapped.size())));
        DecodedValue value;
        QVERIFY(!decoder.next(&value));
        QVERIFY(decoder.malformed());
    }

    void contentImageWithoutChannels()
    {
        // Found by fuzz_content: a 65536x768 image of 0 channels holds no bytes, and contentImage() copied 65536*768*4
        // bytes out of it (heap-buffer-overflow). Kept as tests/fuzz/corpus/content/regress-zero-channels.
        const QByteArray bytes = QByteArray("\x03\x00\x00\x01\x00\x00\x03\x00\x00\x00", 10);
        ContentDecoder decoder(std::string_view(bytes.constData(), size_t(bytes.size())));
        DecodedValue value;
        QVERIFY(!decoder.next(&value));
        QVERIFY(decoder.malformed());
        QVERIFY(contentImage(std::string_view(bytes.constData(), size_t(bytes.size()))).isNull());
    }

    void embeddingsPathRefusesTheSame()
    {
        // The ingest's --embeddings reads through NpyFile::readRow: the same refusals apply before any row.
        NpyFile file;
        QString error;
        const QString path = writeTemp(m_dir, QStringLiteral("emb.npy"), npyShape("<f4", "(4611686018427387904, 4)", true));
        QVERIFY(!file.open(path, &error));
        QVERIFY2(error.startsWith(path + QStringLiteral(": shape (4611686018427387904, 4)")), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestHostileArrays)
#include "TestHostileArrays.moc"
