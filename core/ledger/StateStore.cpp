#include "ledger/StateStore.h"

#include "storage/Database.h"

#include <QJsonArray>
#include <QVariant>

namespace custody {

// Everyone who ingested, decided on or submitted a version, ever: none of them may approve it, even after
// their decision was overwritten by someone else's identical one.
#define INVOLVED_SQL "CREATE TABLE IF NOT EXISTS involved(version TEXT NOT NULL, actor TEXT NOT NULL, " \
                     "PRIMARY KEY(version, actor)) WITHOUT ROWID;"

const char *StateStore::schemaSql()
{
    return R"sql(
CREATE TABLE ledger_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE principal(key_id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, public_key TEXT NOT NULL,
    roles TEXT NOT NULL, added_seq INTEGER NOT NULL, revoked_seq INTEGER) WITHOUT ROWID;
CREATE TABLE ingested(version TEXT PRIMARY KEY, digest TEXT NOT NULL, seq INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE decision(version TEXT NOT NULL, record_id TEXT NOT NULL, action TEXT NOT NULL, label TEXT,
    note TEXT, actor TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY(version, record_id)) WITHOUT ROWID;
CREATE TABLE batch(version TEXT PRIMARY KEY, state TEXT NOT NULL, digest TEXT, submitted_by TEXT,
    vetoed_by TEXT, veto_reason TEXT) WITHOUT ROWID;
CREATE TABLE approval(version TEXT NOT NULL, actor TEXT NOT NULL, batch_digest TEXT NOT NULL,
    seq INTEGER NOT NULL, time TEXT NOT NULL, PRIMARY KEY(version, actor)) WITHOUT ROWID;
CREATE TABLE release(version TEXT PRIMARY KEY, batch TEXT NOT NULL, batch_digest TEXT NOT NULL,
    attestation BLOB NOT NULL, seq INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE scan(seq INTEGER PRIMARY KEY, version TEXT NOT NULL, baseline TEXT, result_digest TEXT NOT NULL);
CREATE TABLE rollback(dataset TEXT PRIMARY KEY, version TEXT NOT NULL, reason TEXT NOT NULL, seq INTEGER NOT NULL) WITHOUT ROWID;
)sql" INVOLVED_SQL;
}

const char *StateStore::involvedSql()
{
    return INVOLVED_SQL;
}

QStringList StateStore::tableNames()
{
    return {QStringLiteral("ledger_meta"), QStringLiteral("principal"), QStringLiteral("ingested"), QStringLiteral("decision"),
            QStringLiteral("batch"), QStringLiteral("approval"), QStringLiteral("release"), QStringLiteral("scan"),
            QStringLiteral("rollback"), QStringLiteral("involved")};
}

QStringList StateStore::tableRows(Database &db, const QString &table, const QString &version)
{
    QStringList rows;
    const QString where = version.isEmpty() ? QString() : QStringLiteral(" WHERE version = ?1");
    Statement st(db, QStringLiteral("SELECT * FROM %1%2 ORDER BY 1, 2").arg(table, where).toUtf8().constData());
    if (!version.isEmpty())
        st.bind(1, version);
    // Each cell as an SQL literal of its own type, so that no two different rows read the same (campaign 6: with
    // cells joined bare, the row ('r1|exclude', 'keep') and the row ('r1', 'exclude|keep') were one string, and a
    // hand-edited decision passed as the signed one): text quoted with its quotes doubled, NULL bare, integers as
    // digits, reals always with a point or exponent, blobs as x'hex'.
    while (st.step()) {
        QStringList cells;
        for (int i = 0; i < st.columnCount(); ++i) {
            switch (st.columnType(i)) {
            case SQLITE_NULL: cells.append(QStringLiteral("NULL")); break;
            case SQLITE_INTEGER: cells.append(QString::number(st.columnInt(i))); break;
            case SQLITE_FLOAT: {
                QString real = QString::number(st.columnDouble(i), 'g', 17);
                if (!real.contains(QLatin1Char('.')) && !real.contains(QLatin1Char('e')) && !real.contains(QLatin1Char('n')))
                    real += QStringLiteral(".0");
                cells.append(real);
                break;
            }
            case SQLITE_BLOB: cells.append(QStringLiteral("x'%1'").arg(QString::fromLatin1(st.columnBlob(i).toHex()))); break;
            default: cells.append(QLatin1Char('\'') + st.columnText(i).replace(QLatin1Char('\''), QStringLiteral("''")) + QLatin1Char('\''));
            }
        }
        rows.append(cells.join(QLatin1Char('|')));
    }
    if (st.failed())
        rows.append(QStringLiteral("(cannot read: %1)").arg(st.error()));
    return rows;
}

QString StateStore::firstDifference(const QString &table, const QStringList &stored, const QStringList &replayed)
{
    if (stored == replayed)
        return QString();
    int i = 0;
    while (i < stored.size() && i < replayed.size() && stored[i] == replayed[i])
        ++i;
    const QString a = stored.value(i, QStringLiteral("nothing"));
    const QString b = replayed.value(i, QStringLiteral("nothing"));
    // Long rows are cut around where they first differ, after their first two columns (what the row is about), so
    // the changed column is always in the message.
    qsizetype same = 0;
    while (same < a.size() && same < b.size() && a[same] == b[same])
        ++same;
    const qsizetype from = same > 100 ? same - 40 : 0;
    const auto excerpt = [from](const QString &row) {
        const QString head = from > 0 ? row.section(QLatin1Char('|'), 0, 0).left(40) + QLatin1Char('|')
                + row.section(QLatin1Char('|'), 1, 1).left(40) + QStringLiteral("|...")
                                      : QString();
        return head + row.mid(from, 160) + (from + 160 < row.size() ? QStringLiteral("...") : QString());
    };
    return QStringLiteral("table '%1' differs from the signed events at row %2: stored [%3], events say [%4]")
        .arg(table).arg(i + 1).arg(excerpt(a), excerpt(b));
}

bool StateStore::exec(const char *sql, std::initializer_list<QVariant> args, QString *error)
{
    Statement st(m_db, sql, Statement::Cached);
    int i = 1;
    for (const QVariant &a : args) {
        if (a.isNull())
            st.bindNull(i);
        else if (a.typeId() == QMetaType::LongLong || a.typeId() == QMetaType::Int)
            st.bind(i, a.toLongLong());
        else if (a.typeId() == QMetaType::QByteArray)
            st.bindBlob(i, a.toByteArray());
        else
            st.bind(i, a.toString());
        ++i;
    }
    if (!st.run(error)) {
        if (error)
            *error = QStringLiteral("cannot apply ledger event: %1").arg(*error);
        return false;
    }
    return true;
}

bool StateStore::involved(const QString &version, const QString &actor)
{
    Statement st(m_db, "SELECT 1 FROM involved WHERE version = ?1 AND actor = ?2", Statement::Cached);
    st.bind(1, version).bind(2, actor);
    return st.step();
}

bool StateStore::apply(const LedgerEvent &e, const QJsonObject &b, QString *error)
{
    const QString version = b.value(QStringLiteral("version")).toString();
    const QString &t = e.type;
    if ((t == EventType::VersionIngested || t == EventType::DecisionMade || t == EventType::BatchSubmitted) && !e.actor.isEmpty()
        && !exec("INSERT OR IGNORE INTO involved VALUES (?1, ?2)", {version, e.actor}, error))
        return false;
    auto roles = [&](const QJsonValue &v) { return v.toVariant().toStringList().join(QLatin1Char(',')); };

    if (t == EventType::Genesis) {
        const QJsonObject admin = b.value(QStringLiteral("admin")).toObject();
        return exec("INSERT OR REPLACE INTO ledger_meta VALUES ('signed', '1')", {}, error)
            && exec("INSERT OR REPLACE INTO ledger_meta VALUES ('approvals_required', ?1)",
                    {b.value(QStringLiteral("policy")).toObject().value(QStringLiteral("approvals_required")).toInteger()}, error)
            && exec("INSERT INTO principal VALUES (?1, ?2, ?3, 'admin', ?4, NULL)",
                    {admin.value(QStringLiteral("key_id")).toString(), admin.value(QStringLiteral("name")).toString(),
                     admin.value(QStringLiteral("public_key")).toString(), e.seq}, error);
    }
    if (t == EventType::PrincipalAdded)
        return exec("INSERT INTO principal VALUES (?1, ?2, ?3, ?4, ?5, NULL)",
                    {b.value(QStringLiteral("key_id")).toString(), b.value(QStringLiteral("name")).toString(),
                     b.value(QStringLiteral("public_key")).toString(), roles(b.value(QStringLiteral("roles"))), e.seq}, error);
    if (t == EventType::PrincipalRolesChanged)
        return exec("UPDATE principal SET roles = ?2 WHERE key_id = ?1",
                    {b.value(QStringLiteral("key_id")).toString(), roles(b.value(QStringLiteral("roles")))}, error);
    if (t == EventType::PrincipalRevoked)
        return exec("UPDATE principal SET revoked_seq = ?2 WHERE key_id = ?1", {b.value(QStringLiteral("key_id")).toString(), e.seq}, error);
    if (t == EventType::PolicyChanged)
        return exec("INSERT OR REPLACE INTO ledger_meta VALUES ('approvals_required', ?1)",
                    {b.value(QStringLiteral("approvals_required")).toInteger()}, error);
    if (t == EventType::VersionIngested)
        return exec("INSERT INTO ingested VALUES (?1, ?2, ?3)", {version, b.value(QStringLiteral("digest")).toString(), e.seq}, error);
    if (t == EventType::ScanRecorded)
        return exec("INSERT INTO scan VALUES (?1, ?2, ?3, ?4)",
                    {e.seq, version, b.value(QStringLiteral("baseline")).toString(), b.value(QStringLiteral("result_digest")).toString()}, error);
    if (t == EventType::DecisionMade) {
        // Any change to the batch reopens it: earlier approvals, a submission or a veto no longer apply.
        const QString action = b.value(QStringLiteral("action")).toString();
        const bool cleared = action == QLatin1String("clear");
        return (cleared ? exec("DELETE FROM decision WHERE version = ?1 AND record_id = ?2",
                               {version, b.value(QStringLiteral("record")).toString()}, error)
                        : exec("INSERT OR REPLACE INTO decision VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                               {version, b.value(QStringLiteral("record")).toString(), action,
                                b.value(QStringLiteral("label")).toVariant(), b.value(QStringLiteral("note")).toString(), e.actor, e.seq},
                               error))
            && exec("DELETE FROM approval WHERE version = ?1", {version}, error)
            && exec("INSERT OR REPLACE INTO batch VALUES (?1, 'open', NULL, NULL, NULL, NULL)", {version}, error);
    }
    if (t == EventType::BatchSubmitted)
        return exec("DELETE FROM approval WHERE version = ?1", {version}, error)
            && exec("INSERT OR REPLACE INTO batch VALUES (?1, 'submitted', ?2, ?3, NULL, NULL)",
                    {version, b.value(QStringLiteral("batch_digest")).toString(), e.actor}, error);
    if (t == EventType::BatchApproved)
        return exec("INSERT INTO approval VALUES (?1, ?2, ?3, ?4, ?5)",
                    {version, e.actor, b.value(QStringLiteral("batch_digest")).toString(), e.seq, e.time}, error);
    if (t == EventType::BatchVetoed)
        return exec("UPDATE batch SET state = 'vetoed', vetoed_by = ?2, veto_reason = ?3 WHERE version = ?1",
                    {version, e.actor, b.value(QStringLiteral("reason")).toString()}, error);
    if (t == EventType::VersionReleased) {
        const QString released = b.value(QStringLiteral("released")).toString();
        return exec("UPDATE batch SET state = 'released' WHERE version = ?1", {version}, error)
            && exec("INSERT INTO ingested VALUES (?1, ?2, ?3)", {released, b.value(QStringLiteral("digest")).toString(), e.seq}, error)
            && exec("INSERT INTO release VALUES (?1, ?2, ?3, ?4, ?5)",
                    {released, version, b.value(QStringLiteral("batch_digest")).toString(),
                     QByteArray::fromBase64(b.value(QStringLiteral("attestation")).toString().toLatin1()), e.seq}, error);
    }
    if (t == EventType::WorkspaceAdopted)
        return true; // the identity lives in the workspace's meta table; the event is its signed record
    if (t == EventType::VersionRolledBack)
        return exec("INSERT OR REPLACE INTO rollback VALUES (?1, ?2, ?3, ?4)",
                    {version.section(QLatin1Char('@'), 0, 0), version, b.value(QStringLiteral("reason")).toString(), e.seq}, error);
    if (error)
        *error = QStringLiteral("event %1 has an unknown type '%2'").arg(e.seq).arg(t);
    return false;
}

bool StateStore::isSigned()
{
    Statement st(m_db, "SELECT value FROM ledger_meta WHERE key = 'signed'", Statement::Cached);
    return st.step() && st.columnText(0) == QLatin1String("1");
}

int StateStore::approvalsRequired()
{
    Statement st(m_db, "SELECT value FROM ledger_meta WHERE key = 'approvals_required'", Statement::Cached);
    return st.step() ? st.columnText(0).toInt() : 0;
}

namespace {
Principal readPrincipal(Statement &st)
{
    return Principal{st.columnText(0), st.columnText(1), st.columnText(2),
                     st.columnText(3).split(QLatin1Char(','), Qt::SkipEmptyParts), st.columnInt(4),
                     st.columnIsNull(5) ? 0 : st.columnInt(5)};
}
constexpr const char *kPrincipalColumns = "SELECT key_id, name, public_key, roles, added_seq, revoked_seq FROM principal ";
} // namespace

std::optional<Principal> StateStore::principalByKey(const QString &keyId)
{
    static const QByteArray sql = QByteArray(kPrincipalColumns) + "WHERE key_id = ?1";
    Statement st(m_db, sql.constData(), Statement::Cached);
    st.bind(1, keyId);
    return st.step() ? std::optional(readPrincipal(st)) : std::nullopt;
}

std::optional<Principal> StateStore::principalByName(const QString &name)
{
    Statement st(m_db, (QByteArray(kPrincipalColumns) + "WHERE name = ?1").constData());
    st.bind(1, name);
    return st.step() ? std::optional(readPrincipal(st)) : std::nullopt;
}

QList<Principal> StateStore::principals()
{
    QList<Principal> out;
    Statement st(m_db, (QByteArray(kPrincipalColumns) + "ORDER BY added_seq").constData());
    while (st.step())
        out.append(readPrincipal(st));
    return out;
}

std::optional<QString> StateStore::ingestedDigest(const QString &version)
{
    Statement st(m_db, "SELECT digest FROM ingested WHERE version = ?1", Statement::Cached);
    st.bind(1, version);
    return st.step() ? std::optional(st.columnText(0)) : std::nullopt;
}

BatchStatus StateStore::batch(const QString &version)
{
    BatchStatus b;
    Statement st(m_db, "SELECT state, digest, submitted_by, vetoed_by, veto_reason FROM batch WHERE version = ?1", Statement::Cached);
    st.bind(1, version);
    if (st.step())
        b = BatchStatus{st.columnText(0), st.columnText(1), st.columnText(2), st.columnText(3), st.columnText(4)};
    return b;
}

QList<Decision> StateStore::decisions(const QString &version)
{
    QList<Decision> out;
    Statement st(m_db, "SELECT record_id, action, label, note, actor, seq FROM decision WHERE version = ?1 ORDER BY record_id");
    st.bind(1, version);
    while (st.step())
        out.append(Decision{st.columnText(0), st.columnText(1), st.columnText(2), st.columnText(3), st.columnText(4), st.columnInt(5)});
    return out;
}

QList<Approval> StateStore::approvals(const QString &version)
{
    QList<Approval> out;
    Statement st(m_db, "SELECT actor, batch_digest, seq, time FROM approval WHERE version = ?1 ORDER BY seq", Statement::Cached);
    st.bind(1, version);
    while (st.step())
        out.append(Approval{st.columnText(0), st.columnText(1), st.columnInt(2), st.columnText(3)});
    return out;
}

std::optional<QByteArray> StateStore::attestation(const QString &releasedVersion)
{
    Statement st(m_db, "SELECT attestation FROM release WHERE version = ?1");
    st.bind(1, releasedVersion);
    return st.step() ? std::optional(st.columnBlob(0)) : std::nullopt;
}

std::optional<QString> StateStore::releasedFrom(const QString &releasedVersion)
{
    Statement st(m_db, "SELECT batch FROM release WHERE version = ?1");
    st.bind(1, releasedVersion);
    return st.step() ? std::optional(st.columnText(0)) : std::nullopt;
}

std::optional<QString> StateStore::rolledBackTo(const QString &dataset)
{
    Statement st(m_db, "SELECT version FROM rollback WHERE dataset = ?1");
    st.bind(1, dataset);
    return st.step() ? std::optional(st.columnText(0)) : std::nullopt;
}

std::optional<QString> StateStore::currentBatchDigest(const QString &version)
{
    const auto versionDigest = ingestedDigest(version);
    if (!versionDigest)
        return std::nullopt;
    Sha256 h;
    h.update("custody.batch.v1", 17);
    h.update(versionDigest->toLatin1());
    for (const Decision &d : decisions(version)) {
        for (const QString &field : {d.recordId, d.action, d.label, d.note, d.actor}) {
            const QByteArray bytes = field.toUtf8();
            const uint32_t n = uint32_t(bytes.size());
            const uint8_t len[4] = {uint8_t(n), uint8_t(n >> 8), uint8_t(n >> 16), uint8_t(n >> 24)};
            h.update(len, 4);
            h.update(bytes);
        }
    }
    return toHex(h.finish());
}

} // namespace custody
