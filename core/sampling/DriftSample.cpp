#include "sampling/DriftSample.h"
#include "job/Cancel.h"

#include "formats/ContentCodec.h"
#include "formats/InputLimits.h"
#include "storage/Database.h"
#include "storage/RecordPack.h"
#include "storage/Workspace.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <unordered_map>

namespace custody {

int DriftSample::columnIndex(const QString &name) const
{
    for (size_t i = 0; i < columns.size(); ++i)
        if (columns[i].name == name)
            return int(i);
    return -1;
}

int32_t DriftSample::labelCode(const QString &name)
{
    const qsizetype i = labelNames.indexOf(name);
    if (i >= 0)
        return int32_t(i);
    labelNames.append(name);
    return int32_t(labelNames.size() - 1);
}

namespace {

constexpr qint64 kChunk = 8192;

struct Decoder
{
    DriftSample *s;
    std::vector<std::unordered_map<std::string, int32_t>> dictionaries;

    explicit Decoder(DriftSample *sample) : s(sample), dictionaries(sample->columns.size()) { }

    void missing(DriftSample::Column &c, int64_t row)
    {
        ++c.missing;
        switch (c.kind) {
        case ColumnKind::Number: c.numbers[size_t(row)] = NAN; break;
        case ColumnKind::Category: c.codes[size_t(row)] = -1; break;
        case ColumnKind::Image: c.imageValid[size_t(row)] = 0; break;
        case ColumnKind::Text: break; // stays a null string
        }
    }

