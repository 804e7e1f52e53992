#include "ledger/VerifiedState.h"
#include "formats/RegularFile.h"

#include "ledger/CheckpointStore.h"
#include "ledger/Ledger.h"
#include "storage/Workspace.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QMutex>
#include <QSaveFile>

namespace custody {

namespace {

constexpr const char *kHeadSchema =
    "CREATE TABLE replay_head(id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash BLOB NOT NULL, "
    "workspace_id TEXT NOT NULL, location TEXT NOT NULL);";
constexpr qint64 kMaxCacheBytes = qint64(1) << 31;

// Without a checkpoint folder (tests, tools) the replays are kept for the life of the process.
QMutex g_memoryMutex;
QHash<QString, QByteArray> &memoryCaches()
{
    static QHash<QString, QByteArray> caches;
    return caches;
}

QByteArray readCache(const QString &location)
{
    const CheckpointStore store;
    if (!store.isEnabled()) {
        QMutexLocker lock(&g_memoryMutex);
        return memoryCaches().value(location);
    }
    QFile f;
    QString why;
    if (!openRegularFile(&f, store.stateCachePath(location), &why) || f.size() > kMaxCacheBytes)
        return QByteArray();
    return f.readAll();
}

void writeCache(const QString &location, const QByteArray &bytes)
{
    const CheckpointStore store;
    if (!store.isEnabled()) {
        QMutexLocker lock(&g_memoryMutex);
        memoryCaches().insert(location, bytes);
        return;
    }
    // Whole or not at all; a cache that cannot be written only makes the next write replay more.
    QSaveFile f(store.stateCachePath(location));
    const QString folder = QFileInfo(f.fileName()).path();
    if (QDir().mkpath(folder) && QFile::setPermissions(folder, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner)
        && f.open(QIODevice::WriteOnly) && f.setPermissions(QFile::ReadOwner | QFile::WriteOwner) && f.write(bytes) == bytes.size())
        f.commit();
}

} // namespace

VerifiedState::VerifiedState(Workspace &workspace)
    : m_ws(workspace), m_location(CheckpointStore::locationOf(workspace.path())), m_state(m_db)
{
}

VerifiedState::~VerifiedState() = default;

void VerifiedState::persist()
{
    // Only once committed (no transaction open) and still the ledger's.
    if (m_loaded && m_problem.isEmpty() && m_head.seq != m_savedSeq && sqlite3_get_autocommit(m_ws.db().handle())
        && headMatches())
        save();
}

bool VerifiedState::reset(QString *error)
{
    m_db.close();
    Ledger ledger(m_ws);
    m_head = EventReplay::Head{0, Digest{}, EventReplay::initialWorkspaceId(ledger)};
    m_savedSeq = -1;
    return m_db.open(QStringLiteral(":memory:"), Database::Mode::Create, error) && m_db.exec(StateStore::schemaSql(), error)
        && m_db.exec(kHeadSchema, error);
}

bool VerifiedState::load(QString *error)
{
    m_loaded = true;
    const QByteArray bytes = readCache(m_location);
    if (bytes.isEmpty())
        return reset(error);
    m_db.close();
    if (!m_db.open(QStringLiteral(":memory:"), Database::Mode::Create, error))
        return false;
    // sqlite3_deserialize takes ownership of memory from sqlite3_malloc64.
    auto *copy = static_cast<unsigned char *>(sqlite3_malloc64(sqlite3_uint64(bytes.size())));
    if (!copy)
        return reset(error);
    memcpy(copy, bytes.constData(), size_t(bytes.size()));
    if (sqlite3_deserialize(m_db.handle(), "main", copy, bytes.size(), bytes.size(),
                            SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE) != SQLITE_OK)
        return reset(error);
    // A replay kept by an older Custody lacks tables added since: replay afresh rather than trust it.
    for (const QString &table : StateStore::tableNames())
        if (!m_db.queryInt(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '%1'").arg(table).toUtf8().constData(),
                           error).value_or(0))
            return reset(error);
    Statement st(m_db, "SELECT seq, hash, workspace_id, location FROM replay_head WHERE id = 1");
    if (!st.step() || st.columnText(3) != m_location || !digestFromBytes(st.columnBlob(1), &m_head.hash))
        return reset(error);
    m_head.seq = st.columnInt(0);
    m_head.workspaceId = st.columnText(2);
    m_savedSeq = m_head.seq;
    return true;
}

void VerifiedState::save()
{
    QString error;
    Statement head(m_db, "INSERT OR REPLACE INTO replay_head VALUES (1, ?1, ?2, ?3, ?4)");
    if (!head.bind(1, m_head.seq).bindBlob(2, m_head.hash.data(), 32).bind(3, m_head.workspaceId).bind(4, m_location).run(&error))
        return;
    sqlite3_int64 size = 0;
    unsigned char *bytes = sqlite3_serialize(m_db.handle(), "main", &size, 0);
    if (!bytes)
        return;
    writeCache(m_location, QByteArray(reinterpret_cast<const char *>(bytes), qsizetype(size)));
    sqlite3_free(bytes);
    m_savedSeq = m_head.seq;
}

bool VerifiedState::headMatches()
{
    if (m_head.seq == 0)
        return true;
    Statement st(m_ws.db(), "SELECT hash FROM event WHERE seq = ?1");
    Digest hash;
    return st.bind(1, m_head.seq).step() && digestFromBytes(st.columnBlob(0), &hash) && hash == m_head.hash;
}

bool VerifiedState::refresh(QString *error)
{
    if (!m_loaded && !load(error))
        return false;
    // The replay must be a prefix of this ledger: events of a transaction that rolled back, or a ledger
    // rewritten since, send it back to the saved replay, and from there to the first event.
    if (!headMatches() && (!load(error) || !headMatches()) && !reset(error))
        return false;
    Ledger ledger(m_ws);
    EventReplay replay(m_state, m_head);
    bool any = false;
    if (!ledger.forEach([&](const LedgerEvent &e) { replay.add(e); any = true; return true; }, error, m_head.seq + 1))
        return false;
    replay.finish();
    m_head = replay.head();
    m_problem.clear();
    if (!replay.problems().isEmpty()) {
        const EventReplay::Problem &p = replay.problems().first();
        m_problem = QStringLiteral("ledger event %1: %2").arg(p.seq).arg(p.message);
    } else if (m_head.workspaceId != ledger.workspaceId()) {
        m_problem = QStringLiteral("the workspace's identity is not the one its ledger ends with");
    }
    if (!m_problem.isEmpty()) {
        m_loaded = false; // never keep or save a replay that took in a bad event
        return true;
    }
    if (any)
        save();
    return true;
}

QString VerifiedState::divergence(bool allTables, const QString &version)
{
    for (const QString &table : StateStore::tableNames()) {
        if (!allTables || table == QLatin1String("decision"))
            continue;
        const QString d = StateStore::firstDifference(table, StateStore::tableRows(m_ws.db(), table), StateStore::tableRows(m_db, table));
        if (!d.isEmpty())
            return d;
    }
    if (version.isEmpty())
        return QString();
    return StateStore::firstDifference(QStringLiteral("decision"), StateStore::tableRows(m_ws.db(), QStringLiteral("decision"), version),
                                       StateStore::tableRows(m_db, QStringLiteral("decision"), version));
}

bool VerifiedState::applyOwn(const LedgerEvent &event, const QJsonObject &body, QString *error)
{
    if (!m_state.apply(event, body, error))
        return false;
    m_head.seq = event.seq;
    m_head.hash = event.hash;
    if (event.type == EventType::WorkspaceAdopted)
        m_head.workspaceId = body.value(QStringLiteral("workspace")).toString();
    return true;
}

} // namespace custody
