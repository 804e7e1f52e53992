#include "versions/RecordLoader.h"

#include "formats/ContentDisplay.h"
#include "storage/Workspace.h"
#include "workflow/OpenWorkspace.h"

#include <QMutexLocker>
#include <QThread>

#include <algorithm>

namespace custody {

RecordLoader::RecordLoader(const QString &workspacePath, QObject *parent) : QObject(parent), m_path(workspacePath)
{
    m_thread = QThread::create([this] { run(); });
    m_thread->setObjectName(QStringLiteral("RecordLoader"));
    m_thread->start(QThread::LowPriority);
}

RecordLoader::~RecordLoader()
{
    {
        QMutexLocker lock(&m_mutex);
        m_stop = true;
        m_cancelOrdering = true;
        m_wake.wakeAll();
    }
    m_thread->wait();
    delete m_thread;
}

void RecordLoader::setView(quint64 generation, const RecordView &view, const Schema &schema)
{
    QMutexLocker lock(&m_mutex);
    m_latestGeneration = generation;
    m_pendingView = ViewRequest{generation, view, schema};
    m_pendingChunks.clear();
    m_cancelOrdering = true;
    m_wake.wakeAll();
}

void RecordLoader::requestChunk(quint64 generation, qint64 chunk)
{
    QMutexLocker lock(&m_mutex);
    if (generation != m_latestGeneration)
        return;
    const auto same = [&](const ChunkRequest &r) { return r.chunk == chunk; };
    m_pendingChunks.erase(std::remove_if(m_pendingChunks.begin(), m_pendingChunks.end(), same),
                          m_pendingChunks.end());
    m_pendingChunks.push_back(ChunkRequest{generation, chunk});
    while (int(m_pendingChunks.size()) > kMaxPendingChunks) {
        const ChunkRequest dropped = m_pendingChunks.front();
        m_pendingChunks.pop_front();
        QMetaObject::invokeMethod(
            this, [this, dropped] { Q_EMIT chunkDropped(dropped.generation, dropped.chunk); },
            Qt::QueuedConnection);
    }
    m_wake.wakeAll();
}

void RecordLoader::run()
{
    for (;;) {
        std::optional<ViewRequest> view;
        std::optional<ChunkRequest> chunk;
        {
            QMutexLocker lock(&m_mutex);
            while (!m_stop && !m_pendingView && m_pendingChunks.empty())
                m_wake.wait(&m_mutex);
            if (m_stop)
                break;
            if (m_pendingView) {
                view = std::move(m_pendingView);
                m_pendingView.reset();
                m_cancelOrdering = false;
            } else {
                chunk = m_pendingChunks.back(); // newest first: what is on screen now
                m_pendingChunks.pop_back();
            }
        }
        if (view)
            prepareView(*view);
        else if (chunk)
            loadChunk(*chunk);
    }
    m_query.reset();
    m_workspace.reset(); // the connection belongs to this thread
}

bool RecordLoader::ensureOpen(QString *error)
{
    if (m_workspace)
        return true;
    m_workspace = openWorkspace(m_path, error, Workspace::Access::ReadOnly);
    if (!m_workspace)
        return false;
    m_query = std::make_unique<RecordQuery>(*m_workspace); // keeps the version's record pack open
    return true;
}

void RecordLoader::prepareView(const ViewRequest &request)
{
    m_current.reset();
    m_order.clear();
    QString error;
    qint64 rowCount = -1;
    if (!ensureOpen(&error)) {
        rowCount = 0;
    } else if (!request.view.isNatural()) {
        std::vector<qint64> rows;
        const bool ok = m_query->orderedRows(request.view, &rows, &error, &m_cancelOrdering);
        if (m_cancelOrdering)
            return; // superseded: the next view is already pending
        if (!ok) {
            rowCount = 0;
            if (error.isEmpty())
                error = tr("The records could not be ordered.");
        } else {
            m_order = std::move(rows);
            rowCount = qint64(m_order.size());
        }
    }
    if (error.isEmpty())
        m_current = request;
    const quint64 generation = request.generation;
    QMetaObject::invokeMethod(
        this, [this, generation, rowCount, error] { Q_EMIT viewReady(generation, rowCount, error); },
        Qt::QueuedConnection);
}

void RecordLoader::loadChunk(const ChunkRequest &request)
{
    if (!m_current || m_current->generation != request.generation)
        return;
    const qint64 versionId = m_current->view.versionId;
    const qint64 first = request.chunk * kChunkSize;
    QList<RecordRow> rows;
    QString error;
    RecordQuery &query = *m_query;
    bool ok = false;
    if (m_current->view.isNatural()) {
        ok = query.fetchRange(versionId, first, kChunkSize, &rows, &error);
    } else {
        const qint64 end = qMin<qint64>(first + kChunkSize, qint64(m_order.size()));
        if (first >= end) {
            ok = true;
        } else {
            const std::vector<qint64> slice(m_order.begin() + first, m_order.begin() + end);
            ok = query.fetch(versionId, slice, &rows, &error);
        }
    }
    const quint64 generation = request.generation;
    const qint64 chunk = request.chunk;
    if (!ok) {
        QMetaObject::invokeMethod(
            this, [this, generation, chunk, error] { Q_EMIT chunkFailed(generation, chunk, error); },
            Qt::QueuedConnection);
        return;
    }
    RecordChunk loaded = toLoaded(rows);
    QMetaObject::invokeMethod(
        this, [this, generation, chunk, loaded] { Q_EMIT chunkReady(generation, chunk, loaded); },
        Qt::QueuedConnection);
}

RecordChunk RecordLoader::toLoaded(const QList<RecordRow> &rows) const
{
    const Schema &schema = m_current->schema;
    const bool images = schema.hasImage();
    RecordChunk out;
    out.reserve(rows.size());
    for (const RecordRow &r : rows) {
        LoadedRecord record;
        record.row = r.row;
        record.id = r.id;
        record.label = r.label;
        record.hasLabel = r.hasLabel;
        record.contentHash = toHex(r.contentHash);
        const std::string_view content(r.content.constData(), size_t(r.content.size()));
        record.values = displayValues(schema, content);
        if (images) {
            QImage image = contentImage(content);
            if (image.width() > kThumbnailSize || image.height() > kThumbnailSize)
                image = image.scaled(kThumbnailSize, kThumbnailSize, Qt::KeepAspectRatio, Qt::SmoothTransformation);
            record.thumbnail = image;
        }
        out.append(record);
    }
    return out;
}

} // namespace custody
