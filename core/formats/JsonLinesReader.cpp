#include "formats/JsonLinesReader.h"
#include "formats/JsonStrict.h"

#include "formats/InputLimits.h"
#include "formats/LabelsFile.h"
#include "formats/TextValues.h"
#include "formats/Utf8.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <charconv>
#include <cmath>

namespace custody {

namespace {

bool isBlank(std::string_view line)
{
    return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

// The top-level keys of a (valid) JSON object in the order they are written; QJsonObject sorts them.
QStringList keysInOrder(std::string_view line)
{
    QStringList keys;
    int depth = 0;
    bool expectKey = false;
    for (size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (c == '"') {
            size_t j = i + 1;
            bool escaped = false;
            while (j < line.size() && line[j] != '"') {
                escaped = escaped || line[j] == '\\';
                j += line[j] == '\\' ? 2 : 1;
            }
            if (depth == 1 && expectKey) {
                const std::string_view raw = line.substr(i, j + 1 - i);
                if (!escaped) {
                    keys.append(QString::fromUtf8(raw.data() + 1, qsizetype(raw.size()) - 2));
                } else {
                    const QByteArray array = "[" + QByteArray(raw.data(), qsizetype(raw.size())) + "]";
                    keys.append(QJsonDocument::fromJson(array).array().at(0).toString());
                }
                expectKey = false;
            }
            i = j;
        } else if (c == '{' || c == '[') {
            ++depth;
            expectKey = depth == 1;
        } else if (c == '}' || c == ']') {
            --depth;
        } else if (c == ',' && depth == 1) {
            expectKey = true;
        }
    }
    return keys;
}

// Integers (that survive a round trip through qint64) print exactly, other numbers shortest round-trip.
std::string numberText(const QJsonValue &value)
{
    const double d = value.toDouble();
    // Qt keeps a 64-bit integer literal as an integer (JsonStrict refuses longer ones): its own digits, exactly.
    const bool integer = std::abs(d) < kLargestExactInteger ? d == std::trunc(d)
                                                            : value.toVariant().metaType().id() == QMetaType::LongLong;
    if (integer) {
        char buf[24];
        return std::string(buf, std::to_chars(buf, buf + sizeof buf, value.toInteger()).ptr);
    }
    return formatNumber(d);
}

// An integer a double cannot hold exactly (see isIntegerBeyondDouble).
bool beyondDouble(const QJsonValue &value)
{
    return std::abs(value.toDouble()) >= kLargestExactInteger && isIntegerBeyondDouble(numberText(value));
}

// The string a non-numeric value is encoded (and sampled) as.
std::string valueText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String: return value.toString().toStdString();
    case QJsonValue::Double: return numberText(value);
    case QJsonValue::Bool: return value.toBool() ? "true" : "false";
    case QJsonValue::Array: return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact).toStdString();
    case QJsonValue::Object: return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact).toStdString();
    default: return std::string();
    }
}

QString valueForMessage(const QJsonValue &value)
{
    const QString text = QString::fromStdString(valueText(value));
    return text.size() > 60 ? text.left(57) + QStringLiteral("...") : text;
}

} // namespace

JsonLinesReader::JsonLinesReader(const QString &path, const ReaderOptions &options)
    : m_path(path)
    , m_options(options)
{
}

JsonLinesReader::~JsonLinesReader() = default;

JsonLinesReader::Read JsonLinesReader::readObject(QJsonObject *object, std::string_view *raw, QString *error)
{
    std::string_view line;
    for (;;) {
        if (!m_in.readLine(&line, error))
            return error->isEmpty() ? Read::End : Read::Failed;
        ++m_line;
        if (!utf8::isValid(line)) {
            *error = at(m_line) + QStringLiteral("invalid UTF-8");
            return Read::Failed;
        }
        if (!isBlank(line))
            break;
    }
    m_objectLine = m_line;
    m_bytesRead += int64_t(line.size()) + 1;
    QJsonParseError parseError;
    const QJsonDocument doc =
        QJsonDocument::fromJson(QByteArray::fromRawData(line.data(), qsizetype(line.size())), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = at(m_line) + QStringLiteral("invalid JSON (%1 at column %2)").arg(parseError.errorString()).arg(parseError.offset + 1);
        return Read::Failed;
    }
    if (!doc.isObject()) {
        *error = at(m_line) + QStringLiteral("not a JSON object");
        return Read::Failed;
    }
    // Qt lets through what JSON forbids or leaves undefined: refused, so that what is stored is what was meant.
    if (const QString problem = strictJsonProblem(line); !problem.isEmpty()) {
        *error = at(m_line) + problem;
        return Read::Failed;
    }
    *object = doc.object();
    if (size_t(object->size()) > limits::kMaxFields) {
        *error = at(m_line) + QStringLiteral("more than %1 keys in one object").arg(limits::kMaxFields);
        return Read::Failed;
    }
    if (raw)
        *raw = line;
    return Read::Object;
}

