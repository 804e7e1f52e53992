#include "ReaderHarness.h"
#include "formats/ContentCodec.h"
#include "formats/IdxFile.h"
#include "formats/IdxReader.h"
#include "formats/RecordReader.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cstring>

using namespace custody;
using namespace custody::test;

namespace {

// An IDX file: type code, big-endian dimensions, then the already big-endian data.
QByteArray idx(unsigned char type, const QList<quint32> &dims, const QByteArray &data)
{
    QByteArray out;
    out += char(0);
    out += char(0);
    out += char(type);
    out += char(dims.size());
    for (quint32 d : dims) {
        out += char(d >> 24);
        out += char((d >> 16) & 0xff);
        out += char((d >> 8) & 0xff);
        out += char(d & 0xff);
    }
    return out + data;
}

QByteArray bytesUpTo(int n, int offset = 0)
{
    QByteArray out;
    for (int i = 0; i < n; ++i)
        out += char(offset + i);
    return out;
}

template<typename T>
QByteArray bigEndian(std::initializer_list<T> values)
{
    QByteArray out;
    for (T v : values) {
        char b[sizeof(T)];
        std::memcpy(b, &v, sizeof(T));
        std::reverse(b, b + sizeof(T));
        out += QByteArray(b, sizeof(T));
    }
    return out;
}

ReadResult readIdx(const QStringList &paths, const ReaderOptions &options = {})
{
    IdxReader reader(paths, options);
    return readAll(reader);
}

} // namespace

class TestIdxReader : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString write(const QString &name, const QByteArray &bytes, bool gzip = false)
    {
        return writeTemp(m_dir, name, gzip ? test::gzipped(bytes) : bytes);
    }

