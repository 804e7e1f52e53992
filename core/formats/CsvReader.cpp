#include "formats/CsvReader.h"

#include "formats/InputLimits.h"
#include "formats/LabelsFile.h"
#include "formats/Utf8.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <unordered_set>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace custody {

namespace {

QString cellForMessage(std::string_view cell)
{
    const QString text = QString::fromUtf8(cell.data(), qsizetype(cell.size()));
    return text.size() > 60 ? text.left(57) + QStringLiteral("...") : text;
}

qint64 countNewlines(const char *from, const char *to)
{
    return std::count(from, to, '\n');
}

// First delimiter, '\n' or '\r' in [p, end), or end. Sixteen bytes per step: most numeric cells end
// within the first load. TextInput keeps readable padding after end, so the loads never fault.
inline const char *scanUnquoted(const char *p, const char *end, char delimiter,
                                       [[maybe_unused]] const std::array<bool, 256> &special)
{
#ifdef __SSE2__
    const __m128i d = _mm_set1_epi8(delimiter);
    const __m128i nl = _mm_set1_epi8('\n');
    const __m128i cr = _mm_set1_epi8('\r');
    while (p < end) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
        const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, d), _mm_cmpeq_epi8(v, nl)), _mm_cmpeq_epi8(v, cr));
        const unsigned mask = unsigned(_mm_movemask_epi8(hit));
        if (mask)
            return std::min(p + __builtin_ctz(mask), end);
        p += 16;
    }
    return end;
#else
    (void)delimiter;
    while (p < end && !special[uint8_t(*p)])
        ++p;
    return p;
#endif
}

} // namespace

CsvReader::CsvReader(const QString &path, char delimiter, const ReaderOptions &options)
    : m_path(path)
    , m_delimiter(delimiter)
    , m_options(options)
{
    m_special[uint8_t(delimiter)] = true;
    m_special[uint8_t('\n')] = true;
    m_special[uint8_t('\r')] = true;
}

CsvReader::~CsvReader() = default;

