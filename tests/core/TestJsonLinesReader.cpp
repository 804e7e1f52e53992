#include "ReaderHarness.h"
#include "formats/JsonLinesReader.h"

#include <QTemporaryDir>
#include <QTest>

using namespace custody;
using namespace custody::test;

namespace {

ReadResult readJsonLines(const QString &path, const ReaderOptions &options = {})
{
    JsonLinesReader reader(path, options);
    return readAll(reader);
}

} // namespace

class TestJsonLinesReader : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void schemaInFirstAppearanceOrder()
    {
        const QString path = writeTemp(m_dir, QStringLiteral("a.jsonl"),
                                           "{\"z\": 1, \"b\": \"cat\", \"flag\": true}\n"
                                           "\n"
                                           "{\"b\": \"dog\", \"z\": 2.5, \"tags\": [1, \"x\"], \"flag\": false, \"m\": null}\r\n"
                                           "   \n"
                                           "{\"z\": -3, \"meta\": {\"k\": 1}}\n");
        const ReadResult r = readJsonLines(path);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(columnKinds(r.schema), QStringList({"z=number", "b=category", "flag=category", "tags=text", "m=text", "meta=text"}));
        QCOMPARE(r.records.size(), size_t(3));
        QCOMPARE(r.records[0].id, std::string("0"));
        QCOMPARE(r.records[2].id, std::string("2"));
        QCOMPARE(r.records[1].position, qint64(3));
        QCOMPARE(r.records[2].position, qint64(5));
        QCOMPARE(renderValues(r.records[0].content), QStringList({"n:1", "s:cat", "s:true", "null", "null", "null"}));
        QCOMPARE(renderValues(r.records[1].content), QStringList({"n:2.5", "s:dog", "s:false", "s:[1,\"x\"]", "null", "null"}));
        QCOMPARE(renderValues(r.records[2].content), QStringList({"n:-3", "null", "null", "null", "null", "s:{\"k\":1}"}));
        QCOMPARE(r.done, r.total);
    }

    void escapedKeysKeepTheirOrder()
    {
        const QString path = writeTemp(m_dir, QStringLiteral("esc.jsonl"), "{\"\\u00e9t\\\"e\": 1, \"a\": {\"nested\": 2}, \"b\": 3}\n");
        const ReadResult r = readJsonLines(path);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(columnKinds(r.schema), QStringList({QStringLiteral("\u00e9t\"e=number"), "a=text", "b=number"}));
    }

    void idsAndLabels_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("label"); // "<none>" for nullopt
        QTest::newRow("strings") << QByteArray("{\"id\": \"r7\", \"y\": \"cat\", \"v\": 1}") << "r7" << "cat";
        QTest::newRow("numbers") << QByteArray("{\"id\": 12345678901234567, \"y\": 3.0, \"v\": 1}") << "12345678901234567" << "3";
        QTest::newRow("fraction label") << QByteArray("{\"id\": 1, \"y\": 0.25, \"v\": 1}") << "1" << "0.25";
        QTest::newRow("null label") << QByteArray("{\"id\": \"a\", \"y\": null, \"v\": 1}") << "a" << "<none>";
        QTest::newRow("missing label") << QByteArray("{\"id\": \"a\", \"v\": 1}") << "a" << "<none>";
        QTest::newRow("empty label") << QByteArray("{\"id\": \"a\", \"y\": \"\", \"v\": 1}") << "a" << "<none>";
    }
    void idsAndLabels()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, id);
        QFETCH(QString, label);
        const QString path = writeTemp(m_dir, QStringLiteral("ids.jsonl"), "{\"id\": \"x\", \"y\": \"l\", \"v\": 0}\n" + line + "\n");
        ReaderOptions options;
        options.idColumn = QStringLiteral("id");
        options.labelColumn = QStringLiteral("y");
        const ReadResult r = readJsonLines(path, options);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(columnKinds(r.schema), QStringList({"v=number"}));
        QCOMPARE(r.records.size(), size_t(2));
        QCOMPARE(QString::fromStdString(r.records[1].id), id);
        QCOMPARE(r.records[1].label ? QString::fromStdString(*r.records[1].label) : QStringLiteral("<none>"), label);
        QCOMPARE(renderValues(r.records[1].content), QStringList({"n:1"}));
    }

    void numberColumnRefusesTextAfterSample()
    {
        QByteArray data;
        for (int i = 0; i < 1001; ++i)
            data += "{\"x\": " + QByteArray::number(i) + "}\n";
        data += "{\"x\": \"abc\"}\n";
        const QString path = writeTemp(m_dir, QStringLiteral("late.jsonl"), data);
        const ReadResult r = readJsonLines(path);
        QCOMPARE(r.records.size(), size_t(1001));
        QCOMPARE(r.error, path + QStringLiteral(":1002: column 'x' holds 'abc', not a number (the first 1000 objects made it numeric)"));
    }

    void newKeyAfterSample()
    {
        QByteArray data;
        for (int i = 0; i < 1000; ++i)
            data += "{\"x\": 1}\n";
        data += "{\"x\": 1, \"extra\": 2}\n";
        const QString path = writeTemp(m_dir, QStringLiteral("newkey.jsonl"), data);
        const ReadResult r = readJsonLines(path);
        QCOMPARE(r.records.size(), size_t(1000));
        QCOMPARE(r.error, path + QStringLiteral(":1001: key 'extra' is not in the schema (the first 1000 objects did not have it)"));
    }

    // Each distinct key is a column of every record, and a key an object lacks is stored as a null: objects
    // that each use a few of very many keys are refused instead of becoming a table many times the file's size.
    void sparseKeysAreBounded()
    {
        auto objects = [](int count, int keysEach) {
            QByteArray data;
            for (int i = 0; i < count; ++i) {
                data += '{';
                for (int k = 0; k < keysEach; ++k)
                    data += QStringLiteral("%1\"k%2_%3\": 1").arg(k ? QStringLiteral(", ") : QString()).arg(i).arg(k).toUtf8();
                data += "}\n";
            }
            return data;
        };
        const QByteArray sparse = objects(1000, 60); // 60,000 keys, 60 each
        QString path = writeTemp(m_dir, QStringLiteral("sparse.jsonl"), sparse);
        ReadResult r = readJsonLines(path);
        QVERIFY2(r.error.contains(QStringLiteral("the objects are too sparse to store as a table")), qPrintable(r.error));
        // The nulls stored before the refusal stay within 4 per byte of the file plus the 2^20 allowance.
        QVERIFY(!r.records.empty());
        QVERIFY2(int64_t(r.records.size()) * 59940 <= 4 * int64_t(sparse.size()) + (int64_t(1) << 20),
                 qPrintable(QString::number(r.records.size())));

        path = writeTemp(m_dir, QStringLiteral("union.jsonl"), objects(1000, 70)); // 70,000 distinct keys
        r = readJsonLines(path);
        QVERIFY2(r.error.contains(QStringLiteral("more than 65536 distinct keys in the first 937 objects")), qPrintable(r.error));
        QCOMPARE(r.records.size(), size_t(0));

        // Optional fields, each object holding 2 of 20: accepted, the missing ones null.
        QByteArray optional;
        for (int i = 0; i < 5000; ++i)
            optional += QStringLiteral("{\"x\": %1, \"o%2\": 1, \"o%3\": 2}\n").arg(i).arg(i % 20).arg((i + 1) % 20).toUtf8();
        path = writeTemp(m_dir, QStringLiteral("optional.jsonl"), optional);
        r = readJsonLines(path);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.records.size(), size_t(5000));
    }

    void largeIntegersAreKeptExactly()
    {
        QString path = writeTemp(m_dir, QStringLiteral("bigint.jsonl"), "{\"h\": 9007199254740993}\n{\"h\": 9007199254740995}\n");
        ReadResult r = readJsonLines(path);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QVERIFY(r.schema.columns[0].kind != ColumnKind::Number);
        QCOMPARE(renderValues(r.records[0].content), QStringList{"s:9007199254740993"});
        QByteArray data;
        for (int i = 0; i < 1000; ++i)
            data += "{\"x\": " + QByteArray::number(i) + "}\n";
        data += "{\"x\": 9007199254740993}\n";
        path = writeTemp(m_dir, QStringLiteral("late-bigint.jsonl"), data);
        r = readJsonLines(path);
        QCOMPARE(r.records.size(), size_t(1000));
        QVERIFY2(r.error.startsWith(path + QStringLiteral(":1001: column 'x' holds an integer beyond 2^53 (9007199254740993)")),
                 qPrintable(r.error));
        // The 64-bit extremes and decimals of any size are read.
        path = writeTemp(m_dir, QStringLiteral("extremes.jsonl"), "{\"h\": 9223372036854775807, \"l\": -9223372036854775808, \"d\": 1e300, \"f\": 18446744073709551615.5}\n");
        r = readJsonLines(path);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(renderValues(r.records[0].content).value(0), QStringLiteral("s:9223372036854775807"));
    }

    // A surrogate pair, the same key in two sibling objects and escapes are all fine.
    void strictButNotFussy()
    {
        const QString path = writeTemp(m_dir, QStringLiteral("fine.jsonl"),
                                       "{\"id\": \"a\", \"t\": \"\\ud83d\\ude00 tab\\t\", \"o\": [{\"k\": 1}, {\"k\": 2}]}\n");
        ReaderOptions options;
        options.idColumn = QStringLiteral("id");
        const ReadResult r = readJsonLines(path, options);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.records.size(), size_t(1));
    }

    void labelsFile()
    {
        const QString path = writeTemp(m_dir, QStringLiteral("lf.jsonl"), "{\"v\": 1}\n{\"v\": 2}\n");
        ReaderOptions options;
        options.labelsFile = writeTemp(m_dir, QStringLiteral("lf.txt"), "a\nb\n");
        ReadResult r = readJsonLines(path, options);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.records[1].label, std::optional<std::string>("b"));

        options.labelsFile = writeTemp(m_dir, QStringLiteral("lf1.txt"), "a\n");
        r = readJsonLines(path, options);
        QCOMPARE(r.error, QStringLiteral("%1: 1 labels for 2 records in %2").arg(options.labelsFile, path));
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("idColumn");
        QTest::addColumn<QString>("message");
        QTest::newRow("invalid json") << QByteArray("{\"a\": 1}\n{\"a\": }\n") << "" << ":2: invalid JSON";
        QTest::newRow("not an object") << QByteArray("{\"a\": 1}\n\n[1, 2]\n") << "" << ":3: not a JSON object";
        QTest::newRow("invalid utf8") << QByteArray("{\"a\": 1}\n{\"a\": \"\xed\xa0\x80\"}\n") << "" << ":2: invalid UTF-8";
        QTest::newRow("empty") << QByteArray("\n  \n") << "" << ": file is empty";
        QTest::newRow("no id column") << QByteArray("{\"a\": 1, \"b\": 2}\n") << "id" << ": no column named 'id' (columns: a, b)";
        QTest::newRow("empty id") << QByteArray("{\"id\": \"a\"}\n{\"id\": \"\"}\n") << "id" << ":2: empty id in 'id'";
        QTest::newRow("missing id") << QByteArray("{\"id\": \"a\", \"v\": 1}\n{\"v\": 2}\n") << "id" << ":2: empty id in 'id'";
        QTest::newRow("bool id") << QByteArray("{\"id\": true}\n") << "id" << ":1: id 'true' is not a string or number";
        // JSON has no NaN or infinity; Qt already refuses numbers that overflow.
        QTest::newRow("huge number") << QByteArray("{\"x\": 1}\n{\"x\": 1e999}\n") << "" << ":2: invalid JSON (illegal number";
        // What Qt lets through: the last of two keys silently won, a lone surrogate became '?', a raw control
        // character was kept.
        QTest::newRow("duplicate key") << QByteArray("{\"x\": 1}\n{\"x\": 1, \"x\": 2}\n") << ""
                                       << ":2: the key \"x\" appears twice in one object (column 10)";
        QTest::newRow("duplicate key, escaped") << QByteArray("{\"x\": 1, \"\\u0078\": 2}\n") << "" << ":1: the key \"x\" appears twice";
        QTest::newRow("duplicate key, nested") << QByteArray("{\"x\": {\"a\": 1, \"a\": 2}}\n") << "" << ":1: the key \"a\" appears twice";
        QTest::newRow("lone high surrogate") << QByteArray("{\"x\": \"a\\ud800b\"}\n") << "" << ":1: a lone surrogate \\ud800 at column 9";
        QTest::newRow("lone low surrogate") << QByteArray("{\"x\": \"\\udc00\"}\n") << "" << ":1: a lone surrogate \\udc00";
        QTest::newRow("raw tab in a string") << QByteArray("{\"x\": \"a\tb\"}\n") << "" << ":1: a raw control character (U+0009) inside a string at column 9";
        // Qt reads integers beyond 64 bits as doubles: their digits would be lost, so the literal is refused.
        QTest::newRow("integer beyond 2^64") << QByteArray("{\"h\": 18446744073709551615}\n") << ""
                                             << ":1: the integer 18446744073709551615 at column 7 is beyond 64 bits";
        QTest::newRow("negative beyond 2^63") << QByteArray("{\"h\": [1, -9223372036854775809]}\n") << ""
                                              << ":1: the integer -9223372036854775809 at column 11 is beyond 64 bits";
        QTest::newRow("raw escape in a key") << QByteArray("{\"x\x1b\": 1}\n") << "" << ":1: a raw control character (U+001b)";
    }
    void errors()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, idColumn);
        QFETCH(QString, message);
        const QString path = writeTemp(m_dir, QStringLiteral("bad.jsonl"), bytes);
        ReaderOptions options;
        options.idColumn = idColumn;
        const ReadResult r = readJsonLines(path, options);
        QVERIFY2(r.error.startsWith(path + message), qPrintable(r.error));
    }
};

QTEST_GUILESS_MAIN(TestJsonLinesReader)
#include "TestJsonLinesReader.moc"
