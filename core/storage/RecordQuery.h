#pragma once

#include "hashing/Sha256.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <atomic>
#include <optional>
#include <vector>

namespace custody {

class Database;

struct RecordRow
{
    qint64 row = 0; // position in the version, 0-based
    QString id;
    QString label;
    bool hasLabel = false;
    Digest contentHash{};
    QByteArray content; // canonical encoding (ContentDecoder)
    QString objectHash; // the original file, for records that came from one (images)
    int embeddingDimensions = 0;
};

// How a records table wants a version ordered and filtered. Sorting and filtering are done by SQLite,
// never by a proxy over a million rows.
struct RecordView
{
    enum class SortKey { Row, Id, Label, Feature };
    qint64 versionId = 0;
    SortKey sortKey = SortKey::Row;
    int featureIndex = -1; // SortKey::Feature: schema column index
    bool descending = false;
    QString filter; // case-insensitive substring of id or label; empty for all

    bool isNatural() const { return sortKey == SortKey::Row && !descending && filter.isEmpty(); }
};

// Reads records of a version page by page. Meant for a loader thread with its own read-only connection.
class RecordQuery
{
public:
    explicit RecordQuery(Database &db) : m_db(db) { }

    std::optional<qint64> count(qint64 versionId, QString *error);
    // The rows of the view in order (for a natural view, callers can skip this: position == row).
    bool orderedRows(const RecordView &view, std::vector<qint64> *rows, QString *error,
                     const std::atomic_bool *cancel = nullptr);
    // Records at the given rows, in the same order.
    bool fetch(qint64 versionId, const std::vector<qint64> &rows, QList<RecordRow> *out, QString *error);
    bool fetchRange(qint64 versionId, qint64 firstRow, qint64 count, QList<RecordRow> *out, QString *error);
    std::optional<RecordRow> byId(qint64 versionId, const QString &recordId, QString *error);

    // Registers custody_value(content, column) so SQLite can sort by a feature. Called on every connection.
    static void registerFunctions(Database &db);

private:
    Database &m_db;
};

} // namespace custody
