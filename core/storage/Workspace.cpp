#include "storage/Workspace.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>

namespace custody {

namespace {

// Forward migrations: entry i brings a database from user_version i to i + 1.
const char *const kMigrations[] = {
    R"sql(
CREATE TABLE dataset(
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL);
CREATE TABLE object(
    hash TEXT PRIMARY KEY,
    size INTEGER NOT NULL);
CREATE TABLE version(
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES dataset(id),
    label TEXT NOT NULL,
    parent_id INTEGER REFERENCES version(id),
    record_count INTEGER NOT NULL,
    merkle_root BLOB NOT NULL,
    manifest BLOB NOT NULL,
    manifest_hash BLOB NOT NULL,
    digest BLOB NOT NULL,
    pack_hash TEXT REFERENCES object(hash),
    created_at TEXT NOT NULL,
    UNIQUE(dataset_id, label));
CREATE TABLE version_file(
    version_id INTEGER NOT NULL REFERENCES version(id),
    ordinal INTEGER NOT NULL,
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    object_hash TEXT NOT NULL REFERENCES object(hash),
    PRIMARY KEY(version_id, ordinal)) WITHOUT ROWID;
CREATE TABLE record(
    version_id INTEGER NOT NULL REFERENCES version(id),
    row INTEGER NOT NULL,
    record_id TEXT NOT NULL,
    label TEXT,
    content_hash BLOB NOT NULL,
    content_offset INTEGER NOT NULL,
    content_length INTEGER NOT NULL,
    embedding BLOB,
    object_hash TEXT REFERENCES object(hash),
    PRIMARY KEY(version_id, row)) WITHOUT ROWID;
CREATE UNIQUE INDEX record_by_id ON record(version_id, record_id);
)sql",
    // 2: the ledger (docs/ledger.md). Its derived tables and the unsigned events of versions that already exist
    // come from the ledger's lifecycle (workflow/OpenWorkspace.cpp), in the same transaction.
    R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
INSERT INTO meta VALUES ('workspace_id', lower(hex(randomblob(16))));
CREATE TABLE event(
    seq INTEGER PRIMARY KEY,
    time TEXT NOT NULL,
    actor TEXT NOT NULL,
    type TEXT NOT NULL,
    payload BLOB NOT NULL,
    prev_hash BLOB NOT NULL,
    signature BLOB NOT NULL,
    hash BLOB NOT NULL);
)sql",
    // 3: the ledger's derived table of who ingested, decided on or submitted each version (separation of duties);
    // created and filled from the events by the ledger's lifecycle.
    "SELECT 1;",
};
static_assert(std::size(kMigrations) == Workspace::kSchemaVersion);

QString sqliteProblem(Database &db, const QString &path)
{
    const int code = sqlite3_errcode(db.handle());
    if (code == SQLITE_NOTADB)
        return QStringLiteral("%1 is not a Custody workspace (the file is not an SQLite database)").arg(path);
    if ((code & 0xff) == SQLITE_CORRUPT)
        return QStringLiteral("%1 is corrupt (%2); nothing was changed").arg(path, db.lastError());
    return QStringLiteral("%1: %2").arg(path, db.lastError());
}

} // namespace

bool VersionRef::isValidName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"));
    return re.match(name).hasMatch();
}

std::optional<VersionRef> VersionRef::parse(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^([^@\\s]+)@([^@\\s]+)$"));
    const auto m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    return VersionRef{m.captured(1), m.captured(2)};
}

QString Workspace::databasePath(const QString &dir)
{
    return QDir(dir).filePath(QStringLiteral("custody.db"));
}

bool Workspace::looksLikeWorkspace(const QString &dir)
{
    return QFileInfo(databasePath(dir)).isFile();
}

bool Workspace::needsUpgrade(const QString &dir)
{
    Database db;
    QString e;
    if (!looksLikeWorkspace(dir) || !db.open(databasePath(dir), Database::Mode::ReadOnly, &e))
        return false;
    const auto appId = db.queryInt("PRAGMA application_id", &e);
    const auto version = db.queryInt("PRAGMA user_version", &e);
    return appId && version && *appId == kApplicationId && *version < kSchemaVersion;
}

