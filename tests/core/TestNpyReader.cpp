#include "ReaderHarness.h"
#include "formats/NpyFile.h"
#include "formats/NpyReader.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <cstring>

using namespace custody;
using namespace custody::test;

namespace {

// Packs `values` as the scalar type named by a numpy descr ("<i2", ">f8", "|b1", ...).
QByteArray pack(const QByteArray &descr, const std::vector<double> &values)
{
    const char order = descr[0], kind = descr[1];
    const int size = descr.mid(2).toInt();
    QByteArray out;
    for (double v : values) {
        char b[8] = {};
        if (kind == 'f' && size == 4) {
            const float f = float(v);
            std::memcpy(b, &f, 4);
        } else if (kind == 'f') {
            std::memcpy(b, &v, 8);
        } else if (kind == 'u') {
            const uint64_t u = uint64_t(v);
            std::memcpy(b, &u, 8);
        } else {
            const int64_t i = int64_t(v);
            std::memcpy(b, &i, 8); // little-endian host: the low bytes come first
        }
        QByteArray bytes(b, size);
        if (order == '>')
            std::reverse(bytes.begin(), bytes.end());
        out += bytes;
    }
    return out;
}

QByteArray npy(const QByteArray &descr, const QList<qint64> &shape, const QByteArray &data, bool fortran = false, int version = 1)
{
    QByteArray shapeText = "(";
    for (qint64 d : shape)
        shapeText += QByteArray::number(d) + ", ";
    if (shape.size() > 1)
        shapeText.chop(2);
    else if (shape.size() == 1)
        shapeText.chop(1);
    shapeText += ")";
    const QByteArray header = "{'descr': " + (descr.startsWith('[') ? descr : "'" + descr + "'") + ", 'fortran_order': "
        + (fortran ? "True" : "False") + ", 'shape': " + shapeText + ", }";
    return npyFile(header, data, version);
}

ReadResult readNpy(const QString &path, const ReaderOptions &options = {})
{
    NpyReader reader(path, options);
    return readAll(reader);
}

} // namespace