    void value(size_t col, int64_t row, const DecodedValue &v)
    {
        DriftSample::Column &c = s->columns[col];
        if (v.tag == ValueTag::Null)
            return missing(c, row);
        switch (c.kind) {
        case ColumnKind::Number:
            if (v.tag != ValueTag::Number)
                return missing(c, row);
            if (!std::isfinite(v.number)) {
                ++c.nonFinite;
                c.numbers[size_t(row)] = NAN;
            } else {
                c.numbers[size_t(row)] = float(v.number);
            }
            return;
        case ColumnKind::Category: {
            if (v.tag != ValueTag::String)
                return missing(c, row);
            auto &dict = dictionaries[col];
            auto it = dict.find(std::string(v.text));
            if (it == dict.end()) {
                it = dict.emplace(std::string(v.text), int32_t(c.categories.size())).first;
                c.categories.append(QString::fromUtf8(v.text.data(), qsizetype(v.text.size())));
            }
            c.codes[size_t(row)] = it->second;
            return;
        }
        case ColumnKind::Image:
            // A column of images of varying size (no one geometry) holds them all the same: present, not compared.
            if (v.tag == ValueTag::Image && c.pixelCount() <= 0)
                return;
            if (v.tag != ValueTag::Image || int(v.width) != c.width || int(v.height) != c.height || int(v.channels) != c.channels)
                return missing(c, row);
            std::memcpy(c.pixels.data() + size_t(row) * size_t(c.pixelCount()), v.pixels, size_t(c.pixelCount()));
            c.imageValid[size_t(row)] = 1;
            return;
        case ColumnKind::Text:
            if (v.tag == ValueTag::String)
                c.texts[int(row)] = QString::fromUtf8(v.text.data(), qsizetype(v.text.size()));
            else if (v.tag == ValueTag::Number)
                c.texts[int(row)] = QString::number(v.number, 'g', 17);
            else
                missing(c, row);
            return;
        }
    }
};

bool loadEmbeddings(Workspace &ws, const DatasetVersion &version, DriftSample *s, QString *error)
{
    s->embeddingDims = version.embeddingDimensions;
    if (s->embeddingDims <= 0)
        return true;
    const size_t dims = size_t(s->embeddingDims);
    s->embeddings.assign(size_t(s->rows()) * dims, 0.0f);
    s->hasEmbedding.assign(size_t(s->rows()), 0);
    Statement st(ws.db(), "SELECT row, embedding FROM record WHERE version_id = ?1 AND embedding IS NOT NULL");
    st.bind(1, version.id);
    while (st.step()) {
        const qint64 row = st.columnInt(0);
        const std::string_view blob = st.columnBlobView(1);
        if (row < 0 || row >= s->rows() || blob.size() != dims * sizeof(float))
            continue;
        std::memcpy(s->embeddings.data() + size_t(row) * dims, blob.data(), blob.size());
        s->hasEmbedding[size_t(row)] = 1;
    }
    if (st.failed()) {
        *error = st.error();
        return false;
    }
    return true;
}

// Every size allocated below comes from the version row and its manifest, which anyone with the database can
// edit: each is checked against what is really stored before a byte is allocated (campaign 8: a record count
// of 10^9 or an embedding width of 10^8 aborted scan and drift).
QString sizeProblem(Workspace &ws, const DatasetVersion &version, qint64 packBytes)
{
    Statement st(ws.db(), "SELECT count(*), count(embedding), coalesce(sum(length(embedding)), 0) FROM record WHERE version_id = ?1");
    st.bind(1, version.id);
    if (!st.step())
        return st.error();
    const qint64 stored = st.columnInt(0), embedded = st.columnInt(1), embeddingBytes = st.columnInt(2);
    const int64_t n = version.recordCount;
    if (n != stored)
        return QStringLiteral("the version says it has %1 records but the database holds %2").arg(n).arg(stored);
    const int64_t columns = version.schema.columns.size();
    // Every value of every record takes at least one byte of the pack (its tag).
    if (n > 0 && columns > 0 && (columns > packBytes / n))
        return QStringLiteral("its schema has %1 columns, more than %2 records in a %3-byte pack can hold").arg(columns).arg(n).arg(packBytes);
    for (const custody::Column &c : version.schema.columns) {
        if (c.kind != ColumnKind::Image)
            continue;
        if (c.width < 0 || c.height < 0 || c.channels < 0 || c.width > limits::kMaxImageSide || c.height > limits::kMaxImageSide || c.channels > 4
            || int64_t(c.width) * c.height > limits::kMaxImagePixels)
            return QStringLiteral("column '%1' declares images of %2 x %3 x %4")
                .arg(c.name, QString::number(c.width), QString::number(c.height), QString::number(c.channels));
        // Rows without an image of the geometry cost zeros: allow a pack a quarter full of images.
        const int64_t pixels = int64_t(c.width) * c.height * c.channels;
        if (n > 0 && pixels > 0 && pixels > (4 * packBytes + (int64_t(1) << 20)) / n)
            return QStringLiteral("column '%1' declares images of %2 bytes, more than %3 records in a %4-byte pack can hold")
                .arg(c.name, QString::number(pixels), QString::number(n), QString::number(packBytes));
    }
    const int dims = version.embeddingDimensions;
    if (dims < 0 || int64_t(dims) * 4 > limits::kMaxRowBytes)
        return QStringLiteral("it declares embeddings of %1 dimensions").arg(dims);
    if (dims > 0 && embeddingBytes != embedded * int64_t(dims) * 4)
        return QStringLiteral("it declares embeddings of %1 dimensions, which its %2 stored embeddings (%3 bytes) do not have")
            .arg(dims).arg(embedded).arg(embeddingBytes);
    return QString();
}

} // namespace

bool DriftSample::load(Workspace &workspace, const DatasetVersion &version, DriftSample *s, QString *error,
                       const ProgressFn &progress, const std::atomic_bool *cancel)
{
    *s = DriftSample();
    s->version = version.ref.toString();
    s->schema = version.schema;
    const int64_t n = version.recordCount;
    RecordPack pack;
    QString packError;
    if ((!version.packHash.isEmpty() || n > 0) && !pack.open(workspace.objects(), version.packHash, &packError)) {
        *error = QStringLiteral("%1: %2; run 'custody-cli verify'").arg(s->version, packError);
        return false;
    }
    if (const QString problem = sizeProblem(workspace, version, pack.size()); !problem.isEmpty()) {
        *error = QStringLiteral("%1: %2; the workspace was edited outside Custody: run 'custody-cli verify'").arg(s->version, problem);
        return false;
    }
    for (const custody::Column &schemaColumn : version.schema.columns) {
        DriftSample::Column c;
        c.name = schemaColumn.name;
        c.kind = schemaColumn.kind;
        switch (c.kind) {
        case ColumnKind::Number: c.numbers.assign(size_t(n), NAN); break;
        case ColumnKind::Category: c.codes.assign(size_t(n), -1); break;
        case ColumnKind::Image:
            c.width = schemaColumn.width;
            c.height = schemaColumn.height;
            c.channels = schemaColumn.channels;
            c.pixels.assign(size_t(n) * size_t(std::max(0, c.pixelCount())), 0);
            c.imageValid.assign(size_t(n), 0);
            break;
        case ColumnKind::Text:
            c.texts.resize(qsizetype(n));
            break;
        }
        s->columns.push_back(std::move(c));
    }
    s->ids.reserve(n);
    s->labels.reserve(size_t(n));
    s->contentHashes.reserve(size_t(n));
    // Straight from the record table and the version's record pack: no per-record copies of the content.
    Decoder decoder(s);
    std::unordered_map<std::string, int32_t> labelCodes;
    Statement st(workspace.db(), "SELECT record_id, label, content_hash, content_offset, content_length FROM record "
                                 "WHERE version_id = ?1 ORDER BY row");
    st.bind(1, version.id);
    while (st.step()) {
        const int64_t row = s->rows();
        if ((row & (kChunk - 1)) == 0) {
            if (cancel && cancel->load()) {
                *error = cancelledMessage();
                return false;
            }
            if (progress)
                progress(row, n);
        }
        const std::string_view id = st.columnTextView(0);
        s->ids.append(QString::fromUtf8(id.data(), qsizetype(id.size())));
        if (st.columnIsNull(1)) {
            s->labels.push_back(-1);
        } else {
            const std::string_view label = st.columnTextView(1);
            auto it = labelCodes.find(std::string(label));
            if (it == labelCodes.end()) {
                it = labelCodes.emplace(std::string(label), int32_t(s->labelNames.size())).first;
                s->labelNames.append(QString::fromUtf8(label.data(), qsizetype(label.size())));
            }
            s->labels.push_back(it->second);
        }
        const std::string_view hash = st.columnBlobView(2);
        Digest digest{};
        std::memcpy(digest.data(), hash.data(), std::min(hash.size(), digest.size()));
        s->contentHashes.push_back(digest);
        std::string_view content;
        if (!pack.content(st.columnInt(3), st.columnInt(4), &content)) {
            *error = QStringLiteral("record '%1' points outside its version's record pack").arg(s->ids.last());
            return false;
        }
        ContentDecoder values(content);
        DecodedValue v;
        size_t col = 0;
        for (; col < s->columns.size() && values.next(&v); ++col)
            decoder.value(col, row, v);
        if (col < s->columns.size() || values.malformed() || !values.atEnd()) {
            ++s->malformedRecords;
            for (; col < s->columns.size(); ++col)
                decoder.missing(s->columns[col], row);
        }
    }
    if (st.failed()) {
        *error = st.error();
        return false;
    }
    if (progress)
        progress(s->rows(), n);
    if (s->rows() != n) {
        *error = QStringLiteral("%1 has %2 records but %3 were read").arg(s->version).arg(n).arg(s->rows());
        return false;
    }
    return loadEmbeddings(workspace, version, s, error);
}

} // namespace custody
