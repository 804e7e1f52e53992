#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

#include <sqlite3.h>

#include <optional>
#include <string_view>

namespace custody {

class Statement;

// One SQLite connection. Thin on purpose: prepared statements, transactions, and errors as text that names
// what failed. Each thread that touches a workspace opens its own connection.
class Database
{
public:
    Database() = default;
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    enum class Mode { ReadOnly, ReadWrite, Create };
    // How long a connection waits for another process's write lock before giving up. A writer waits its turn
    // behind another writer (a signed step, or an ingest holding the lock for its whole run); a reader of a
    // WAL database never waits for writers, only for a moment of recovery.
    static constexpr int kReaderBusyTimeoutMs = 5000;
    static constexpr int kWriterBusyTimeoutMs = 120000;
    bool open(const QString &path, Mode mode, QString *error);
    void setBusyTimeout(int milliseconds);
    void close();
    bool isOpen() const { return m_db != nullptr; }
    sqlite3 *handle() const { return m_db; }
    QString path() const { return m_path; }

    bool exec(const char *sql, QString *error);
    // The last error in words a person can act on: a lock still held after the busy timeout says that another
    // Custody process is writing, a full disk (SQLITE_FULL, or an I/O error with ENOSPC) says so; anything
    // else is SQLite's own message.
    QString lastError() const;

    // Scalar helpers for pragmas and counts. nullopt on error (with *error set).
    std::optional<qint64> queryInt(const char *sql, QString *error);

    // A prepared statement kept for the connection's lifetime, keyed by the SQL text's address (use string
    // literals): hot paths such as the ledger's state queries then parse their SQL once, not per event.
    sqlite3_stmt *cachedStatement(const char *sql);

private:
    sqlite3 *m_db = nullptr;
    QString m_path;
    QHash<const char *, sqlite3_stmt *> m_cache;
};

// A prepared statement; bind indexes are 1-based as in SQLite.
class Statement
{
public:
    Statement(Database &db, const char *sql);
    // Borrows the connection's cached statement for `sql` (a string literal); reset, not finalized, after use.
    enum CachedTag { Cached };
    Statement(Database &db, const char *sql, CachedTag);
    ~Statement();
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    bool ok() const { return m_stmt != nullptr; }
    QString error() const;

    Statement &bind(int i, qint64 v);
    Statement &bind(int i, int v) { return bind(i, qint64(v)); }
    Statement &bind(int i, double v);
    Statement &bind(int i, const QString &v);
    Statement &bind(int i, std::string_view v);      // text
    Statement &bindBlob(int i, const void *data, size_t size);
    Statement &bindBlob(int i, const QByteArray &v) { return bindBlob(i, v.constData(), size_t(v.size())); }
    Statement &bindNull(int i);

    // SQLITE_ROW -> true; SQLITE_DONE -> false with no error; anything else -> false and failed() true.
    bool step();
    bool failed() const { return m_failed; }
    int resultCode() const { return m_rc; }
    // Runs a statement that returns no rows; false with *error set when it fails.
    bool run(QString *error);
    void reset();

    int columnCount() const { return sqlite3_column_count(m_stmt); }
    qint64 columnInt(int i) const { return sqlite3_column_int64(m_stmt, i); }
    double columnDouble(int i) const { return sqlite3_column_double(m_stmt, i); }
    bool columnIsBlob(int i) const { return sqlite3_column_type(m_stmt, i) == SQLITE_BLOB; }
    bool columnIsNull(int i) const { return sqlite3_column_type(m_stmt, i) == SQLITE_NULL; }
    int columnType(int i) const { return sqlite3_column_type(m_stmt, i); } // SQLITE_INTEGER, _FLOAT, _TEXT, _BLOB, _NULL
    QString columnText(int i) const;
    std::string_view columnTextView(int i) const;
    QByteArray columnBlob(int i) const;
    std::string_view columnBlobView(int i) const;

private:
    Database &m_db;
    sqlite3_stmt *m_stmt = nullptr;
    bool m_cached = false;
    bool m_failed = false;
    int m_rc = SQLITE_OK;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back on destruction unless committed.
class Transaction
{
public:
    explicit Transaction(Database &db) : m_db(db) { }
    ~Transaction();
    bool begin(QString *error);
    bool commit(QString *error);
    void rollback();

private:
    Database &m_db;
    bool m_active = false;
};

} // namespace custody