class TestNpyReader : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void oneDimensional()
    {
        const QString path = writeTemp(m_dir, QStringLiteral("v.npy"), npy("<f8", {3}, pack("<f8", {1.5, -2, 0})));
        const ReadResult r = readNpy(path);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(columnNames(r.schema), QStringList{"f0"});
        QCOMPARE(r.schema.columns[0].kind, ColumnKind::Number);
        QCOMPARE(r.records.size(), size_t(3));
        QCOMPARE(r.records[1].id, std::string("1"));
        QCOMPARE(r.records[1].position, qint64(2));
        QCOMPARE(renderArrayValues(r.records[1].content), QStringList{"-2"});
        QCOMPARE(r.done, r.total);
        QCOMPARE(r.files, QStringList{path});
    }

    void dtypes_data()
    {
        QTest::addColumn<QByteArray>("descr");
        QTest::addColumn<bool>("isSigned");
        for (const char *d : {"|b1", "|i1", "|u1", "<i2", ">i2", "<u2", ">u2", "<i4", ">i4", "<u4", ">u4", "<i8", ">i8",
                              "<u8", ">u8", "<f4", ">f4", "<f8", ">f8"}) {
            const QByteArray descr(d);
            QTest::newRow(d) << descr << (descr[1] == 'i' || descr[1] == 'f');
        }
    }
    void dtypes()
    {
        QFETCH(QByteArray, descr);
        QFETCH(bool, isSigned);
        std::vector<double> values = descr[1] == 'b' ? std::vector<double>{0, 1, 1, 0} : std::vector<double>{0, 1, 100, 7};
        if (isSigned)
            values[3] = -7;
        const QString path = writeTemp(m_dir, QStringLiteral("dt.npy"), npy(descr, {2, 2}, pack(descr, values)));
        const ReadResult r = readNpy(path);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.records.size(), size_t(2));
        QCOMPARE(renderArrayValues(r.records[0].content), QStringList({QString::number(values[0]), QString::number(values[1])}));
        QCOMPARE(renderArrayValues(r.records[1].content), QStringList({QString::number(values[2]), QString::number(values[3])}));
    }

    // 64-bit integers beyond 2^53 would be rounded by the doubles records hold: refused, naming the value.
    void int64BeyondDoubleIsRefused_data()
    {
        QTest::addColumn<QByteArray>("descr");
        QTest::addColumn<quint64>("bits");
        QTest::addColumn<QString>("text");
        QTest::newRow("<i8 2^53+1") << QByteArray("<i8") << quint64((uint64_t(1) << 53) + 1) << "9007199254740993";
        QTest::newRow(">i8 -(2^53+1)") << QByteArray(">i8") << quint64(-int64_t((uint64_t(1) << 53) + 1)) << "-9007199254740993";
        QTest::newRow("<u8 max") << QByteArray("<u8") << quint64(~uint64_t(0)) << "18446744073709551615";
    }
    void int64BeyondDoubleIsRefused()
    {
        QFETCH(QByteArray, descr);
        QFETCH(quint64, bits);
        QFETCH(QString, text);
        QByteArray data = pack(descr, {1, 2, 3});
        QByteArray value(reinterpret_cast<const char *>(&bits), 8);
        if (descr[0] == '>')
            std::reverse(value.begin(), value.end());
        data += value;
        const QString path = writeTemp(m_dir, QStringLiteral("big.npy"), npy(descr, {2, 2}, data));
        const ReadResult r = readNpy(path);
        QCOMPARE(r.records.size(), size_t(1));
        QCOMPARE(r.error, QStringLiteral("%1: record 2: column 'f1' holds an integer beyond 2^53 (%2), which a number column cannot "
                                         "hold exactly; store it as float64, or as text in a CSV").arg(path, text));
        // 2^53 itself is exact.
        const QString exact = writeTemp(m_dir, QStringLiteral("exact.npy"), npy("<i8", {1}, pack("<i8", {9007199254740992.0})));
        QVERIFY2(readNpy(exact).error.isEmpty(), qPrintable(readNpy(exact).error));
    }

    void versions_data()
    {
        QTest::addColumn<int>("version");
        QTest::newRow("1.0") << 1;
        QTest::newRow("2.0") << 2;
        QTest::newRow("3.0") << 3;
    }
    void versions()
    {
        QFETCH(int, version);
        const QString path = writeTemp(m_dir, QStringLiteral("ver.npy"), npy("<i4", {2}, pack("<i4", {5, 6}), false, version));
        const ReadResult r = readNpy(path);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(renderArrayValues(r.records[1].content), QStringList{"6"});
    }

    void labelAndIdColumns_data()
    {
        QTest::addColumn<QString>("label");
        QTest::addColumn<QString>("id");
        QTest::newRow("by name") << "f2" << "f0";
        QTest::newRow("by index") << "2" << "0";
    }
    void labelAndIdColumns()
    {
        QFETCH(QString, label);
        QFETCH(QString, id);
        const QString path = writeTemp(m_dir, QStringLiteral("cols.npy"), npy("<f8", {2, 4}, pack("<f8", {10, 0.5, 3, 9, 11, 1.5, 0.25, 8})));
        ReaderOptions options;
        options.labelColumn = label;
        options.idColumn = id;
        const ReadResult r = readNpy(path, options);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(columnNames(r.schema), QStringList({"f1", "f3"}));
        QCOMPARE(r.records[0].id, std::string("10"));
        QCOMPARE(r.records[0].label, std::optional<std::string>("3"));
        QCOMPARE(r.records[1].label, std::optional<std::string>("0.25"));
        QCOMPARE(renderArrayValues(r.records[1].content), QStringList({"1.5", "8"}));
    }

    void fortranOrder()
    {
        // Logical [[1, 2, 3], [4, 5, 6]] stored column by column.
        const QString path = writeTemp(m_dir, QStringLiteral("f.npy"), npy("<f4", {2, 3}, pack("<f4", {1, 4, 2, 5, 3, 6}), true));
        const ReadResult r = readNpy(path);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(renderArrayValues(r.records[0].content), QStringList({"1", "2", "3"}));
        QCOMPARE(renderArrayValues(r.records[1].content), QStringList({"4", "5", "6"}));
    }

    void images_data()
    {
        QTest::addColumn<QList<qint64>>("shape");
        QTest::addColumn<bool>("fortran");
        QTest::addColumn<QString>("second");
        // Two images of 2x3 (H=2, W=3) with values 0..5 and 10..15 in C order.
        QTest::newRow("grey") << QList<qint64>{2, 2, 3} << false << "img 3x2x1 0a0b0c0d0e0f";
        QTest::newRow("grey fortran") << QList<qint64>{2, 2, 3} << true << "img 3x2x1 0a0b0c0d0e0f";
        QTest::newRow("one channel") << QList<qint64>{2, 2, 3, 1} << false << "img 3x2x1 0a0b0c0d0e0f";
    }
    void images()
    {
        QFETCH(QList<qint64>, shape);
        QFETCH(bool, fortran);
        QFETCH(QString, second);
        std::vector<double> values;
        if (!fortran) {
            for (int i = 0; i < 6; ++i)
                values.push_back(i);
            for (int i = 0; i < 6; ++i)
                values.push_back(10 + i);
        } else {
            // element (n, y, x) at n + 2*(y + 2*x)
            values.resize(12);
            for (int n = 0; n < 2; ++n)
                for (int y = 0; y < 2; ++y)
                    for (int x = 0; x < 3; ++x)
                        values[size_t(n + 2 * (y + 2 * x))] = n * 10 + y * 3 + x;
        }
        const QString path = writeTemp(m_dir, QStringLiteral("img.npy"), npy("|u1", shape, pack("|u1", values), fortran));
        const ReadResult r = readNpy(path);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.schema.columns.size(), 1);
        QCOMPARE(r.schema.columns[0], (Column{"image", ColumnKind::Image, 3, 2, 1}));
        QCOMPARE(renderArrayValues(r.records[0].content), QStringList{"img 3x2x1 000102030405"});
        QCOMPARE(renderArrayValues(r.records[1].content), QStringList{second});
    }

    void rgbImages()
    {
        std::vector<double> values;
        for (int i = 0; i < 2 * 1 * 2 * 3; ++i)
            values.push_back(i);
        const QString path = writeTemp(m_dir, QStringLiteral("rgb.npy"), npy("|u1", {2, 1, 2, 3}, pack("|u1", values)));
        const ReadResult r = readNpy(path);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.schema.columns[0], (Column{"image", ColumnKind::Image, 2, 1, 3}));
        QCOMPARE(renderArrayValues(r.records[1].content), QStringList{"img 2x1x3 060708090a0b"});
    }

    void labelsFiles()
    {
        const QString path = writeTemp(m_dir, QStringLiteral("lab.npy"), npy("<f4", {3, 2}, pack("<f4", {1, 2, 3, 4, 5, 6})));
        ReaderOptions options;
        options.labelsFile = writeTemp(m_dir, QStringLiteral("labels.npy"), npy("<f8", {3}, pack("<f8", {7, NAN, 0.5})));
        ReadResult r = readNpy(path, options);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.records[0].label, std::optional<std::string>("7"));
        QVERIFY(!r.records[1].label);
        QCOMPARE(r.records[2].label, std::optional<std::string>("0.5"));
        QCOMPARE(r.files, QStringList({path, options.labelsFile}));

        // Labels 2^60+1 and 2^60+2 would both read as 2^60: refused, naming the record (campaign 9).
        QByteArray big = pack("<i8", {1});
        for (const uint64_t v : {(uint64_t(1) << 60) + 1, (uint64_t(1) << 60) + 2})
            big += QByteArray(reinterpret_cast<const char *>(&v), 8);
        options.labelsFile = writeTemp(m_dir, QStringLiteral("biglabels.npy"), npy("<i8", {3}, big));
        r = readNpy(path, options);
        QCOMPARE(r.error, QStringLiteral("%1: record 2: the integer 1152921504606846977 is beyond 2^53, which a double cannot hold "
                                         "exactly; store the values as text").arg(options.labelsFile));

        options.labelsFile = writeTemp(m_dir, QStringLiteral("labels2.npy"), npy("<i8", {2}, pack("<i8", {1, 2})));
        r = readNpy(path, options);
        QCOMPARE(r.error, QStringLiteral("%1: 2 labels for 3 records in %2").arg(options.labelsFile, path));

        options.labelsFile = writeTemp(m_dir, QStringLiteral("labels3.npy"), npy("<i8", {3, 2}, pack("<i8", {1, 2, 3, 4, 5, 6})));
        r = readNpy(path, options);
        QCOMPARE(r.error, QStringLiteral("%1: labels must be one value per record, the shape is (3, 2)").arg(options.labelsFile));
    }

    void unsupportedDtype_data()
    {
        QTest::addColumn<QByteArray>("descr");
        QTest::addColumn<QString>("shown");
        QTest::newRow("complex") << QByteArray("<c16") << "<c16";
        QTest::newRow("unicode") << QByteArray("<U10") << "<U10";
        QTest::newRow("object") << QByteArray("|O") << "|O";
        QTest::newRow("half") << QByteArray("<f2") << "<f2";
        QTest::newRow("bad order") << QByteArray("|i4") << "|i4";
        QTest::newRow("structured") << QByteArray("[('a', '<i4'), ('b', '<f8')]") << "[('a', '<i4'), ('b', '<f8')]";
    }
    void unsupportedDtype()
    {
        QFETCH(QByteArray, descr);
        QFETCH(QString, shown);
        const QString path = writeTemp(m_dir, QStringLiteral("x.npy"), npy(descr, {1}, QByteArray(16, '\0')));
        const ReadResult r = readNpy(path);
        QCOMPARE(r.error, QStringLiteral("%1: unsupported dtype '%2'").arg(path, shown));
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("labelColumn");
        QTest::addColumn<QString>("message");
        QTest::newRow("truncated") << npy("<f8", {4, 2}, pack("<f8", {1, 2, 3, 4, 5})) << "" << ": record 3: truncated data";
        QTest::newRow("truncated fortran") << npy("<f8", {4, 2}, pack("<f8", {1, 2, 3, 4, 5, 6}), true) << ""
                                           << ": record 3: truncated data";
        QTest::newRow("tall images") << npy("|u1", {2, 20000, 1}, QByteArray(40000, '\0')) << ""
                                     << ": images of 1 x 20000 pixels (shape (2, 20000, 1)): more than the 16384 allowed on a side or 67108864 in all";
        QTest::newRow("trailing") << npy("<f8", {2}, pack("<f8", {1, 2, 3})) << "" << ": 8 bytes follow the last record (shape (2,) of <f8): the file holds more than its header declares";
        QTest::newRow("trailing fortran") << npy("<f8", {2, 2}, pack("<f8", {1, 2, 3, 4, 5}), true) << ""
                                          << ": 8 bytes follow the last record (shape (2, 2) of <f8): the file holds more than its header declares";
        QTest::newRow("nan") << npy("<f4", {2, 2}, pack("<f4", {1, 2, 3, NAN})) << "" << ": record 2: column 'f1' holds a non-finite number (nan)";
        QTest::newRow("inf") << npy("<f8", {1}, pack("<f8", {-INFINITY})) << "" << ": record 1: column 'f0' holds a non-finite number (-inf)";
        QTest::newRow("bad magic") << QByteArray("PK\x03\x04 not numpy at all") << "" << ": not a .npy file (bad magic)";
        QTest::newRow("bad version") << QByteArray("\x93NUMPY\x04\x00\x00\x00", 10) << "" << ": unsupported .npy format version 4.0";
        QTest::newRow("no label column") << npy("<f8", {1, 3}, pack("<f8", {1, 2, 3})) << "f3" << ": no column named 'f3' (columns: f0, f1, f2)";
        QTest::newRow("image label column") << npy("|u1", {1, 2, 2}, QByteArray(4, '\0')) << "f0" << ": no column named 'f0' (columns: image)";
        QTest::newRow("float images") << npy("<f4", {1, 2, 2}, QByteArray(16, '\0')) << ""
                                      << ": shape (1, 2, 2) of <f4 is not supported (records need (N,), (N, D), or uint8 images (N, H, W[, C]))";
        QTest::newRow("scalar") << npy("<f8", {}, QByteArray(8, '\0')) << "" << ": holds a single scalar, not rows";
        // Headers numpy would not write (or read the same way): refused, not guessed at.
        const QByteArray data = pack("<f8", {1, 2});
        QTest::newRow("unknown key") << npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'x': __import__('os'), }", data)
                                     << "" << ": unknown key 'x' in the .npy header";
        QTest::newRow("text after the dict") << npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), } trailing", data)
                                             << "" << ": malformed .npy header";
        QTest::newRow("no fortran_order") << npyFile("{'descr': '<f8', 'shape': (2,), }", data) << "" << ": the .npy header lacks 'fortran_order'";
        QTest::newRow("repeated key") << npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'shape': (1,), }", data)
                                      << "" << ": the .npy header repeats 'shape'";
        QTest::newRow("fortran_order not a bool") << npyFile("{'descr': '<f8', 'fortran_order': 1, 'shape': (2,), }", data)
                                                  << "" << ": 'fortran_order' is neither True nor False in the .npy header";
    }
    void errors()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, labelColumn);
        QFETCH(QString, message);
        const QString path = writeTemp(m_dir, QStringLiteral("bad.npy"), bytes);
        ReaderOptions options;
        options.labelColumn = labelColumn;
        const ReadResult r = readNpy(path, options);
        QCOMPARE(r.error, path + message);
    }

    void npyFileRowsAsFloats()
    {
        // The embeddings API: any numeric dtype, row by row as floats.
        const QString path = writeTemp(m_dir, QStringLiteral("emb.npy"), npy(">i2", {3, 2}, pack(">i2", {1, -2, 3, 4, 5, 6})));
        NpyFile file;
        QString error;
        QVERIFY2(file.open(path, &error), qPrintable(error));
        QCOMPARE(file.rows(), qint64(3));
        QCOMPARE(file.cols(), qint64(2));
        std::vector<float> row;
        QVERIFY(file.readRow(&row, &error));
        QCOMPARE(row, (std::vector<float>{1, -2}));
        QVERIFY(file.readRow(&row, &error));
        QVERIFY(file.readRow(&row, &error));
        QCOMPARE(row, (std::vector<float>{5, 6}));
        QVERIFY(!file.readRow(&row, &error));
        QVERIFY(!error.isEmpty());

        NpyFile vector;
        QVERIFY(vector.open(writeTemp(m_dir, QStringLiteral("emb1.npy"), npy("<f8", {2}, pack("<f8", {0.5, 1}))), &error));
        QCOMPARE(vector.cols(), qint64(1));
        QVERIFY(vector.readRow(&row, &error));
        QCOMPARE(row, (std::vector<float>{0.5f}));
    }
};

QTEST_GUILESS_MAIN(TestNpyReader)
#include "TestNpyReader.moc"