std::unique_ptr<Workspace> Workspace::create(const QString &dir, std::shared_ptr<WorkspaceLifecycle> lifecycle,
                                             QString *error)
{
    if (looksLikeWorkspace(dir)) {
        // Never overwritten: whatever custody.db is, it may be someone's only copy.
        QFile f(databasePath(dir));
        const bool sqlite = f.open(QIODevice::ReadOnly) && f.read(16) == QByteArray("SQLite format 3\0", 16);
        *error = sqlite ? QStringLiteral("%1 already holds a workspace").arg(dir)
                        : QStringLiteral("%1 holds a custody.db that is not a SQLite database; it is left as it is: move it "
                                         "away or choose another folder").arg(dir);
        return nullptr;
    }
    if (!QDir().mkpath(dir) || !QDir().mkpath(QDir(dir).filePath(QStringLiteral("objects")))) {
        *error = QStringLiteral("%1: cannot create the workspace folder").arg(dir);
        return nullptr;
    }
    std::unique_ptr<Workspace> ws(new Workspace);
    ws->m_dir = QDir(dir).absolutePath();
    ws->m_lifecycle = std::move(lifecycle);
    ws->m_objects = ObjectStore(QDir(ws->m_dir).filePath(QStringLiteral("objects")));
    const QString dbPath = databasePath(ws->m_dir);
    if (!ws->m_db.open(dbPath, Database::Mode::Create, error))
        return nullptr;
    QString e;
    const QByteArray pragmas = QStringLiteral("PRAGMA application_id = %1; PRAGMA journal_mode = WAL;")
                                   .arg(kApplicationId)
                                   .toLatin1();
    if (!ws->m_db.exec(pragmas.constData(), &e) || !ws->checkAndMigrate(&e)) {
        *error = QStringLiteral("%1: cannot initialise (%2)").arg(dbPath, e);
        ws->m_db.close();
        QFile::remove(dbPath);
        return nullptr;
    }
    if (ws->m_lifecycle)
        ws->m_lifecycle->opened(*ws);
    return ws;
}

std::unique_ptr<Workspace> Workspace::open(const QString &dir, std::shared_ptr<WorkspaceLifecycle> lifecycle,
                                           QString *error, Access access)
{
    const QString dbPath = databasePath(dir);
    if (!QFileInfo(dir).isDir()) {
        *error = QStringLiteral("%1: no such folder").arg(dir);
        return nullptr;
    }
    if (QFileInfo(dbPath).isSymLink()) {
        *error = QStringLiteral("%1 is a symbolic link: a workspace's database must be its own file").arg(dbPath);
        return nullptr;
    }
    if (!QFileInfo(dbPath).isFile()) {
        *error = QStringLiteral("%1 is not a Custody workspace (it has no custody.db)").arg(dir);
        return nullptr;
    }
    std::unique_ptr<Workspace> ws(new Workspace);
    ws->m_dir = QDir(dir).absolutePath();
    ws->m_access = access;
    ws->m_lifecycle = std::move(lifecycle);
    ws->m_objects = ObjectStore(QDir(ws->m_dir).filePath(QStringLiteral("objects")));
    if (!ws->m_objects.foldersAreOwn(error))
        return nullptr;
    const auto mode = access == Access::ReadOnly ? Database::Mode::ReadOnly : Database::Mode::ReadWrite;
    if (!ws->m_db.open(dbPath, mode, error))
        return nullptr;
    if (!ws->checkAndMigrate(error))
        return nullptr;
    if (ws->m_lifecycle)
        ws->m_lifecycle->opened(*ws);
    return ws;
}

void Workspace::refuseWrites(const QString &problem, bool untilVerified)
{
    m_untilVerified = untilVerified;
    m_integrityProblem = problem;
    if (m_access == Access::ReadOnly)
        return;
    QString e;
    m_access = Access::ReadOnly;
    m_db.open(databasePath(m_dir), Database::Mode::ReadOnly, &e);
    m_db.exec("PRAGMA foreign_keys = ON", &e);
}

Workspace::~Workspace()
{
    if (m_lifecycle && m_db.isOpen())
        m_lifecycle->closing(*this);
}

