#pragma once

#include "formats/Schema.h"
#include "storage/RecordQuery.h"

#include <QImage>
#include <QList>
#include <QMutex>
#include <QObject>
#include <QStringList>
#include <QWaitCondition>

#include <atomic>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

class QThread;

namespace custody {

class Workspace;

// One record as the records table shows it, prepared off the GUI thread (decoded values, thumbnail).
struct LoadedRecord
{
    qint64 row = 0; // position in the version, 0-based
    QString id;
    QString label;
    bool hasLabel = false;
    QString contentHash; // hex
    QStringList values;  // one per schema column
    QImage thumbnail;    // image versions only
};
using RecordChunk = QList<LoadedRecord>;

// Reads chunks of a version's records on its own thread through its own read-only connection, the way DB
// Browser for SQLite fills its row cache. The ordering pass of a sorted or filtered view runs here too.
// A newer view supersedes older ones: their pending chunks are dropped and a running ordering is cancelled.
// Chunk requests are served newest first and the queue is bounded, so fast scrolling only loads what is
// still on screen. Results arrive as signals in the thread that owns the loader.
class RecordLoader : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 kChunkSize = 256;
    static constexpr int kMaxPendingChunks = 24;
    static constexpr int kThumbnailSize = 32;

    explicit RecordLoader(const QString &workspacePath, QObject *parent = nullptr);
    ~RecordLoader() override;

    QString workspacePath() const { return m_path; }

    void setView(quint64 generation, const RecordView &view, const Schema &schema);
    void requestChunk(quint64 generation, qint64 chunk);

Q_SIGNALS:
    // rowCount is the number of rows of the view (-1 for a natural view: the version's record count).
    void viewReady(quint64 generation, qint64 rowCount, const QString &error);
    void chunkReady(quint64 generation, qint64 chunk, const custody::RecordChunk &records);
    void chunkFailed(quint64 generation, qint64 chunk, const QString &error);
    void chunkDropped(quint64 generation, qint64 chunk);

private:
    struct ViewRequest
    {
        quint64 generation = 0;
        RecordView view;
        Schema schema;
    };
    struct ChunkRequest
    {
        quint64 generation = 0;
        qint64 chunk = 0;
    };

    void run();
    bool ensureOpen(QString *error);
    void prepareView(const ViewRequest &request);
    void loadChunk(const ChunkRequest &request);
    RecordChunk toLoaded(const QList<RecordRow> &rows) const;

    const QString m_path;
    QThread *m_thread = nullptr;

    // Shared with the loader thread, guarded by m_mutex.
    QMutex m_mutex;
    QWaitCondition m_wake;
    bool m_stop = false;
    quint64 m_latestGeneration = 0;
    std::optional<ViewRequest> m_pendingView;
    std::deque<ChunkRequest> m_pendingChunks; // newest at the back
    std::atomic_bool m_cancelOrdering{false};

    // Loader thread only.
    std::unique_ptr<Workspace> m_workspace;
    std::unique_ptr<RecordQuery> m_query;
    std::optional<ViewRequest> m_current;
    std::vector<qint64> m_order; // rows of a sorted or filtered view
};

} // namespace custody
