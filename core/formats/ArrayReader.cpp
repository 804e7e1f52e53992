#include "formats/ArrayReader.h"

#include "formats/InputLimits.h"
#include "formats/TextValues.h"

#include <charconv>
#include <cmath>

namespace custody {

namespace {

QString numberForMessage(double value)
{
    if (std::isnan(value))
        return QStringLiteral("nan");
    return value < 0 ? QStringLiteral("-inf") : QStringLiteral("inf");
}

} // namespace

ArrayReader::ArrayReader(const ReaderOptions &options)
    : m_options(options)
{
}

ArrayReader::~ArrayReader() = default;

bool ArrayReader::openLabelsFile(const QString &path, QString *error)
{
    m_labels = std::make_unique<LabelsFile>();
    return m_labels->open(path, error);
}

bool ArrayReader::resolveColumn(const QString &name, int *index, QString *error) const
{
    *index = -1;
    if (name.isEmpty())
        return true;
    if (!m_image) {
        // "f3" or "3"
        bool ok = false;
        const int i = (name.startsWith(QLatin1Char('f')) ? name.mid(1) : name).toInt(&ok);
        if (ok && i >= 0 && i < m_data->cols() && !name.startsWith(QLatin1Char('+'))) {
            *index = i;
            return true;
        }
    }
    QStringList names;
    if (m_image) {
        names.append(QStringLiteral("image"));
    } else {
        for (qint64 i = 0; i < std::min<qint64>(m_data->cols(), 21); ++i)
            names.append(QStringLiteral("f%1").arg(i));
    }
    *error = QStringLiteral("%1: no column named '%2' (columns: %3)").arg(m_data->path(), name, columnListText(names, m_image ? 1 : m_data->cols()));
    return false;
}

bool ArrayReader::open(QString *error)
{
    if (!openSources(error))
        return false;
    const std::vector<qint64> &shape = m_data->shape();
    const bool bytes = m_data->scalarType() == ScalarType::UInt8;
    // The limits an image folder applies: scan and drift refuse larger images as a workspace edited by hand.
    const bool imageShape = bytes && (shape.size() == 3 || shape.size() == 4);
    if (imageShape && (shape[1] > limits::kMaxImageSide || shape[2] > limits::kMaxImageSide || shape[1] * shape[2] > limits::kMaxImagePixels)) {
        *error = QStringLiteral("%1: images of %2 x %3 pixels (shape %4): more than the %5 allowed on a side or %6 in all")
                     .arg(m_data->path()).arg(shape[2]).arg(shape[1]).arg(m_data->shapeText()).arg(limits::kMaxImageSide).arg(limits::kMaxImagePixels);
        return false;
    }
    if (shape.size() == 3 && bytes) {
        m_image = true;
        m_schema.columns.append(Column{QStringLiteral("image"), ColumnKind::Image, int(shape[2]), int(shape[1]), 1});
    } else if (shape.size() == 4 && bytes && (shape[3] == 1 || shape[3] == 3 || shape[3] == 4)) {
        m_image = true;
        m_schema.columns.append(Column{QStringLiteral("image"), ColumnKind::Image, int(shape[2]), int(shape[1]), int(shape[3])});
    } else if ((shape.size() == 1 || shape.size() == 2) && m_data->cols() > 0) {
        if (!resolveColumn(m_options.idColumn, &m_idIndex, error) || !resolveColumn(m_options.labelColumn, &m_labelIndex, error))
            return false;
        for (qint64 i = 0; i < m_data->cols(); ++i)
            if (i != m_idIndex && i != m_labelIndex)
                m_schema.columns.append(Column{QStringLiteral("f%1").arg(i), ColumnKind::Number, 0, 0, 0});
    } else {
        *error = QStringLiteral("%1: shape %2 of %3 is not supported (records need (N,), (N, D), or uint8 images (N, H, W[, C]))")
                     .arg(m_data->path(), m_data->shapeText(), m_data->typeName());
        return false;
    }
    if (m_image && (!m_options.idColumn.isEmpty() || !m_options.labelColumn.isEmpty()))
        return resolveColumn(m_options.idColumn.isEmpty() ? m_options.labelColumn : m_options.idColumn, &m_idIndex, error);
    if (m_labels && m_labels->count() != m_data->rows()) {
        *error = m_labels->mismatchMessage(m_data->rows(), m_data->path(), m_recordNoun);
        return false;
    }
    return true;
}

bool ArrayReader::nonFinite(qint64 record, int column, double value, QString *error) const
{
    *error = QStringLiteral("%1: record %2: column 'f%3' holds a non-finite number (%4)")
                 .arg(m_data->path()).arg(record).arg(column).arg(numberForMessage(value));
    return false;
}

bool ArrayReader::next(SourceRecord *record, QString *error)
{
    error->clear();
    const qint64 row = m_data->rowsRead();
    if (row >= m_data->rows())
        return false;
    m_raw.resize(m_data->rowBytes());
    if (!m_data->readRowBytes(m_raw.data(), error))
        return false;
    record->position = row + 1;
    record->originalFile.clear();
    m_encoder.clear();

    if (m_image) {
        const Column &c = m_schema.columns.front();
        m_encoder.addImage(uint32_t(c.width), uint32_t(c.height), uint8_t(c.channels),
                           reinterpret_cast<const uint8_t *>(m_raw.data()));
    } else {
        m_values.resize(size_t(m_data->cols()));
        scalarsToDoubles(m_raw.data(), m_values.size(), m_data->scalarType(), m_data->bigEndian(), m_values.data());
        std::string beyond;
        if (const qint64 i = firstIntegerBeyondDouble(m_raw.data(), m_values.size(), m_data->scalarType(), m_data->bigEndian(), &beyond);
            i >= 0) {
            *error = QStringLiteral("%1: record %2: column 'f%3' holds %4; store it as float64, or as text in a CSV")
                         .arg(m_data->path()).arg(row + 1).arg(i).arg(inexactIntegerText(beyond));
            return false;
        }
        for (int i = 0; i < int(m_values.size()); ++i) {
            const double v = m_values[size_t(i)];
            if (!std::isfinite(v))
                return nonFinite(row + 1, i, v, error);
            if (i != m_idIndex && i != m_labelIndex)
                m_encoder.addNumber(v);
        }
    }
    std::swap(record->content, m_encoder.bytes());

    if (m_idIndex >= 0) {
        record->id = formatNumber(m_values[size_t(m_idIndex)]);
    } else {
        char buf[24];
        record->id.assign(buf, std::to_chars(buf, buf + sizeof buf, row).ptr);
    }
    if (m_labelIndex >= 0)
        record->label = formatNumber(m_values[size_t(m_labelIndex)]);
    else if (m_labels) {
        if (!m_labels->next(&record->label, error)) {
            if (error->isEmpty()) // counts were checked in open(); the file must have changed since
                *error = m_labels->mismatchMessage(m_data->rows(), m_data->path(), m_recordNoun);
            return false;
        }
    } else
        record->label.reset();
    return true;
}

qint64 ArrayReader::progressDone() const
{
    return m_data ? m_data->bytesDone() : 0;
}

qint64 ArrayReader::progressTotal() const
{
    return m_data ? m_data->bytesTotal() : 0;
}

QStringList ArrayReader::sourceFiles() const
{
    QStringList files;
    if (m_data)
        files.append(m_data->path());
    if (m_labels)
        files.append(m_labels->path());
    return files;
}

} // namespace custody
