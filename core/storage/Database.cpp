#include "storage/Database.h"

#include "storage/FileWrite.h"

#include <cerrno>
#include <sys/resource.h>

namespace custody {

Database::~Database()
{
    close();
}

bool Database::open(const QString &path, Mode mode, QString *error)
{
    close();
    // A database reached through a symbolic link is refused: writes would land wherever the link points.
    int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW;
    switch (mode) {
    case Mode::ReadOnly: flags |= SQLITE_OPEN_READONLY; break;
    case Mode::ReadWrite: flags |= SQLITE_OPEN_READWRITE; break;
    case Mode::Create: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
    }
    const QByteArray p = path.toUtf8();
    const int rc = sqlite3_open_v2(p.constData(), &m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        if (error)
            *error = QStringLiteral("%1: cannot open database (%2)")
                         .arg(path, QString::fromUtf8(m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc)));
        close();
        return false;
    }
    m_path = path;
    sqlite3_extended_result_codes(m_db, 1);
    setBusyTimeout(mode == Mode::ReadOnly ? kReaderBusyTimeoutMs : kWriterBusyTimeoutMs);
    return true;
}

void Database::setBusyTimeout(int milliseconds)
{
    if (m_db)
        sqlite3_busy_timeout(m_db, milliseconds);
}

void Database::close()
{
    for (sqlite3_stmt *st : std::as_const(m_cache))
        sqlite3_finalize(st);
    m_cache.clear();
    if (m_db)
        sqlite3_close_v2(m_db);
    m_db = nullptr;
}

namespace {
// A limit on the size of files this process may write (ulimit -f) turns SQLite's writes into short writes or
// EFBIG, reported as a full disk or an I/O error: say so when one is set.
QString fileSizeLimitNote()
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_FSIZE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
        return QString();
    return QStringLiteral("; this process may not write files over %1 bytes (a file-size limit, 'ulimit -f')").arg(quint64(limit.rlim_cur));
}
} // namespace

QString Database::lastError() const
{
    if (!m_db)
        return QStringLiteral("database is not open");
    const QString message = QString::fromUtf8(sqlite3_errmsg(m_db));
    switch (sqlite3_errcode(m_db) & 0xff) {
    case SQLITE_BUSY:
        return QStringLiteral("the workspace is busy: another Custody process is writing; try again (%1)").arg(message);
    case SQLITE_FULL:
        return QStringLiteral("no space left on device (%1)%2").arg(message, fileSizeLimitNote());
    case SQLITE_IOERR:
        // "disk I/O error" alone hides the cause: the system's reason (no space, a read-only medium) comes first,
        // and a file-size limit, which SQLite does not report as such, is named.
        if (const int e = sqlite3_system_errno(m_db); e != 0)
            return QStringLiteral("%1 (%2)%3").arg(systemErrorText(e), message, fileSizeLimitNote());
        return message + fileSizeLimitNote();
    default:
        return message;
    }
}

bool Database::exec(const char *sql, QString *error)
{
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
        if (error)
            *error = lastError();
        return false;
    }
    return true;
}

std::optional<qint64> Database::queryInt(const char *sql, QString *error)
{
    Statement st(*this, sql);
    if (!st.ok() || !st.step()) {
        if (error)
            *error = st.error();
        return std::nullopt;
    }
    return st.columnInt(0);
}

sqlite3_stmt *Database::cachedStatement(const char *sql)
{
    if (sqlite3_stmt *st = m_cache.value(sql))
        return st;
    sqlite3_stmt *st = nullptr;
    if (sqlite3_prepare_v3(m_db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, nullptr) != SQLITE_OK)
        return nullptr;
    m_cache.insert(sql, st);
    return st;
}

Statement::Statement(Database &db, const char *sql, CachedTag) : m_db(db), m_cached(true)
{
    m_stmt = db.cachedStatement(sql);
    if (!m_stmt) {
        m_failed = true;
        m_rc = sqlite3_errcode(db.handle());
    }
}

Statement::Statement(Database &db, const char *sql) : m_db(db)
{
    m_rc = sqlite3_prepare_v2(db.handle(), sql, -1, &m_stmt, nullptr);
    if (m_rc != SQLITE_OK) {
        m_failed = true;
        m_stmt = nullptr;
    }
}

Statement::~Statement()
{
    if (!m_cached) {
        sqlite3_finalize(m_stmt);
    } else if (m_stmt) {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }
}

QString Statement::error() const
{
    return m_db.lastError();
}

Statement &Statement::bind(int i, qint64 v)
{
    sqlite3_bind_int64(m_stmt, i, v);
    return *this;
}

Statement &Statement::bind(int i, double v)
{
    sqlite3_bind_double(m_stmt, i, v);
    return *this;
}

Statement &Statement::bind(int i, const QString &v)
{
    const QByteArray u = v.toUtf8();
    sqlite3_bind_text(m_stmt, i, u.constData(), int(u.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement &Statement::bind(int i, std::string_view v)
{
    sqlite3_bind_text(m_stmt, i, v.data(), int(v.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement &Statement::bindBlob(int i, const void *data, size_t size)
{
    sqlite3_bind_blob64(m_stmt, i, data ? data : "", size, SQLITE_TRANSIENT);
    return *this;
}

Statement &Statement::bindNull(int i)
{
    sqlite3_bind_null(m_stmt, i);
    return *this;
}

bool Statement::step()
{
    if (!m_stmt)
        return false;
    m_rc = sqlite3_step(m_stmt);
    if (m_rc == SQLITE_ROW)
        return true;
    if (m_rc != SQLITE_DONE)
        m_failed = true;
    return false;
}

bool Statement::run(QString *error)
{
    step();
    const bool good = !m_failed;
    if (!good && error)
        *error = this->error();
    reset();
    return good;
}

void Statement::reset()
{
    if (m_stmt) {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }
    if (m_stmt)
        m_failed = false;
}

QString Statement::columnText(int i) const
{
    const auto *t = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, i));
    return t ? QString::fromUtf8(t, sqlite3_column_bytes(m_stmt, i)) : QString();
}

std::string_view Statement::columnTextView(int i) const
{
    const auto *t = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, i));
    return t ? std::string_view(t, size_t(sqlite3_column_bytes(m_stmt, i))) : std::string_view();
}

QByteArray Statement::columnBlob(int i) const
{
    const auto v = columnBlobView(i);
    return QByteArray(v.data(), qsizetype(v.size()));
}

std::string_view Statement::columnBlobView(int i) const
{
    const auto *b = static_cast<const char *>(sqlite3_column_blob(m_stmt, i));
    return b ? std::string_view(b, size_t(sqlite3_column_bytes(m_stmt, i))) : std::string_view();
}

Transaction::~Transaction()
{
    rollback();
}

bool Transaction::begin(QString *error)
{
    if (!m_db.exec("BEGIN IMMEDIATE", error))
        return false;
    m_active = true;
    return true;
}

bool Transaction::commit(QString *error)
{
    if (!m_active)
        return false;
    if (!m_db.exec("COMMIT", error))
        return false;
    m_active = false;
    return true;
}

void Transaction::rollback()
{
    if (m_active)
        m_db.exec("ROLLBACK", nullptr);
    m_active = false;
}

} // namespace custody