// Parses one physical record out of the input buffer. When the record runs past the buffered bytes, the
// buffer is refilled and the record parsed again from its start: that happens about once per block, and
// keeps every field a plain pointer into the buffer.
CsvReader::Parsed CsvReader::parseRecord(QString *error)
{
    for (;;) {
        const char *const rec = m_in.pos();
        const char *const end = m_in.end();
        const bool eof = m_in.atEof();
        if (rec == end) {
            if (eof)
                return Parsed::End;
            if (!m_in.fill(error, m_nextLine))
                return Parsed::Failed;
            continue;
        }
        m_fields.clear();
        qint64 innerLines = 0;
        const char *p = rec;
        bool needMore = false;
        bool done = false;
        while (!done && !needMore) {
            if (p == end) { // just after a delimiter
                if (!eof) {
                    needMore = true;
                    break;
                }
                m_fields.push_back(Field{p, 0, false, false});
                break;
            }
            Field field{p, 0, false, false};
            if (*p == '"') {
                field.quoted = true;
                field.data = ++p;
                for (;;) {
                    const char *q = static_cast<const char *>(std::memchr(p, '"', size_t(end - p)));
                    if (!q) {
                        if (eof) {
                            *error = at(m_nextLine) + QStringLiteral("unterminated quoted field");
                            return Parsed::Failed;
                        }
                        needMore = true;
                        break;
                    }
                    innerLines += countNewlines(p, q);
                    if (q + 1 == end && !eof) {
                        needMore = true; // cannot tell "" from a closing quote yet
                        break;
                    }
                    if (q + 1 < end && q[1] == '"') {
                        field.escaped = true;
                        p = q + 2;
                        continue;
                    }
                    field.size = uint32_t(q - field.data);
                    p = q + 1;
                    break;
                }
                if (needMore)
                    break;
                if (p == end) {
                    if (!eof) {
                        needMore = true;
                        break;
                    }
                    done = true;
                } else if (*p == m_delimiter) {
                    ++p;
                } else if (*p == '\n') {
                    ++p;
                    done = true;
                } else if (*p == '\r' && p + 1 == end && !eof) {
                    needMore = true;
                    break;
                } else if (*p == '\r' && (p + 1 == end || p[1] == '\n')) {
                    p += p + 1 == end ? 1 : 2;
                    done = true;
                } else {
                    *error = at(m_nextLine) + QStringLiteral("field %1 has text after its closing quote").arg(m_fields.size() + 1);
                    return Parsed::Failed;
                }
                if (!fieldFits(field, error))
                    return Parsed::Failed;
                m_fields.push_back(field);
                continue;
            }
            // Unquoted fast path: one table lookup per byte. A lone '\r' is data, like a stray quote.
            for (;;) {
                p = scanUnquoted(p, end, m_delimiter, m_special);
                if (p < end && *p == '\r' && p + 1 < end && p[1] != '\n') {
                    ++p;
                    continue;
                }
                break;
            }
            if (p == end || (*p == '\r' && p + 1 == end)) {
                if (!eof) {
                    needMore = true;
                    break;
                }
                field.size = uint32_t(p - field.data);
                p = end;
                done = true;
            } else {
                field.size = uint32_t(p - field.data);
                if (*p == m_delimiter) {
                    ++p;
                } else {
                    p += *p == '\r' ? 2 : 1;
                    done = true;
                }
            }
            if (!fieldFits(field, error))
                return Parsed::Failed;
            m_fields.push_back(field);
        }
        if (needMore) {
            m_in.consume(rec);
            if (!m_in.fill(error, m_nextLine))
                return Parsed::Failed;
            continue;
        }
        m_recordLine = m_nextLine;
        m_nextLine += 1 + innerLines;
        m_in.consume(p);
        const size_t bad = utf8::firstInvalid(rec, size_t(p - rec));
        if (bad != size_t(p - rec)) {
            *error = at(m_recordLine) + QStringLiteral("invalid UTF-8");
            return Parsed::Failed;
        }
        // Unescaped fields go back to back into one string, reserved first so the views stay valid; it never
        // holds more than one record.
        m_cells.resize(m_fields.size());
        size_t escapedBytes = 0;
        for (const Field &f : m_fields)
            escapedBytes += f.escaped ? f.size : 0;
        m_unescaped.clear();
        if (m_unescaped.capacity() > 4 * escapedBytes + TextInput::kBlockSize)
            m_unescaped.shrink_to_fit();
        m_unescaped.reserve(escapedBytes);
        for (size_t i = 0; i < m_fields.size(); ++i) {
            const Field &f = m_fields[i];
            if (!f.escaped) {
                m_cells[i] = std::string_view(f.data, f.size);
                continue;
            }
            const size_t begin = m_unescaped.size();
            for (uint32_t k = 0; k < f.size; ++k) {
                m_unescaped.push_back(f.data[k]);
                if (f.data[k] == '"')
                    ++k; // the second quote of a "" pair
            }
            m_cells[i] = std::string_view(m_unescaped).substr(begin);
        }
        return Parsed::Record;
    }
}

// The caps on one field and on the fields of a row (limits::kMaxFieldBytes, limits::kMaxFields), checked as each
// field is parsed so that a line of commas never grows m_fields past the cap.
bool CsvReader::fieldFits(const Field &field, QString *error) const
{
    if (m_fields.size() >= limits::kMaxFields) {
        *error = at(m_nextLine) + QStringLiteral("more than %1 fields in one row").arg(limits::kMaxFields);
        return false;
    }
    if (field.size > limits::kMaxFieldBytes) {
        *error = at(m_nextLine) + QStringLiteral("field %1 is longer than %2 MiB").arg(m_fields.size() + 1).arg(limits::kMaxFieldBytes >> 20);
        return false;
    }
    return true;
}

CsvReader::Parsed CsvReader::readRow(QString *error)
{
    for (;;) {
        const Parsed parsed = parseRecord(error);
        if (parsed != Parsed::Record)
            return parsed;
        // Blank lines are skipped, as most CSV writers and readers do; "" is a real (empty) field.
        if (m_fields.size() == 1 && m_fields[0].size == 0 && !m_fields[0].quoted)
            continue;
        if (!m_header.isEmpty() && m_cells.size() != size_t(m_header.size())) {
            *error = at(m_recordLine)
                + QStringLiteral("row has %1 fields, the header has %2").arg(m_cells.size()).arg(m_header.size());
            return Parsed::Failed;
        }
        return Parsed::Record;
    }
}

