#include "ReaderHarness.h"
#include "formats/RecordReader.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

using namespace custody;

namespace {

const QByteArray kIdxImages = QByteArray("\x00\x00\x08\x03\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x01\x05", 17);
const QByteArray kIdxLabels = QByteArray("\x00\x00\x08\x01\x00\x00\x00\x01\x03", 9);

QByteArray npyBytes()
{
    QByteArray header = "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }";
    while ((10 + header.size() + 1) % 64)
        header += ' ';
    header += '\n';
    QByteArray out("\x93NUMPY\x01\x00", 8);
    out += char(header.size());
    out += char(0);
    return out + header + QByteArray(8, '\0');
}

} // namespace

class TestFormatDetection : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString write(const QString &name, const QByteArray &bytes, bool gzip = false)
    {
        return test::writeTemp(m_dir, name, gzip ? test::gzipped(bytes) : bytes);
    }

private Q_SLOTS:
    void names_data()
    {
        QTest::addColumn<int>("format");
        QTest::addColumn<QString>("name");
        QTest::newRow("auto") << int(SourceFormat::Auto) << "auto";
        QTest::newRow("csv") << int(SourceFormat::Csv) << "csv";
        QTest::newRow("tsv") << int(SourceFormat::Tsv) << "tsv";
        QTest::newRow("jsonl") << int(SourceFormat::JsonLines) << "jsonl";
        QTest::newRow("npy") << int(SourceFormat::Npy) << "npy";
        QTest::newRow("idx") << int(SourceFormat::Idx) << "idx";
        QTest::newRow("images") << int(SourceFormat::Images) << "images";
    }
    void names()
    {
        QFETCH(int, format);
        QFETCH(QString, name);
        QCOMPARE(sourceFormatName(SourceFormat(format)), name);
        SourceFormat parsed = SourceFormat::Csv;
        QVERIFY(sourceFormatFromName(name, &parsed));
        QCOMPARE(int(parsed), format);
        QVERIFY(sourceFormatFromName(name.toUpper(), &parsed));
        QCOMPARE(int(parsed), format);
    }

    void unknownName()
    {
        SourceFormat parsed = SourceFormat::Npy;
        QVERIFY(!sourceFormatFromName(QStringLiteral("parquet"), &parsed));
        QVERIFY(!sourceFormatFromName(QString(), &parsed));
        QCOMPARE(parsed, SourceFormat::Npy);
    }

    void byExtension_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("format");
        QTest::newRow("csv") << "data.csv" << int(SourceFormat::Csv);
        QTest::newRow("CSV") << "DATA.CSV" << int(SourceFormat::Csv);
        QTest::newRow("tsv") << "data.tsv" << int(SourceFormat::Tsv);
        QTest::newRow("tab") << "data.tab" << int(SourceFormat::Tsv);
        QTest::newRow("jsonl") << "rows.jsonl" << int(SourceFormat::JsonLines);
        QTest::newRow("ndjson") << "rows.ndjson" << int(SourceFormat::JsonLines);
        QTest::newRow("npy") << "x.npy" << int(SourceFormat::Npy);
        QTest::newRow("idx3-ubyte") << "train-images-idx3-ubyte" << int(SourceFormat::Idx);
        QTest::newRow("idx1-ubyte.gz") << "train-labels-idx1-ubyte.gz" << int(SourceFormat::Idx);
        QTest::newRow("dot idx3-ubyte") << "t10k-images.idx3-ubyte" << int(SourceFormat::Idx);
        QTest::newRow("idx") << "digits.idx" << int(SourceFormat::Idx);
        QTest::newRow("idx.gz") << "digits.idx.gz" << int(SourceFormat::Idx);
        QTest::newRow("unknown, missing") << "nothing.bin" << int(SourceFormat::Auto);
    }
    void byExtension()
    {
        QFETCH(QString, name);
        QFETCH(int, format);
        // The files need not exist: the name decides.
        QCOMPARE(int(detectFormat({m_dir.filePath(name)})), format);
    }

    void directoryIsImages()
    {
        QDir().mkpath(m_dir.filePath(QStringLiteral("folder.csv")));
        QCOMPARE(detectFormat({m_dir.filePath(QStringLiteral("folder.csv"))}), SourceFormat::Images);
    }

    void bySniffing_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("gzip");
        QTest::addColumn<int>("format");
        QTest::newRow("idx") << kIdxImages << false << int(SourceFormat::Idx);
        QTest::newRow("gzipped idx") << kIdxLabels << true << int(SourceFormat::Idx);
        QTest::newRow("gzipped other") << QByteArray("a,b\n1,2\n") << true << int(SourceFormat::Auto);
        QTest::newRow("npy") << npyBytes() << false << int(SourceFormat::Npy);
        QTest::newRow("jsonl") << QByteArray("{\"a\": 1}\n") << false << int(SourceFormat::JsonLines);
        QTest::newRow("jsonl after bom and blanks") << QByteArray("\xEF\xBB\xBF\n  {\"a\": 1}\n") << false << int(SourceFormat::JsonLines);
        QTest::newRow("tsv") << QByteArray("a\tb\n1\t2\n") << false << int(SourceFormat::Tsv);
        QTest::newRow("csv") << QByteArray("a,b\n1\t2\n") << false << int(SourceFormat::Csv);
        QTest::newRow("empty") << QByteArray() << false << int(SourceFormat::Csv);
    }
    void bySniffing()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, gzip);
        QFETCH(int, format);
        QCOMPARE(int(detectFormat({write(QStringLiteral("sniffed.dat"), bytes, gzip)})), format);
    }

    void createReaderDetects()
    {
        const QString csv = write(QStringLiteral("auto.dat"), "a\tb\n1\t2\n");
        QString error;
        auto reader = createReader({csv}, {}, &error);
        QVERIFY2(reader && reader->open(&error), qPrintable(error));
        QCOMPARE(reader->schema().columns.size(), 2); // read as TSV, not as one CSV column

        const QString images = write(QStringLiteral("imgs.idx"), kIdxImages);
        const QString labels = write(QStringLiteral("labels.idx"), kIdxLabels);
        reader = createReader({images, labels}, {}, &error);
        QVERIFY2(reader && reader->open(&error), qPrintable(error));
        SourceRecord rec;
        QVERIFY2(reader->next(&rec, &error), qPrintable(error));
        QCOMPARE(rec.label, std::optional<std::string>("3"));
    }

    void explicitFormatWins()
    {
        const QString path = write(QStringLiteral("really-tsv.csv"), "a\tb\n1\t2\n");
        ReaderOptions options;
        options.format = SourceFormat::Tsv;
        QString error;
        auto reader = createReader({path}, options, &error);
        QVERIFY2(reader && reader->open(&error), qPrintable(error));
        QCOMPARE(reader->schema().columns.size(), 2);
    }

    void createReaderErrors_data()
    {
        QTest::addColumn<QStringList>("paths");
        QTest::addColumn<QString>("labelColumn");
        QTest::addColumn<QString>("labelsFile");
        QTest::addColumn<QString>("message"); // %1: first path
        QTest::newRow("nothing") << QStringList() << "" << "" << "no source given";
        QTest::newRow("missing") << QStringList{"missing.bin"} << "" << "" << "%1: no such file or directory";
        QTest::newRow("two csvs") << QStringList{"a.csv", "b.csv"} << "" << "" << "csv reads one path, got 2 paths";
        QTest::newRow("three idx") << QStringList{"a.idx", "b.idx", "c.idx"} << "" << "" << "idx reads at most two files, got 3 paths";
        QTest::newRow("both labels") << QStringList{"a.csv"} << "y" << "l.txt" << "give either a label column or a labels file, not both";
    }
    void createReaderErrors()
    {
        QFETCH(QStringList, paths);
        QFETCH(QString, labelColumn);
        QFETCH(QString, labelsFile);
        QFETCH(QString, message);
        for (QString &p : paths)
            p = m_dir.filePath(p);
        ReaderOptions options;
        options.labelColumn = labelColumn;
        options.labelsFile = labelsFile;
        QString error;
        QVERIFY(!createReader(paths, options, &error));
        QCOMPARE(error, paths.isEmpty() ? message : QString(message).replace(QLatin1String("%1"), paths.front()));
    }
};

QTEST_GUILESS_MAIN(TestFormatDetection)
#include "TestFormatDetection.moc"
