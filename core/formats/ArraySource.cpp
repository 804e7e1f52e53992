#include "formats/ArraySource.h"

#include "formats/InputLimits.h"

#include <QStringList>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>

namespace custody {

int scalarSize(ScalarType type)
{
    switch (type) {
    case ScalarType::Bool:
    case ScalarType::Int8:
    case ScalarType::UInt8: return 1;
    case ScalarType::Int16:
    case ScalarType::UInt16: return 2;
    case ScalarType::Int32:
    case ScalarType::UInt32:
    case ScalarType::Float32: return 4;
    case ScalarType::Int64:
    case ScalarType::UInt64:
    case ScalarType::Float64: return 8;
    }
    return 1;
}

namespace {

template<typename T>
T load(const char *p, bool swap)
{
    char b[sizeof(T)];
    std::memcpy(b, p, sizeof(T));
    if (swap)
        for (size_t i = 0; i < sizeof(T) / 2; ++i)
            std::swap(b[i], b[sizeof(T) - 1 - i]);
    T v;
    std::memcpy(&v, b, sizeof(T));
    return v;
}

template<typename Out, typename T>
void convert(const char *src, size_t count, bool swap, Out *out)
{
    for (size_t i = 0; i < count; ++i)
        out[i] = Out(load<T>(src + i * sizeof(T), swap));
}

template<typename Out>
void convertAny(const char *src, size_t count, ScalarType type, bool bigEndian, Out *out)
{
    static_assert(std::endian::native == std::endian::little, "the readers assume a little-endian host");
    const bool swap = bigEndian;
    switch (type) {
    case ScalarType::Bool:
        for (size_t i = 0; i < count; ++i)
            out[i] = src[i] ? Out(1) : Out(0);
        break;
    case ScalarType::Int8: convert<Out, int8_t>(src, count, false, out); break;
    case ScalarType::UInt8: convert<Out, uint8_t>(src, count, false, out); break;
    case ScalarType::Int16: convert<Out, int16_t>(src, count, swap, out); break;
    case ScalarType::UInt16: convert<Out, uint16_t>(src, count, swap, out); break;
    case ScalarType::Int32: convert<Out, int32_t>(src, count, swap, out); break;
    case ScalarType::UInt32: convert<Out, uint32_t>(src, count, swap, out); break;
    case ScalarType::Int64: convert<Out, int64_t>(src, count, swap, out); break;
    case ScalarType::UInt64: convert<Out, uint64_t>(src, count, swap, out); break;
    case ScalarType::Float32: convert<Out, float>(src, count, swap, out); break;
    case ScalarType::Float64: convert<Out, double>(src, count, swap, out); break;
    }
}

} // namespace

void scalarsToDoubles(const char *src, size_t count, ScalarType type, bool bigEndian, double *out)
{
    convertAny(src, count, type, bigEndian, out);
}

qint64 firstIntegerBeyondDouble(const char *src, size_t count, ScalarType type, bool bigEndian, std::string *text)
{
    constexpr uint64_t limit = uint64_t(1) << 53;
    for (size_t i = 0; i < count; ++i) {
        char buf[24];
        if (type == ScalarType::Int64) {
            const int64_t v = load<int64_t>(src + i * 8, bigEndian);
            if (v > int64_t(limit) || v < -int64_t(limit)) {
                text->assign(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
                return qint64(i);
            }
        } else if (type == ScalarType::UInt64) {
            const uint64_t v = load<uint64_t>(src + i * 8, bigEndian);
            if (v > limit) {
                text->assign(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
                return qint64(i);
            }
        } else {
            return -1;
        }
    }
    return -1;
}

void scalarsToFloats(const char *src, size_t count, ScalarType type, bool bigEndian, float *out)
{
    convertAny(src, count, type, bigEndian, out);
}

ArraySource::~ArraySource() = default;

bool ArraySource::checkShape(qint64 *dataBytes, QString *error)
{
    m_cols = 0;
    m_rowBytes = 0;
    if (m_shape.size() > limits::kMaxDimensions) {
        *error = QStringLiteral("%1: %2 dimensions, more than the %3 allowed").arg(m_path).arg(m_shape.size()).arg(limits::kMaxDimensions);
        return false;
    }
    qint64 cols = 1;
    qint64 rowBytes = 0;
    bool overflow = false;
    for (size_t i = 1; i < m_shape.size(); ++i)
        overflow = overflow || m_shape[i] < 0 || __builtin_mul_overflow(cols, m_shape[i], &cols);
    overflow = overflow || __builtin_mul_overflow(cols, qint64(scalarSize(m_type)), &rowBytes);
    if (overflow || rowBytes > limits::kMaxRowBytes) {
        *error = QStringLiteral("%1: shape %2 of %3 makes records larger than the %4 MiB limit")
                     .arg(m_path, shapeText(), m_typeName).arg(limits::kMaxRowBytes >> 20);
        return false;
    }
    if (rowBytes == 0 && rows() > 0) {
        *error = QStringLiteral("%1: shape %2 makes records of no values").arg(m_path, shapeText());
        return false;
    }
    if (rows() < 0 || __builtin_mul_overflow(rows(), rowBytes, dataBytes)) {
        *error = QStringLiteral("%1: shape %2 of %3 declares more data than any file can hold").arg(m_path, shapeText(), m_typeName);
        return false;
    }
    m_cols = cols;
    m_rowBytes = rowBytes;
    return true;
}

QString ArraySource::trailingMessage(qint64 extraBytes) const
{
    return QStringLiteral("%1: %2 bytes follow the last record (shape %3 of %4): the file holds more than its header declares")
        .arg(m_path).arg(extraBytes).arg(shapeText(), m_typeName);
}

QString ArraySource::truncatedMessage(qint64 availableBytes) const
{
    const qint64 whole = m_rowBytes == 0 ? 0 : std::max<qint64>(0, availableBytes) / m_rowBytes;
    return QStringLiteral("%1: record %2: truncated data").arg(m_path).arg(whole + 1);
}

bool ArraySource::readRow(std::vector<float> *row, QString *error)
{
    m_raw.resize(rowBytes());
    if (!readRowBytes(m_raw.data(), error))
        return false;
    row->resize(size_t(cols()));
    scalarsToFloats(m_raw.data(), row->size(), m_type, m_bigEndian, row->data());
    return true;
}

bool ArraySource::readRow(std::vector<double> *row, QString *error)
{
    m_raw.resize(rowBytes());
    if (!readRowBytes(m_raw.data(), error))
        return false;
    // Doubles are read where exact values matter (labels): a 64-bit integer they would round is refused.
    std::string beyond;
    if (firstIntegerBeyondDouble(m_raw.data(), size_t(cols()), m_type, m_bigEndian, &beyond) >= 0) {
        *error = QStringLiteral("%1: record %2: the integer %3 is beyond 2^53, which a double cannot hold exactly; store the values as "
                                "text").arg(m_path).arg(rowsRead()).arg(QString::fromStdString(beyond));
        return false;
    }
    row->resize(size_t(cols()));
    scalarsToDoubles(m_raw.data(), row->size(), m_type, m_bigEndian, row->data());
    return true;
}

QString ArraySource::shapeText() const
{
    QStringList parts;
    for (qint64 d : m_shape)
        parts.append(QString::number(d));
    return QStringLiteral("(%1%2)").arg(parts.join(QStringLiteral(", ")), m_shape.size() == 1 ? QStringLiteral(",") : QString());
}

} // namespace custody