bool CsvReader::open(QString *error)
{
    if (!m_in.open(m_path, error))
        return false;
    const Parsed header = readRow(error);
    if (header == Parsed::Failed)
        return false;
    if (header == Parsed::End) {
        *error = QStringLiteral("%1: file is empty").arg(m_path);
        return false;
    }
    QStringList names;
    std::unordered_set<std::string_view> seen;
    for (size_t i = 0; i < m_cells.size(); ++i) {
        if (m_cells[i].empty()) {
            *error = at(m_recordLine) + QStringLiteral("column %1 has an empty name").arg(i + 1);
            return false;
        }
        if (!seen.insert(m_cells[i]).second) {
            *error = at(m_recordLine) + QStringLiteral("duplicate column name '%1'").arg(cellForMessage(m_cells[i]));
            return false;
        }
        names.append(QString::fromUtf8(m_cells[i].data(), qsizetype(m_cells[i].size())));
    }
    const auto columnIndex = [&](const QString &name, int *index) {
        *index = name.isEmpty() ? -1 : int(names.indexOf(name));
        if (!name.isEmpty() && *index < 0) {
            *error = QStringLiteral("%1: no column named '%2' (columns: %3)").arg(m_path, name, columnListText(names));
            return false;
        }
        return true;
    };
    if (!columnIndex(m_options.idColumn, &m_idIndex) || !columnIndex(m_options.labelColumn, &m_labelIndex))
        return false;
    m_header = names;

    // Buffer the sample rows, then decide each column's kind from them.
    // The sample also stops at limits::kMaxSampleBytes, so that long rows cannot make it balloon.
    std::vector<ColumnSample> samples(size_t(names.size()));
    size_t sampleBytes = 0;
    for (;;) {
        if (m_buffered.size() == size_t(kInferenceRows) || sampleBytes >= limits::kMaxSampleBytes)
            break;
        const Parsed parsed = readRow(error);
        if (parsed == Parsed::Failed)
            return false;
        if (parsed == Parsed::End)
            break;
        BufferedRow row;
        row.line = m_recordLine;
        for (size_t i = 0; i < m_cells.size(); ++i) {
            double value;
            const NumberText number = parseNumber(m_cells[i], &value);
            samples[i].add(m_cells[i], number == NumberText::Finite || number == NumberText::NonFinite);
            row.bytes.append(m_cells[i]);
            row.ends.push_back(uint32_t(row.bytes.size()));
        }
        sampleBytes += row.bytes.size() + row.ends.size() * sizeof(uint32_t);
        m_buffered.push_back(std::move(row));
    }
    m_sampleRows = qint64(m_buffered.size());
    if (m_buffered.empty()) {
        *error = QStringLiteral("%1: no records after the header").arg(m_path);
        return false;
    }
    for (int i = 0; i < names.size(); ++i) {
        if (i == m_idIndex || i == m_labelIndex)
            continue;
        Column column;
        column.name = names[i];
        column.kind = samples[size_t(i)].kind(qint64(m_buffered.size()));
        m_schema.columns.append(column);
        m_featureIndex.push_back(i);
    }
    if (!m_options.labelsFile.isEmpty()) {
        m_labels = std::make_unique<LabelsFile>();
        if (!m_labels->open(m_options.labelsFile, error))
            return false;
    }
    return true;
}