bool Workspace::checkAndMigrate(QString *error)
{
    const QString dbPath = databasePath(m_dir);
    // Look before writing anything: a file we do not recognise must stay byte-for-byte as it was.
    Statement header(m_db, "PRAGMA application_id");
    if (!header.step()) {
        *error = sqliteProblem(m_db, dbPath);
        return false;
    }
    const qint64 appId = header.columnInt(0);
    std::optional<qint64> userVersion = m_db.queryInt("PRAGMA user_version", error);
    if (!userVersion) {
        *error = sqliteProblem(m_db, dbPath);
        return false;
    }
    if (appId != kApplicationId) {
        *error = QStringLiteral("%1 is not a Custody workspace (it is an SQLite database of another application)")
                     .arg(dbPath);
        return false;
    }
    if (*userVersion > kSchemaVersion) {
        *error = QStringLiteral("%1 was written by a newer Custody (schema %2; this build knows up to %3); "
                                "nothing was changed")
                     .arg(dbPath)
                     .arg(*userVersion)
                     .arg(kSchemaVersion);
        return false;
    }
    if (!m_db.exec("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA cache_size = -65536;", error))
        return false;
    if (*userVersion == kSchemaVersion)
        return true;
    if (m_access == Access::ReadOnly) {
        *error = QStringLiteral("%1 needs an upgrade from schema %2 and was opened read-only")
                     .arg(dbPath)
                     .arg(*userVersion);
        return false;
    }
    Transaction tx(m_db);
    if (!tx.begin(error))
        return false;
    for (qint64 v = *userVersion; v < kSchemaVersion; ++v) {
        QString e;
        const bool ok = m_db.exec(kMigrations[v], &e) && (!m_lifecycle || m_lifecycle->migrated(*this, int(v + 1), &e));
        if (!ok) {
            *error = QStringLiteral("%1: migration to schema %2 failed (%3); nothing was changed").arg(dbPath).arg(v + 1).arg(e);
            return false;
        }
    }
    const QByteArray set = QStringLiteral("PRAGMA user_version = %1").arg(kSchemaVersion).toLatin1();
    return m_db.exec(set.constData(), error) && tx.commit(error);
}

static const char *const kVersionColumns =
    "SELECT v.id, d.name, v.label, v.parent_id, p.label, v.record_count, v.merkle_root, v.manifest_hash, "
    "v.digest, v.manifest, v.created_at, v.pack_hash FROM version v JOIN dataset d ON d.id = v.dataset_id "
    "LEFT JOIN version p ON p.id = v.parent_id ";

bool Workspace::readVersion(Statement &st, DatasetVersion *v, QString *error)
{
    v->id = st.columnInt(0);
    v->ref = VersionRef{st.columnText(1), st.columnText(2)};
    v->parentId = st.columnIsNull(3) ? 0 : st.columnInt(3);
    v->parentLabel = st.columnText(4);
    v->recordCount = st.columnInt(5);
    digestFromBytes(st.columnBlob(6), &v->merkleRoot);
    digestFromBytes(st.columnBlob(7), &v->manifestHash);
    digestFromBytes(st.columnBlob(8), &v->digest);
    v->manifestBytes = st.columnBlob(9);
    v->createdAt = QDateTime::fromString(st.columnText(10), Qt::ISODateWithMs);
    v->packHash = st.columnText(11);
    QJsonParseError pe;
    v->manifest = QJsonDocument::fromJson(v->manifestBytes, &pe).object();
    if (pe.error != QJsonParseError::NoError) {
        *error = QStringLiteral("%1: its manifest is not valid JSON (%2)").arg(v->ref.toString(), pe.errorString());
        return false;
    }
    const QJsonObject prov = v->manifest.value(QStringLiteral("provenance")).toObject();
    v->provenance = Provenance{prov.value(QStringLiteral("source")).toString(),
                               prov.value(QStringLiteral("supplier")).toString(),
                               prov.value(QStringLiteral("license")).toString(),
                               prov.value(QStringLiteral("acquired_at")).toString(),
                               prov.value(QStringLiteral("note")).toString(),
                               prov.value(QStringLiteral("ingested_by")).toString(),
                               prov.value(QStringLiteral("ingested_at")).toString()};
    v->format = v->manifest.value(QStringLiteral("format")).toString();
    v->embeddingDimensions = v->manifest.value(QStringLiteral("embedding_dimensions")).toInt();
    QString schemaError;
    if (!Schema::fromJson(v->manifest.value(QStringLiteral("schema")).toArray(), &v->schema, &schemaError)) {
        *error = QStringLiteral("%1: %2").arg(v->ref.toString(), schemaError);
        return false;
    }
    return true;
}