bool JsonLinesReader::open(QString *error)
{
    if (!m_in.open(m_path, error))
        return false;
    QStringList order;
    QHash<QString, ColumnSample> samples;
    QJsonObject object;
    std::string_view raw;
    size_t sampleBytes = 0; // the sample stops at limits::kMaxSampleBytes of lines, too
    while (m_buffered.size() < size_t(kInferenceRows) && sampleBytes < limits::kMaxSampleBytes) {
        const Read read = readObject(&object, &raw, error);
        if (read == Read::Failed)
            return false;
        if (read == Read::End)
            break;
        for (const QString &key : keysInOrder(raw)) {
            if (!samples.contains(key)) {
                order.append(key);
                samples.insert(key, ColumnSample());
            }
        }
        // Every distinct key becomes a column of every record: the union is capped like one object's keys.
        if (size_t(order.size()) > limits::kMaxFields) {
            *error = at(m_line) + QStringLiteral("more than %1 distinct keys in the first %2 objects; Custody stores one column per key")
                                      .arg(limits::kMaxFields).arg(m_buffered.size() + 1);
            return false;
        }
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            ColumnSample &sample = samples[it.key()];
            const QJsonValue value = it.value();
            if (value.isDouble())
                sample.add(numberText(value), !beyondDouble(value));
            else if (value.isArray() || value.isObject())
                sample.addNonString();
            else if (!value.isNull())
                sample.add(valueText(value), false);
        }
        sampleBytes += raw.size();
        m_buffered.push_back(Buffered{object, m_objectLine});
    }
    m_sampleRows = qint64(m_buffered.size());
    if (m_buffered.empty()) {
        *error = QStringLiteral("%1: file is empty").arg(m_path);
        return false;
    }
    for (const QString &name : {m_options.idColumn, m_options.labelColumn}) {
        if (!name.isEmpty() && !samples.contains(name)) {
            *error = QStringLiteral("%1: no column named '%2' (columns: %3)").arg(m_path, name, columnListText(order));
            return false;
        }
    }
    for (const QString &name : order) {
        if (name == m_options.idColumn || name == m_options.labelColumn) {
            m_known.insert(name, -1);
            continue;
        }
        m_known.insert(name, int(m_schema.columns.size()));
        m_schema.columns.append(Column{name, samples.value(name).kind(qint64(m_buffered.size())), 0, 0, 0});
    }
    if (!m_options.labelsFile.isEmpty()) {
        m_labels = std::make_unique<LabelsFile>();
        if (!m_labels->open(m_options.labelsFile, error))
            return false;
    }
    return true;
}

