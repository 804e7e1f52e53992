#include "storage/RecordQuery.h"

#include "formats/ContentCodec.h"
#include "storage/Database.h"

namespace custody {

namespace {

// custody_value(content, column): the column-th value of an encoded record, as SQLite can sort it.
void valueFunction(sqlite3_context *ctx, int, sqlite3_value **argv)
{
    const auto *data = static_cast<const char *>(sqlite3_value_blob(argv[0]));
    const int size = sqlite3_value_bytes(argv[0]);
    const qint64 column = sqlite3_value_int64(argv[1]);
    ContentDecoder decoder(std::string_view(data ? data : "", size_t(size)));
    DecodedValue v;
    for (qint64 i = 0; decoder.next(&v); ++i) {
        if (i != column)
            continue;
        switch (v.tag) {
        case ValueTag::Number: sqlite3_result_double(ctx, v.number); return;
        case ValueTag::String: sqlite3_result_text(ctx, v.text.data(), int(v.text.size()), SQLITE_TRANSIENT); return;
        case ValueTag::Image: sqlite3_result_int64(ctx, qint64(v.width) * v.height); return;
        case ValueTag::Null: break;
        }
        break;
    }
    sqlite3_result_null(ctx);
}

void readRow(Statement &st, RecordRow *r)
{
    r->row = st.columnInt(0);
    r->id = st.columnText(1);
    r->hasLabel = !st.columnIsNull(2);
    r->label = st.columnText(2);
    digestFromBytes(st.columnBlob(3), &r->contentHash);
    r->content = st.columnBlob(4);
    r->objectHash = st.columnText(5);
    r->embeddingDimensions = int(st.columnBlobView(6).size() / sizeof(float));
}

constexpr const char *kColumns = "SELECT row, record_id, label, content_hash, content, object_hash, embedding FROM record ";

} // namespace

void RecordQuery::registerFunctions(Database &db)
{
    sqlite3_create_function_v2(db.handle(), "custody_value", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                               valueFunction, nullptr, nullptr, nullptr);
}

std::optional<qint64> RecordQuery::count(qint64 versionId, QString *error)
{
    Statement st(m_db, "SELECT record_count FROM version WHERE id = ?1");
    st.bind(1, versionId);
    if (st.step())
        return st.columnInt(0);
    if (error)
        *error = st.failed() ? st.error() : QStringLiteral("no version with id %1").arg(versionId);
    return std::nullopt;
}

bool RecordQuery::orderedRows(const RecordView &view, std::vector<qint64> *rows, QString *error,
                              const std::atomic_bool *cancel)
{
    registerFunctions(m_db);
    QByteArray sql = "SELECT row FROM record WHERE version_id = ?1";
    if (!view.filter.isEmpty())
        sql += " AND (instr(lower(record_id), lower(?2)) > 0 OR instr(lower(coalesce(label, '')), lower(?2)) > 0)";
    const char *dir = view.descending ? " DESC" : " ASC";
    switch (view.sortKey) {
    case RecordView::SortKey::Row: sql += QByteArray(" ORDER BY row") + dir; break;
    case RecordView::SortKey::Id: sql += QByteArray(" ORDER BY record_id") + dir + ", row"; break;
    case RecordView::SortKey::Label: sql += QByteArray(" ORDER BY label") + dir + ", row"; break;
    case RecordView::SortKey::Feature:
        sql += QByteArray(" ORDER BY custody_value(content, ") + QByteArray::number(view.featureIndex) + ")" + dir + ", row";
        break;
    }
    Statement st(m_db, sql.constData());
    if (!st.ok()) {
        *error = st.error();
        return false;
    }
    st.bind(1, view.versionId);
    if (!view.filter.isEmpty())
        st.bind(2, view.filter);
    rows->clear();
    while (st.step()) {
        rows->push_back(st.columnInt(0));
        if ((rows->size() & 4095) == 0 && cancel && cancel->load()) {
            *error = QStringLiteral("cancelled");
            return false;
        }
    }
    if (st.failed()) {
        *error = st.error();
        return false;
    }
    return true;
}

bool RecordQuery::fetch(qint64 versionId, const std::vector<qint64> &rows, QList<RecordRow> *out, QString *error)
{
    Statement st(m_db, (QByteArray(kColumns) + "WHERE version_id = ?1 AND row = ?2").constData());
    out->clear();
    out->reserve(qsizetype(rows.size()));
    for (qint64 row : rows) {
        st.bind(1, versionId).bind(2, row);
        RecordRow r;
        if (st.step())
            readRow(st, &r);
        if (st.failed()) {
            *error = st.error();
            return false;
        }
        st.reset();
        out->append(r);
    }
    return true;
}

bool RecordQuery::fetchRange(qint64 versionId, qint64 firstRow, qint64 count, QList<RecordRow> *out, QString *error)
{
    Statement st(m_db, (QByteArray(kColumns) + "WHERE version_id = ?1 AND row >= ?2 AND row < ?3 ORDER BY row").constData());
    st.bind(1, versionId).bind(2, firstRow).bind(3, firstRow + count);
    out->clear();
    while (st.step()) {
        RecordRow r;
        readRow(st, &r);
        out->append(r);
    }
    if (st.failed()) {
        *error = st.error();
        return false;
    }
    return true;
}

std::optional<RecordRow> RecordQuery::byId(qint64 versionId, const QString &recordId, QString *error)
{
    Statement st(m_db, (QByteArray(kColumns) + "WHERE version_id = ?1 AND record_id = ?2").constData());
    st.bind(1, versionId).bind(2, recordId);
    RecordRow r;
    if (st.step()) {
        readRow(st, &r);
        return r;
    }
    if (error)
        *error = st.failed() ? st.error() : QStringLiteral("no record '%1' in this version").arg(recordId);
    return std::nullopt;
}

} // namespace custody
