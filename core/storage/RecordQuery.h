#pragma once

#include "hashing/Sha256.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

namespace custody {

class Database;
class RecordPack;
class Workspace;

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
    explicit RecordQuery(Workspace &workspace);
    explicit RecordQuery(Database &db); // the workspace is the folder holding the database file
    ~RecordQuery();

    std::optional<qint64> count(qint64 versionId, QString *error);
    // The rows of the view in order (for a natural view, callers can skip this: position == row).
    bool orderedRows(const RecordView &view, std::vector<qint64> *rows, QString *error,
                     const std::atomic_bool *cancel = nullptr);
    // Records at the given rows, in the same order.
    bool fetch(qint64 versionId, const std::vector<qint64> &rows, QList<RecordRow> *out, QString *error);
    bool fetchRange(qint64 versionId, qint64 firstRow, qint64 count, QList<RecordRow> *out, QString *error);
    std::optional<RecordRow> byId(qint64 versionId, const QString &recordId, QString *error);

private:
    // The pack holding this version's contents, opened once and kept while the same version is read.
    const RecordPack *pack(qint64 versionId, QString *error);
    bool readRow(class Statement &st, RecordRow *r, QString *error);

    Database &m_db;
    QString m_objectsDir;
    qint64 m_packVersion = 0;
    std::unique_ptr<RecordPack> m_pack;
};

} // namespace custody