bool CsvReader::buildRecord(const std::string_view *cells, qint64 line, SourceRecord *record, QString *error)
{
    record->position = line;
    record->originalFile.clear();
    if (m_idIndex >= 0) {
        if (cells[m_idIndex].empty()) {
            *error = at(line) + QStringLiteral("empty id in column '%1'").arg(m_options.idColumn);
            return false;
        }
        record->id.assign(cells[m_idIndex]);
    } else {
        char buf[24];
        record->id.assign(buf, std::to_chars(buf, buf + sizeof buf, m_rowIndex).ptr);
    }
    if (m_labelIndex >= 0) {
        if (cells[m_labelIndex].empty())
            record->label.reset();
        else if (record->label)
            record->label->assign(cells[m_labelIndex]);
        else
            record->label.emplace(cells[m_labelIndex]);
    } else if (m_labels) {
        if (!m_labels->next(&record->label, error)) {
            if (error->isEmpty())
                return finishLabels(1, error);
            return false;
        }
    } else {
        record->label.reset();
    }

    m_encoder.clear();
    for (qsizetype c = 0; c < m_schema.columns.size(); ++c) {
        const std::string_view cell = cells[m_featureIndex[size_t(c)]];
        if (cell.empty()) {
            m_encoder.addNull();
            continue;
        }
        if (m_schema.columns[c].kind != ColumnKind::Number) {
            m_encoder.addString(cell);
            continue;
        }
        double value;
        switch (parseNumber(cell, &value)) {
        case NumberText::Finite:
            m_encoder.addNumber(value);
            break;
        case NumberText::NonFinite:
            *error = at(line)
                + QStringLiteral("column '%1' holds a non-finite number (%2)").arg(m_schema.columns[c].name, cellForMessage(cell));
            return false;
        case NumberText::InexactInteger:
            *error = at(line)
                + QStringLiteral("column '%1' holds %2 (the first %3 rows made it numeric; a column of such integers is kept as text)")
                      .arg(m_schema.columns[c].name, inexactIntegerText(cell))
                      .arg(m_sampleRows);
            return false;
        case NumberText::NotNumber:
            *error = at(line)
                + QStringLiteral("column '%1' holds '%2', not a number (the first %3 rows made it numeric)")
                      .arg(m_schema.columns[c].name, cellForMessage(cell))
                      .arg(m_sampleRows);
            return false;
        }
    }
    std::swap(record->content, m_encoder.bytes());
    ++m_rowIndex;
    return true;
}

// The labels file ran out (extraRecords > 0) or the records did: count what is left so the message can
// name both totals.
bool CsvReader::finishLabels(qint64 extraRecords, QString *error)
{
    qint64 records = m_rowIndex + extraRecords;
    if (extraRecords > 0) {
        records += qint64(m_buffered.size() - m_replayed);
        m_buffered.clear();
        m_replayed = 0;
        for (;;) {
            const Parsed parsed = readRow(error);
            if (parsed == Parsed::Failed)
                return false;
            if (parsed == Parsed::End)
                break;
            ++records;
        }
    }
    *error = m_labels->mismatchMessage(records, m_path);
    return false;
}

bool CsvReader::next(SourceRecord *record, QString *error)
{
    error->clear();
    if (m_replayed < m_buffered.size()) {
        const BufferedRow &row = m_buffered[m_replayed++];
        m_cells.resize(row.ends.size());
        uint32_t begin = 0;
        for (size_t i = 0; i < row.ends.size(); ++i) {
            m_cells[i] = std::string_view(row.bytes).substr(begin, row.ends[i] - begin);
            begin = row.ends[i];
        }
        const bool ok = buildRecord(m_cells.data(), row.line, record, error);
        if (m_replayed == m_buffered.size()) {
            m_buffered.clear(); // the sample is no longer needed
            m_buffered.shrink_to_fit();
            m_replayed = 0;
        }
        return ok;
    }
    const Parsed parsed = readRow(error);
    if (parsed == Parsed::Failed)
        return false;
    if (parsed == Parsed::End) {
        if (m_labels && m_labels->taken() < m_labels->count())
            return finishLabels(0, error);
        return false;
    }
    return buildRecord(m_cells.data(), m_recordLine, record, error);
}

qint64 CsvReader::progressDone() const
{
    return m_in.bytesDone();
}

qint64 CsvReader::progressTotal() const
{
    return m_in.fileSize();
}

QStringList CsvReader::sourceFiles() const
{
    QStringList files{m_path};
    if (m_labels)
        files.append(m_labels->path());
    return files;
}

} // namespace custody