QStringList Workspace::foreignSchemaObjects()
{
    QStringList found;
    Statement st(m_db, "SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view') ORDER BY type, name");
    while (st.step())
        found << st.columnText(0) + QLatin1Char(' ') + st.columnText(1);
    return found;
}

QList<DatasetVersion> Workspace::versions(QString *error)
{
    QList<DatasetVersion> out;
    Statement st(m_db, (QByteArray(kVersionColumns) + "ORDER BY d.name, v.id").constData());
    while (st.step()) {
        DatasetVersion v;
        if (!readVersion(st, &v, error))
            return {};
        out.append(v);
    }
    if (st.failed() && error)
        *error = st.error();
    return out;
}

std::optional<DatasetVersion> Workspace::version(const VersionRef &ref, QString *error)
{
    Statement st(m_db, (QByteArray(kVersionColumns) + "WHERE d.name = ?1 AND v.label = ?2").constData());
    st.bind(1, ref.dataset).bind(2, ref.label);
    DatasetVersion v;
    if (st.step() && readVersion(st, &v, error))
        return v;
    if (error && error->isEmpty())
        *error = st.failed() ? st.error() : QStringLiteral("no version %1 in this workspace").arg(ref.toString());
    return std::nullopt;
}

std::optional<DatasetVersion> Workspace::versionById(qint64 id, QString *error)
{
    Statement st(m_db, (QByteArray(kVersionColumns) + "WHERE v.id = ?1").constData());
    st.bind(1, id);
    DatasetVersion v;
    if (st.step() && readVersion(st, &v, error))
        return v;
    if (error && error->isEmpty())
        *error = st.failed() ? st.error() : QStringLiteral("no version with id %1").arg(id);
    return std::nullopt;
}

QList<VersionFile> Workspace::files(qint64 versionId, QString *error)
{
    QList<VersionFile> out;
    Statement st(m_db, "SELECT f.role, f.name, f.object_hash, o.size FROM version_file f "
                       "JOIN object o ON o.hash = f.object_hash WHERE f.version_id = ?1 ORDER BY f.ordinal");
    st.bind(1, versionId);
    while (st.step())
        out.append(VersionFile{st.columnText(0), st.columnText(1), st.columnText(2), st.columnInt(3)});
    if (st.failed() && error)
        *error = st.error();
    return out;
}

QStringList Workspace::datasets(QString *error)
{
    QStringList out;
    Statement st(m_db, "SELECT name FROM dataset ORDER BY name");
    while (st.step())
        out.append(st.columnText(0));
    if (st.failed() && error)
        *error = st.error();
    return out;
}

const char *const Workspace::kReferencedObjectsSql =
    "SELECT pack_hash FROM version WHERE pack_hash IS NOT NULL "
    "UNION SELECT object_hash FROM version_file "
    "UNION SELECT object_hash FROM record WHERE object_hash IS NOT NULL "
    "UNION SELECT json_extract(payload, '$.body.result_digest') FROM event "
    "WHERE type = 'scan.recorded' AND json_extract(payload, '$.body.kind') = 'detectors' "
    "UNION SELECT json_extract(payload, '$.body.arrays_object') FROM event "
    "WHERE type = 'scan.recorded' AND json_extract(payload, '$.body.kind') = 'detectors'";

int Workspace::collectOrphanObjects()
{
    // Referenced: registered in the object table, or named by a version, a file, a record or a recorded scan.
    // An object table edited by hand (rows deleted) must not turn stored data into "orphans" to delete.
    QSet<QString> known;
    for (const char *sql : {"SELECT hash FROM object", kReferencedObjectsSql}) {
        Statement st(m_db, sql);
        while (st.step())
            known.insert(st.columnText(0));
        if (st.failed())
            return 0; // never delete on a partial view of what is referenced
    }
    int removed = 0;
    for (const QString &hash : m_objects.list()) {
        if (!known.contains(hash) && m_objects.remove(hash))
            ++removed;
    }
    m_objects.clearTemporaryFiles();
    return removed;
}

} // namespace custody