bool JsonLinesReader::buildRecord(const QJsonObject &object, qint64 line, SourceRecord *record, QString *error)
{
    record->position = line;
    record->originalFile.clear();
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (!m_known.contains(it.key())) {
            *error = at(line) + QStringLiteral("key '%1' is not in the schema (the first %2 objects did not have it)")
                                    .arg(it.key()).arg(m_sampleRows);
            return false;
        }
    }
    if (!m_options.idColumn.isEmpty()) {
        const QJsonValue id = object.value(m_options.idColumn);
        if (id.isString() && !id.toString().isEmpty()) {
            record->id = id.toString().toStdString();
        } else if (id.isDouble() && std::isfinite(id.toDouble())) {
            record->id = numberText(id);
        } else {
            *error = at(line) + (id.isUndefined() || id.isNull() || id.isString()
                                     ? QStringLiteral("empty id in '%1'").arg(m_options.idColumn)
                                     : QStringLiteral("id '%1' is not a string or number").arg(valueForMessage(id)));
            return false;
        }
    } else {
        char buf[24];
        record->id.assign(buf, std::to_chars(buf, buf + sizeof buf, m_rowIndex).ptr);
    }
    if (!m_options.labelColumn.isEmpty()) {
        const QJsonValue label = object.value(m_options.labelColumn);
        if (label.isUndefined() || label.isNull() || (label.isString() && label.toString().isEmpty())) {
            record->label.reset();
        } else if (label.isArray() || label.isObject() || (label.isDouble() && !std::isfinite(label.toDouble()))) {
            *error = at(line) + QStringLiteral("label '%1' is not a string or number").arg(valueForMessage(label));
            return false;
        } else {
            record->label = valueText(label);
        }
    } else if (m_labels) {
        if (!m_labels->next(&record->label, error))
            return error->isEmpty() ? finishLabels(1, error) : false;
    } else {
        record->label.reset();
    }

    m_encoder.clear();
    for (const Column &column : std::as_const(m_schema.columns)) {
        const QJsonValue value = object.value(column.name);
        if (value.isUndefined() || value.isNull()) {
            m_missingCells += value.isUndefined() ? 1 : 0;
            m_encoder.addNull();
        } else if (column.kind != ColumnKind::Number) {
            m_encoder.addString(valueText(value));
        } else if (!value.isDouble()) {
            *error = at(line) + QStringLiteral("column '%1' holds '%2', not a number (the first %3 objects made it numeric)")
                                    .arg(column.name, valueForMessage(value)).arg(m_sampleRows);
            return false;
        } else if (!std::isfinite(value.toDouble())) {
            *error = at(line) + QStringLiteral("column '%1' holds a non-finite number (%2)").arg(column.name, valueForMessage(value));
            return false;
        } else if (beyondDouble(value)) {
            *error = at(line) + QStringLiteral("column '%1' holds %2 (the first %3 objects made it numeric; a column of such integers "
                                               "is kept as text)").arg(column.name, inexactIntegerText(numberText(value))).arg(m_sampleRows);
            return false;
        } else {
            m_encoder.addNumber(value.toDouble());
        }
    }
    // A key an object lacks is stored as a one-byte null: objects that each use few of many keys would turn a
    // small file into a large dense table (campaign 8: 1.4 MB into a 69 MB pack). Those nulls stay within
    // kMaxMissingKeysPerByte per byte read, beyond a fixed allowance.
    if (m_missingCells > limits::kMissingKeysAllowance + limits::kMaxMissingKeysPerByte * m_bytesRead) {
        *error = at(line) + QStringLiteral("the objects are too sparse to store as a table: by this line they lack %1 keys of the "
                                           "%2 the first objects used, more than %3 per byte read; give the objects the same keys")
                                .arg(m_missingCells).arg(m_schema.columns.size()).arg(limits::kMaxMissingKeysPerByte);
        return false;
    }
    std::swap(record->content, m_encoder.bytes());
    ++m_rowIndex;
    return true;
}

// See CsvReader::finishLabels: count the remaining records so the message names both totals.
bool JsonLinesReader::finishLabels(qint64 extraRecords, QString *error)
{
    qint64 records = m_rowIndex + extraRecords;
    if (extraRecords > 0) {
        records += qint64(m_buffered.size() - m_replayed);
        m_buffered.clear();
        m_replayed = 0;
        std::string_view line;
        while (m_in.readLine(&line, error))
            records += isBlank(line) ? 0 : 1;
        if (!error->isEmpty())
            return false;
    }
    *error = m_labels->mismatchMessage(records, m_path);
    return false;
}

bool JsonLinesReader::next(SourceRecord *record, QString *error)
{
    error->clear();
    if (m_replayed < m_buffered.size()) {
        const Buffered row = std::move(m_buffered[m_replayed++]);
        if (m_replayed == m_buffered.size()) {
            m_buffered.clear();
            m_buffered.shrink_to_fit();
            m_replayed = 0;
        }
        return buildRecord(row.object, row.line, record, error);
    }
    QJsonObject object;
    const Read read = readObject(&object, nullptr, error);
    if (read == Read::Failed)
        return false;
    if (read == Read::End) {
        if (m_labels && m_labels->taken() < m_labels->count())
            return finishLabels(0, error);
        return false;
    }
    return buildRecord(object, m_objectLine, record, error);
}

QStringList JsonLinesReader::sourceFiles() const
{
    QStringList files{m_path};
    if (m_labels)
        files.append(m_labels->path());
    return files;
}

} // namespace custody
