#pragma once

#include "formats/RecordReader.h"
#include "formats/Schema.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <string>
#include <vector>

class QTemporaryDir;

namespace custody::test {

// Everything a reader produced when drained, for the reader tests to assert on. Each test builds its own
// concrete reader (CsvReader, NpyReader, ...) and hands it to readAll().
struct ReadResult
{
    // open() succeeded; when it did not, only `error` is set.
    bool opened = false;
    // From open() or the failing next(); empty when every record was read.
    QString error;
    // Right after open().
    Schema schema;
    // After the last record (image folders refine the geometry while reading).
    Schema finalSchema;
    // Every record next() returned before the end or the error.
    std::vector<SourceRecord> records;
    // sourceFiles() and the progress, after draining.
    QStringList files;
    qint64 done = 0, total = 0;
    QStringList skipped; // skipped(), after draining
};

// Opens `reader` and calls next() until it returns false.
ReadResult readAll(RecordReader &reader);

// "name=kind" for each column, in order.
QStringList columnKinds(const Schema &schema);
// The column names, in order.
QStringList columnNames(const Schema &schema);

// A record's content in a form QCOMPARE can show, one entry per value, then "MALFORMED" when the buffer
// is malformed.
// Text formats: "null", "n:1.5", "s:abc", "img".
QStringList renderValues(const std::string &content);
// Array formats: numbers as QString::number ("1.5"), images as "img WxHxC <hex pixels>", anything else "?".
QStringList renderArrayValues(const std::string &content);
// "WxHxC <hex pixels>" when the content is exactly one image, else "not one image".
QString renderImage(const std::string &content);

// A .npy file (format `version` 1 or 2) with `dict` as its header text, padded as numpy pads it, then `data`.
QByteArray npyFile(QByteArray dict, const QByteArray &data, int version = 1);

// `bytes` compressed as a .gz file holds them.
QByteArray gzipped(const QByteArray &bytes);
// Writes `bytes` to dir/name with writeFile() and returns that path. Aborts the test run when it cannot, so
// that it can stand inside expressions (fixtures, option values).
QString writeTemp(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes);

} // namespace custody::test
