#include "storage/RecordQuery.h"
#include "job/Cancel.h"

#include "formats/ContentCodec.h"
#include "storage/Database.h"
#include "storage/RecordPack.h"
#include "storage/Workspace.h"

#include <QDir>
#include <QFileInfo>

namespace custody {

namespace {

// custody_value(offset, length, column): the column-th value of a record in the pack given as user data,
// as SQLite can sort it.
void valueFunction(sqlite3_context *ctx, int, sqlite3_value **argv)
{
    const auto *pack = static_cast<const RecordPack *>(sqlite3_user_data(ctx));
    std::string_view content;
    if (!pack->content(sqlite3_value_int64(argv[0]), sqlite3_value_int64(argv[1]), &content)) {
        sqlite3_result_null(ctx);
        return;
    }
    const qint64 column = sqlite3_value_int64(argv[2]);
    ContentDecoder decoder(content);
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

constexpr const char *kColumns =
    "SELECT row, record_id, label, content_hash, content_offset, content_length, object_hash, embedding FROM record ";

} // namespace

RecordQuery::RecordQuery(Workspace &workspace) : m_db(workspace.db()), m_objectsDir(workspace.objects().root()) { }

RecordQuery::RecordQuery(Database &db)
    : m_db(db), m_objectsDir(QFileInfo(db.path()).absoluteDir().filePath(QStringLiteral("objects")))
{
}

RecordQuery::~RecordQuery() = default;

const RecordPack *RecordQuery::pack(qint64 versionId, QString *error)
{
    if (m_pack && m_packVersion == versionId)
        return m_pack.get();
    Statement st(m_db, "SELECT pack_hash FROM version WHERE id = ?1");
    st.bind(1, versionId);
    if (!st.step()) {
        *error = st.failed() ? st.error() : QStringLiteral("no version with id %1").arg(versionId);
        return nullptr;
    }
    auto pack = std::make_unique<RecordPack>();
    if (!pack->open(ObjectStore(m_objectsDir), st.columnText(0), error))
        return nullptr;
    m_pack = std::move(pack);
    m_packVersion = versionId;
    return m_pack.get();
}

bool RecordQuery::readRow(Statement &st, RecordRow *r, QString *error)
{
    r->row = st.columnInt(0);
    r->id = st.columnText(1);
    r->hasLabel = !st.columnIsNull(2);
    r->label = st.columnText(2);
    digestFromBytes(st.columnBlob(3), &r->contentHash);
    std::string_view content;
    if (!m_pack->content(st.columnInt(4), st.columnInt(5), &content)) {
        *error = QStringLiteral("record '%1' points outside its version's record pack").arg(r->id);
        return false;
    }
    r->content = QByteArray(content.data(), qsizetype(content.size()));
    r->objectHash = st.columnText(6);
    r->embeddingDimensions = int(st.columnBlobView(7).size() / sizeof(float));
    return true;
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
    QByteArray sql = "SELECT row FROM record WHERE version_id = ?1";
    if (!view.filter.isEmpty())
        sql += " AND (instr(lower(record_id), lower(?2)) > 0 OR instr(lower(coalesce(label, '')), lower(?2)) > 0)";
    const char *dir = view.descending ? " DESC" : " ASC";
    switch (view.sortKey) {
    case RecordView::SortKey::Row: sql += QByteArray(" ORDER BY row") + dir; break;
    case RecordView::SortKey::Id: sql += QByteArray(" ORDER BY record_id") + dir + ", row"; break;
    case RecordView::SortKey::Label: sql += QByteArray(" ORDER BY label") + dir + ", row"; break;
    case RecordView::SortKey::Feature: {
        const RecordPack *p = pack(view.versionId, error);
        if (!p)
            return false;
        sqlite3_create_function_v2(m_db.handle(), "custody_value", 3, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                   const_cast<RecordPack *>(p), valueFunction, nullptr, nullptr, nullptr);
        sql += QByteArray(" ORDER BY custody_value(content_offset, content_length, ") + QByteArray::number(view.featureIndex)
            + ")" + dir + ", row";
        break;
    }
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
            *error = cancelledMessage();
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
    if (!pack(versionId, error))
        return false;
    Statement st(m_db, (QByteArray(kColumns) + "WHERE version_id = ?1 AND row = ?2").constData());
    out->clear();
    out->reserve(qsizetype(rows.size()));
    for (qint64 row : rows) {
        st.bind(1, versionId).bind(2, row);
        RecordRow r;
        if (st.step() && !readRow(st, &r, error))
            return false;
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
    if (!pack(versionId, error))
        return false;
    Statement st(m_db, (QByteArray(kColumns) + "WHERE version_id = ?1 AND row >= ?2 AND row < ?3 ORDER BY row").constData());
    st.bind(1, versionId).bind(2, firstRow).bind(3, firstRow + count);
    out->clear();
    while (st.step()) {
        RecordRow r;
        if (!readRow(st, &r, error))
            return false;
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
    if (!pack(versionId, error))
        return std::nullopt;
    Statement st(m_db, (QByteArray(kColumns) + "WHERE version_id = ?1 AND record_id = ?2").constData());
    st.bind(1, versionId).bind(2, recordId);
    RecordRow r;
    if (st.step()) {
        if (!readRow(st, &r, error))
            return std::nullopt;
        return r;
    }
    if (error)
        *error = st.failed() ? st.error() : QStringLiteral("no record '%1' in this version").arg(recordId);
    return std::nullopt;
}

} // namespace custody
