#pragma once

#include <QString>

#include <cstdint>
#include <string>
#include <vector>

namespace custody {

enum class ScalarType { Bool, Int8, UInt8, Int16, UInt16, Int32, UInt32, Int64, UInt64, Float32, Float64 };

int scalarSize(ScalarType type);
// Converts `count` packed scalars to doubles (or floats), swapping bytes when the source is big-endian.
void scalarsToDoubles(const char *src, size_t count, ScalarType type, bool bigEndian, double *out);
// For 64-bit integer types: the index of the first value beyond 2^53 in magnitude (which a double cannot hold
// exactly) and its text, or -1; always -1 for other types.
qint64 firstIntegerBeyondDouble(const char *src, size_t count, ScalarType type, bool bigEndian, std::string *text);
void scalarsToFloats(const char *src, size_t count, ScalarType type, bool bigEndian, float *out);

// A dense numeric array on disk read one row (first-axis slice) at a time: what .npy and IDX files have in
// common. Subclasses parse their header in open() and fill the protected fields.
class ArraySource
{
public:
    virtual ~ArraySource();

    virtual bool open(const QString &path, QString *error) = 0;
    // Reads the next row's raw bytes (rowBytes() of them). Errors name the record: "x.npy: record 7: ...".
    virtual bool readRowBytes(char *dst, QString *error) = 0;
    virtual qint64 bytesDone() const = 0;
    virtual qint64 bytesTotal() const = 0;

    const QString &path() const { return m_path; }
    const std::vector<qint64> &shape() const { return m_shape; }
    ScalarType scalarType() const { return m_type; }
    bool bigEndian() const { return m_bigEndian; }
    // The element type as the format spells it, for messages ("<f4", "ubyte").
    const QString &typeName() const { return m_typeName; }

    qint64 rows() const { return m_shape.empty() ? 0 : m_shape[0]; }
    // Values per row: the product of the shape after the first axis (1 for a 1-D array). Valid once
    // open() has checked the shape.
    qint64 cols() const { return m_cols; }
    size_t rowBytes() const { return size_t(m_rowBytes); }
    qint64 rowsRead() const { return m_rowsRead; }

    // The next row converted to numbers; a 1-D array gives rows of one value.
    bool readRow(std::vector<float> *row, QString *error);
    bool readRow(std::vector<double> *row, QString *error);

    // "(60000, 28, 28)"
    QString shapeText() const;

protected:
    // Checks the parsed shape before anything is allocated: the dimension count, every product with
    // overflow-safe arithmetic, one record within limits::kMaxRowBytes and not empty. Sets cols() and
    // rowBytes(), and *dataBytes to the size of all rows (which the caller compares with what the file holds).
    bool checkShape(qint64 *dataBytes, QString *error);
    // "x.npy: record 5: truncated data" for a file holding `availableBytes` of data.
    QString truncatedMessage(qint64 availableBytes) const;
    // "x.npy: 12 bytes follow the last record ...": the file holds more than its header declares.
    QString trailingMessage(qint64 extraBytes) const;

    QString m_path;
    std::vector<qint64> m_shape;
    ScalarType m_type = ScalarType::Float64;
    bool m_bigEndian = false;
    QString m_typeName;
    qint64 m_rowsRead = 0;
    qint64 m_cols = 0;
    qint64 m_rowBytes = 0;

private:
    std::string m_raw;
};

} // namespace custody
