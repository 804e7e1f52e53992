#include "ReaderHarness.h"
#include "formats/CsvReader.h"
#include "formats/RecordReader.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace custody;
using namespace custody::test;

namespace {

ReadResult readCsv(const QString &path, const ReaderOptions &options = {}, char delimiter = ',')
{
    CsvReader reader(path, delimiter, options);
    return readAll(reader);
}

} // namespace

class TestCsvReader : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void basicRecords()
    {
        const QString path = writeTemp(m_dir, QStringLiteral("basic.csv"), "x,name,y\n1.5,cat,-2\n,dog,3e2\n0,,+4\n");
        const ReadResult r = readCsv(path);
        QVERIFY2(r.opened && r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(columnKinds(r.schema), QStringList({"x=number", "name=category", "y=number"}));
        QCOMPARE(r.records.size(), size_t(3));
        QCOMPARE(r.records[0].id, std::string("0"));
        QCOMPARE(r.records[2].id, std::string("2"));
        QVERIFY(!r.records[0].label);
        QCOMPARE(renderValues(r.records[0].content), QStringList({"n:1.5", "s:cat", "n:-2"}));
        QCOMPARE(renderValues(r.records[1].content), QStringList({"null", "s:dog", "n:300"}));
        QCOMPARE(renderValues(r.records[2].content), QStringList({"n:0", "null", "n:4"}));
        QCOMPARE(r.records[0].position, qint64(2));
        QCOMPARE(r.records[2].position, qint64(4));
        QCOMPARE(r.files, QStringList{path});
        QCOMPARE(r.done, r.total);
        QCOMPARE(r.total, QFileInfo(path).size());
    }

    void idAndLabelColumns()
    {
        const QString path = writeTemp(m_dir, QStringLiteral("idlabel.csv"), "id,a,label,b\nr1,1,cat,2\nr2,3,,4\n");
        ReaderOptions options;
        options.idColumn = QStringLiteral("id");
        options.labelColumn = QStringLiteral("label");
        const ReadResult r = readCsv(path, options);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(columnKinds(r.schema), QStringList({"a=number", "b=number"}));
        QCOMPARE(r.records.size(), size_t(2));
        QCOMPARE(r.records[0].id, std::string("r1"));
        QCOMPARE(r.records[0].label, std::optional<std::string>("cat"));
        QCOMPARE(r.records[1].id, std::string("r2"));
        QVERIFY(!r.records[1].label); // an empty label cell is no label
        QCOMPARE(renderValues(r.records[1].content), QStringList({"n:3", "n:4"}));
    }

    void quotedFields()
    {
        // Delimiters, "" escapes and newlines inside quotes; CRLF line ends; the line count stays physical.
        const QString path = writeTemp(m_dir, QStringLiteral("quoted.csv"),
                                           "a,b\r\n\"x,y\",\"say \"\"hi\"\"\"\r\n\"two\r\nlines\nthree\",z\r\n\"\",last\r\n");
        const ReadResult r = readCsv(path);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.records.size(), size_t(3));
        QCOMPARE(renderValues(r.records[0].content), QStringList({"s:x,y", "s:say \"hi\""}));
        QCOMPARE(renderValues(r.records[1].content), QStringList({"s:two\r\nlines\nthree", "s:z"}));
        QCOMPARE(renderValues(r.records[2].content), QStringList({"null", "s:last"}));
        QCOMPARE(r.records[1].position, qint64(3));
        QCOMPARE(r.records[2].position, qint64(6));
    }

    void lineCountAfterMultilineField()
    {
        const QString path = writeTemp(m_dir, QStringLiteral("multi.csv"), "a,b\n\"1\n2\n3\",4\n5,6,7\n");
        const ReadResult r = readCsv(path);
        QCOMPARE(r.error, path + QStringLiteral(":5: row has 3 fields, the header has 2"));
    }

    void bomBlankLinesAndNoFinalNewline()
    {
        const QString path = writeTemp(m_dir, QStringLiteral("bom.csv"), "\xEF\xBB\xBFid,v\n\n1,2\n\n3,4");
        ReaderOptions options;
        options.idColumn = QStringLiteral("id");
        const ReadResult r = readCsv(path, options);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.records.size(), size_t(2));
        QCOMPARE(r.records[1].id, std::string("3"));
        QCOMPARE(r.records[1].position, qint64(5));
        QCOMPARE(renderValues(r.records[1].content), QStringList({"n:4"}));
    }

    void tsv()
    {
        const QString path = writeTemp(m_dir, QStringLiteral("t.tsv"), "a\tb\n1,5\t\"q\tr\"\n");
        const ReadResult r = readCsv(path, {}, '\t');
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(renderValues(r.records[0].content), QStringList({"s:1,5", "s:q\tr"}));
    }

    void kindInference_data()
    {
        QTest::addColumn<QStringList>("cells");
        QTest::addColumn<QString>("kind");
        QTest::newRow("numbers") << QStringList{"1", "2.5", "-3e4", " 7 "} << "number";
        QTest::newRow("numbers and empties") << QStringList{"1", "", "2"} << "number";
        QTest::newRow("all empty") << QStringList{"", ""} << "text";
        QTest::newRow("few distinct") << QStringList{"a", "b", "a", "1"} << "category";
        QStringList many;
        for (int i = 0; i < 21; ++i)
            many << QStringLiteral("v%1").arg(i);
        QTest::newRow("21 distinct in 21 rows") << many << "text";
        QTest::newRow("nan looks numeric") << QStringList{"1", "nan"} << "number";
        // Doubles hold every integer up to 2^53; a column with a larger one is kept as text, never rounded.
        QTest::newRow("2^53 is exact") << QStringList{"1", "9007199254740992", "-9007199254740992"} << "number";
        QTest::newRow("2^53 + 1 is not") << QStringList{"1", "9007199254740993"} << "category";
        QTest::newRow("a 20-digit id") << QStringList{"1", "+00018446744073709551615"} << "category";
        QTest::newRow("a large decimal is a number") << QStringList{"1", "9007199254740993.5", "1e300"} << "number";
    }
    void kindInference()
    {
        QFETCH(QStringList, cells);
        QFETCH(QString, kind);
        QByteArray csv = "c,k\n";
        for (const QString &cell : cells)
            csv += cell.toUtf8() + ",1\n";
        CsvReader reader(writeTemp(m_dir, QStringLiteral("kinds.csv"), csv), ',', {});
        QString error;
        QVERIFY2(reader.open(&error), qPrintable(error));
        QCOMPARE(columnKindName(reader.schema().columns[0].kind), kind);
    }

    void categoryLimitScalesWithSample()
    {
        // 1000 sampled rows allow max(20, 50) distinct values.
        QByteArray csv = "c\n";
        for (int i = 0; i < 1000; ++i)
            csv += "v" + QByteArray::number(i % 50) + "\n";
        CsvReader reader(writeTemp(m_dir, QStringLiteral("cat50.csv"), csv), ',', {});
        QString error;
        QVERIFY2(reader.open(&error), qPrintable(error));
        QCOMPARE(reader.schema().columns[0].kind, ColumnKind::Category);
    }

    void nonFinite_data()
    {
        QTest::addColumn<QByteArray>("token");
        for (const char *t : {"nan", "NaN", "inf", "-Inf", "INFINITY", "1e999"})
            QTest::newRow(t) << QByteArray(t);
    }
    void nonFinite()
    {
        QFETCH(QByteArray, token);
        const QString path = writeTemp(m_dir, QStringLiteral("nan.csv"), "a,x\n1,2\n2," + token + "\n");
        const ReadResult r = readCsv(path);
        QCOMPARE(r.error, QStringLiteral("%1:3: column 'x' holds a non-finite number (%2)").arg(path, QString::fromLatin1(token)));
    }

    void notANumberAfterSample()
    {
        QByteArray csv = "x,y\n";
        for (int i = 0; i < 1500; ++i)
            csv += QByteArray::number(i) + ",a\n";
        csv += "abc,b\n";
        const QString path = writeTemp(m_dir, QStringLiteral("late.csv"), csv);
        const ReadResult r = readCsv(path);
        QCOMPARE(r.records.size(), size_t(1500));
        QCOMPARE(r.error, path + QStringLiteral(":1502: column 'x' holds 'abc', not a number (the first 1000 rows made it numeric)"));
    }

    void largeIntegersAreKeptExactly()
    {
        QByteArray csv = "id,h\n";
        for (int i = 0; i < 1000; ++i)
            csv += QByteArray::number(i) + ",9007199254740" + QByteArray::number(993 + 2 * i) + "\n";
        QString path = writeTemp(m_dir, QStringLiteral("ids.csv"), csv);
        ReadResult r = readCsv(path);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.schema.columns[1].kind, ColumnKind::Text);
        QCOMPARE(renderValues(r.records[0].content).value(1), QStringLiteral("s:9007199254740993"));
        QCOMPARE(renderValues(r.records[1].content).value(1), QStringLiteral("s:9007199254740995"));

        // A numeric column meeting one after the sample: refused, naming it, not rounded to 2^53.
        csv = "x\n";
        for (int i = 0; i < 1000; ++i)
            csv += QByteArray::number(i) + "\n";
        csv += "-9007199254740993\n";
        path = writeTemp(m_dir, QStringLiteral("late-int.csv"), csv);
        r = readCsv(path);
        QCOMPARE(r.records.size(), size_t(1000));
        QCOMPARE(r.error, path + QStringLiteral(":1002: column 'x' holds an integer beyond 2^53 (-9007199254740993), which a number "
                                                "column cannot hold exactly (the first 1000 rows made it numeric; a column of such "
                                                "integers is kept as text)"));
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("idColumn");
        QTest::addColumn<QString>("labelColumn");
        QTest::addColumn<QString>("message"); // after "<path>"
        QTest::newRow("ragged") << QByteArray("a,b,c,d,e\n1,2,3,4,5\n1,2,3,4,5\n1,2,3\n") << "" << ""
                                << ":4: row has 3 fields, the header has 5";
        QTest::newRow("ragged long") << QByteArray("a,b\n1,2\n1,2,3\n") << "" << "" << ":3: row has 3 fields, the header has 2";
        QTest::newRow("unterminated") << QByteArray("a,b\n1,2\n3,\"oops\n4,5\n") << "" << "" << ":3: unterminated quoted field";
        QTest::newRow("after quote") << QByteArray("a,b\n\"x\"y,2\n") << "" << "" << ":2: field 1 has text after its closing quote";
        QTest::newRow("utf8 data") << QByteArray("a,b\n1,2\n3,\xff\n") << "" << "" << ":3: invalid UTF-8";
        QTest::newRow("utf8 header") << QByteArray("a,\xc3\x28\n1,2\n") << "" << "" << ":1: invalid UTF-8";
        QTest::newRow("utf8 overlong") << QByteArray("a\n\xc0\xaf\n") << "" << "" << ":2: invalid UTF-8";
        QTest::newRow("empty") << QByteArray() << "" << "" << ": file is empty";
        QTest::newRow("only bom") << QByteArray("\xEF\xBB\xBF\n") << "" << "" << ": file is empty";
        QTest::newRow("header only") << QByteArray("a,b\n") << "" << "" << ": no records after the header";
        QTest::newRow("no id column") << QByteArray("a,b,c\n1,2,3\n") << "foo" << "" << ": no column named 'foo' (columns: a, b, c)";
        QTest::newRow("no label column") << QByteArray("a,b\n1,2\n") << "" << "lbl" << ": no column named 'lbl' (columns: a, b)";
        QTest::newRow("duplicate name") << QByteArray("a,b,a\n1,2,3\n") << "" << "" << ":1: duplicate column name 'a'";
        QTest::newRow("empty name") << QByteArray("a,,c\n1,2,3\n") << "" << "" << ":1: column 2 has an empty name";
        QTest::newRow("empty id") << QByteArray("id,v\nx,1\n,2\n") << "id" << "" << ":3: empty id in column 'id'";
    }
    void errors()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, idColumn);
        QFETCH(QString, labelColumn);
        QFETCH(QString, message);
        const QString path = writeTemp(m_dir, QStringLiteral("bad.csv"), bytes);
        ReaderOptions options;
        options.idColumn = idColumn;
        options.labelColumn = labelColumn;
        const ReadResult r = readCsv(path, options);
        QCOMPARE(r.error, path + message);
    }

    void labelsFile()
    {
        const QString path = writeTemp(m_dir, QStringLiteral("lf.csv"), "a\n1\n2\n3\n");
        ReaderOptions options;
        options.labelsFile = writeTemp(m_dir, QStringLiteral("labels.txt"), "cat\n\ndog\n");
        const ReadResult r = readCsv(path, options);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.records.size(), size_t(3));
        QCOMPARE(r.records[0].label, std::optional<std::string>("cat"));
        QVERIFY(!r.records[1].label);
        QCOMPARE(r.records[2].label, std::optional<std::string>("dog"));
        QCOMPARE(r.files, QStringList({path, options.labelsFile}));
    }

    void labelsFileMismatch_data()
    {
        QTest::addColumn<int>("records");
        QTest::addColumn<int>("labels");
        QTest::newRow("fewer labels") << 5 << 3;
        QTest::newRow("more labels") << 3 << 5;
        QTest::newRow("fewer labels past the sample") << 1200 << 1100;
    }
    void labelsFileMismatch()
    {
        QFETCH(int, records);
        QFETCH(int, labels);
        QByteArray csv = "a\n", text;
        for (int i = 0; i < records; ++i)
            csv += QByteArray::number(i) + "\n";
        for (int i = 0; i < labels; ++i)
            text += "l" + QByteArray::number(i) + "\n";
        const QString path = writeTemp(m_dir, QStringLiteral("mm.csv"), csv);
        ReaderOptions options;
        options.labelsFile = writeTemp(m_dir, QStringLiteral("mm.txt"), text);
        const ReadResult r = readCsv(path, options);
        QCOMPARE(r.error, QStringLiteral("%1: %2 labels for %3 records in %4").arg(options.labelsFile).arg(labels).arg(records).arg(path));
    }

    void recordsAcrossBlocks()
    {
        // Several MiB, with quoted multi-line fields and a 3 MiB cell, so records straddle every block edge.
        QByteArray csv = "id,text,n\n";
        int rows = 0;
        qint64 line = 2;
        QList<qint64> lines;
        while (csv.size() < 5 * 1024 * 1024) {
            const QByteArray text = rows % 7 == 0 ? "\"multi\nline, \"\"quoted\"\"\n" + QByteArray(rows % 50, 'x') + "\""
                                                  : QByteArray(rows % 90, 'y');
            csv += "r" + QByteArray::number(rows) + "," + text + "," + QByteArray::number(rows) + "\r\n";
            lines << line;
            line += 1 + (rows % 7 == 0 ? 2 : 0);
            ++rows;
            if (rows == 20000) {
                csv += "big," + QByteArray(3 * 1024 * 1024, 'z') + ",-1\n";
                lines << line++;
                ++rows;
            }
        }
        const QString path = writeTemp(m_dir, QStringLiteral("blocks.csv"), csv);
        ReaderOptions options;
        options.idColumn = QStringLiteral("id");
        const ReadResult r = readCsv(path, options);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.records.size(), size_t(rows));
        for (int i = 0; i < rows; ++i) {
            const SourceRecord &rec = r.records[size_t(i)];
            QCOMPARE(rec.position, lines[i]);
            if (i == 20000) {
                QCOMPARE(rec.id, std::string("big"));
                QCOMPARE(renderValues(rec.content).last(), QStringLiteral("n:-1"));
                continue;
            }
            const int k = i;
            QCOMPARE(rec.id, "r" + std::to_string(k));
            const QStringList values = renderValues(rec.content);
            QCOMPARE(values.last(), QStringLiteral("n:%1").arg(k));
            if (k % 7 == 0)
                QVERIFY(values.first().startsWith(QStringLiteral("s:multi\nline, \"quoted\"\n")));
        }
        QCOMPARE(r.done, r.total);
    }
};

QTEST_GUILESS_MAIN(TestCsvReader)
#include "TestCsvReader.moc"