private Q_SLOTS:
    void imagesAndLabels_data()
    {
        QTest::addColumn<bool>("gzip");
        QTest::addColumn<bool>("labelsFirst");
        QTest::addColumn<bool>("labelsOption");
        QTest::newRow("plain") << false << false << false;
        QTest::newRow("gzip") << true << false << false;
        QTest::newRow("labels first") << false << true << false;
        QTest::newRow("labels option") << true << false << true;
    }
    void imagesAndLabels()
    {
        QFETCH(bool, gzip);
        QFETCH(bool, labelsFirst);
        QFETCH(bool, labelsOption);
        const QString suffix = gzip ? QStringLiteral("-ubyte.gz") : QStringLiteral("-ubyte");
        const QString images = write(QStringLiteral("imgs") + suffix, idx(0x08, {3, 2, 3}, bytesUpTo(18)), gzip);
        const QString labels = write(QStringLiteral("labels") + suffix, idx(0x08, {3}, QByteArray("\x07\x00\x09", 3)), gzip);
        ReaderOptions options;
        QStringList paths = labelsFirst ? QStringList{labels, images} : QStringList{images, labels};
        if (labelsOption) {
            paths = QStringList{images};
            options.labelsFile = labels;
        }
        const ReadResult r = readIdx(paths, options);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.schema.columns.size(), 1);
        QCOMPARE(r.schema.columns[0], (Column{"image", ColumnKind::Image, 3, 2, 1}));
        QCOMPARE(r.records.size(), size_t(3));
        QCOMPARE(r.records[0].id, std::string("0"));
        QCOMPARE(r.records[2].id, std::string("2"));
        QCOMPARE(r.records[0].label, std::optional<std::string>("7"));
        QCOMPARE(r.records[1].label, std::optional<std::string>("0"));
        QCOMPARE(r.records[2].position, qint64(3));
        QCOMPARE(renderArrayValues(r.records[1].content), QStringList{"img 3x2x1 060708090a0b"});
        QCOMPARE(r.files, QStringList({images, labels}));
        QCOMPARE(r.done, r.total);
    }

    void vectorTypes_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QStringList>("second");
        QTest::newRow("sbyte") << 0x09 << QByteArray("\x01\xfe\x80\x7f", 4) << QStringList{"-128", "127"};
        QTest::newRow("short") << 0x0B << bigEndian<int16_t>({1, -2, -300, 300}) << QStringList{"-300", "300"};
        QTest::newRow("int") << 0x0C << bigEndian<int32_t>({1, 2, -70000, 3}) << QStringList{"-70000", "3"};
        QTest::newRow("float") << 0x0D << bigEndian<float>({1, 2, 0.5f, -1.25f}) << QStringList{"0.5", "-1.25"};
        QTest::newRow("double") << 0x0E << bigEndian<double>({1, 2, 1e-3, 6e20}) << QStringList{"0.001", "6e+20"};
    }
    void vectorTypes()
    {
        QFETCH(int, type);
        QFETCH(QByteArray, data);
        QFETCH(QStringList, second);
        const QString vectors = write(QStringLiteral("vec.idx"), idx(uchar(type), {2, 2}, data));
        const QString labels = write(QStringLiteral("vec-labels.idx"), idx(0x0D, {2}, bigEndian<float>({1.5f, 2})));
        const ReadResult r = readIdx({vectors, labels});
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.schema.columns.size(), 2);
        QCOMPARE(r.schema.columns[1].name, QStringLiteral("f1"));
        QCOMPARE(r.schema.columns[1].kind, ColumnKind::Number);
        QCOMPARE(renderArrayValues(r.records[1].content), second);
        QCOMPARE(r.records[0].label, std::optional<std::string>("1.5"));
        QCOMPARE(r.records[1].label, std::optional<std::string>("2"));
    }

    void countMismatch()
    {
        const QString images = write(QStringLiteral("imgs.idx"), idx(0x08, {3, 1, 1}, bytesUpTo(3)));
        const QString labels = write(QStringLiteral("labels.idx"), idx(0x08, {2}, bytesUpTo(2)));
        const ReadResult r = readIdx({images, labels});
        QCOMPARE(r.error, QStringLiteral("%1: 2 labels for 3 images in %2").arg(labels, images));
    }

    void truncated_data()
    {
        QTest::addColumn<bool>("gzip");
        QTest::newRow("plain") << false;
        QTest::newRow("gzip") << true;
    }
    void truncated()
    {
        QFETCH(bool, gzip);
        // 5 images of 2x2 announced, 2.5 present: record 3 is cut short.
        const QString images = write(QStringLiteral("trunc.idx"), idx(0x08, {5, 2, 2}, bytesUpTo(10)), gzip);
        const QString labels = write(QStringLiteral("trunc-labels.idx"), idx(0x08, {5}, bytesUpTo(5)));
        const ReadResult r = readIdx({images, labels});
        QCOMPARE(r.error, images + QStringLiteral(": record 3: truncated data"));
        QCOMPARE(r.records.size(), size_t(gzip ? 2 : 0)); // plain files are checked before any record
    }

    void trailingBytes_data() { truncated_data(); }
    void trailingBytes()
    {
        QFETCH(bool, gzip);
        // 2 images of 2x2 announced, 2 and 3 bytes more present: the file is not what its header says.
        const QString images = write(QStringLiteral("trail.idx"), idx(0x08, {2, 2, 2}, bytesUpTo(11)), gzip);
        const QString labels = write(QStringLiteral("trail-labels.idx"), idx(0x08, {2}, bytesUpTo(2)));
        const ReadResult r = readIdx({images, labels});
        QCOMPARE(r.error, images + QStringLiteral(": 3 bytes follow the last record (shape (2, 2, 2) of ubyte): the file holds "
                                                  "more than its header declares"));
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("images");
        QTest::addColumn<QByteArray>("labels");
        QTest::addColumn<QString>("message"); // %1 images path, %2 labels path
        const QByteArray goodImages = idx(0x08, {1, 1, 1}, "a");
        const QByteArray goodLabels = idx(0x08, {1}, "b");
        QTest::newRow("bad magic") << QByteArray("\x01\x02\x08\x03\x00\x00", 6) << goodLabels << "%1: not an IDX file (bad magic)";
        QTest::newRow("bad type") << QByteArray("\x00\x00\x07\x01\x00\x00\x00\x01", 8) << goodLabels << "%1: not an IDX file (bad magic)";
        QTest::newRow("bad labels magic") << goodImages << QByteArray("hello") << "%2: not an IDX file (bad magic)";
        QTest::newRow("two images files") << goodImages << goodImages << "%2: neither file is a one-dimensional labels file (the other is %1)";
        QTest::newRow("float images") << idx(0x0D, {1, 1, 1}, QByteArray(4, '\0')) << goodLabels
                                      << "%1: shape (1, 1, 1) of float is not supported (records need (N,), (N, D), or uint8 images (N, H, W[, C]))";
    }
    void errors()
    {
        QFETCH(QByteArray, images);
        QFETCH(QByteArray, labels);
        QFETCH(QString, message);
        const QString imagesPath = write(QStringLiteral("e-images.idx"), images);
        const QString labelsPath = write(QStringLiteral("e-labels.idx"), labels);
        const ReadResult r = readIdx({imagesPath, labelsPath});
        QCOMPARE(r.error, QString(message).replace(QLatin1String("%1"), imagesPath).replace(QLatin1String("%2"), labelsPath));
    }

    void needsLabels()
    {
        const QString images = write(QStringLiteral("alone-idx3-ubyte"), idx(0x08, {1, 1, 1}, "a"));
        QString error;
        QVERIFY(!createReader({images}, {}, &error));
        QCOMPARE(error, images + QStringLiteral(": IDX needs a labels file, as a second path or a labels option"));
    }

    void fashionMnist()
    {
        const QString dir = QStringLiteral("/usr/share/datasets/fashion-mnist/");
        const QString images = dir + QStringLiteral("t10k-images-idx3-ubyte.gz");
        const QString labels = dir + QStringLiteral("t10k-labels-idx1-ubyte.gz");
        if (!QFile::exists(images) || !QFile::exists(labels))
            QSKIP("Fashion-MNIST t10k is not installed");
        QString error;
        auto reader = createReader({images, labels}, {}, &error);
        QVERIFY2(reader && reader->open(&error), qPrintable(error));
        QCOMPARE(reader->schema().columns[0], (Column{"image", ColumnKind::Image, 28, 28, 1}));
        SourceRecord rec;
        qint64 n = 0;
        QList<std::string> firstLabels;
        while (reader->next(&rec, &error)) {
            if (n == 0) {
                ContentDecoder decoder(rec.content);
                DecodedValue v;
                QVERIFY(decoder.next(&v));
                qint64 sum = 0;
                for (int i = 0; i < 28 * 28; ++i)
                    sum += v.pixels[i];
                QCOMPARE(sum, qint64(33456)); // checked independently with Python's gzip module
            }
            if (n < 4)
                firstLabels << *rec.label;
            ++n;
        }
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(n, qint64(10000));
        QCOMPARE(firstLabels, (QList<std::string>{"9", "2", "1", "1"}));
        QCOMPARE(reader->progressDone(), reader->progressTotal());
    }
};

QTEST_GUILESS_MAIN(TestIdxReader)
#include "TestIdxReader.moc"
