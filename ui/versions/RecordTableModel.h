#pragma once

#include "versions/RecordChunkCache.h"
#include "versions/RecordLoader.h"
#include "storage/DatasetVersion.h"

#include <QAbstractTableModel>
#include <QSet>

#include <memory>

namespace custody {

// The records of one version for a QTableView, built for a million rows: it reports the full logical row
// count at once, shows a placeholder for rows not loaded yet, and asks a RecordLoader for the 256-row chunks
// the view paints, keeping a bounded LRU cache of them. Sorting and filtering become a RecordView that SQLite
// orders on the loader thread; while that runs the old rows stay on screen and isBusy() is true.
class RecordTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { RowColumn, IdColumn, LabelColumn, ContentHashColumn, FirstFeatureColumn };
    static constexpr int kCacheChunks = 64;
    static inline const QString kPlaceholder = QStringLiteral("…");

    explicit RecordTableModel(QObject *parent = nullptr);
    ~RecordTableModel() override;

    void setVersion(const QString &workspacePath, const DatasetVersion &version);
    void clear();
    qint64 versionId() const { return m_version.id; }
    const DatasetVersion &version() const { return m_version; }
    bool hasThumbnails() const { return m_version.schema.hasImage(); }

    void setFilter(const QString &filter);
    QString filter() const { return m_filter; }
    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }
    bool isSortable(int column) const;

    bool isBusy() const { return m_busy; }
    bool isRowLoaded(int row) const;
    int loadedChunkCount() const { return m_cache.size(); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

Q_SIGNALS:
    void busyChanged(bool busy);
    void viewApplied(); // a new ordering or filter is on screen (the row count may have changed)
    void rowsLoaded(int first, int last);
    void loadFailed(const QString &error);

private:
    void applyView();
    const LoadedRecord *record(int row) const;
    void onViewReady(quint64 generation, qint64 rowCount, const QString &error);
    void onChunkReady(quint64 generation, qint64 chunk, const RecordChunk &records);
    void onChunkGone(quint64 generation, qint64 chunk);
    void setBusy(bool busy);
    int featureIndex(int column) const { return column - FirstFeatureColumn; }

    std::unique_ptr<RecordLoader> m_loader;
    DatasetVersion m_version;
    int m_rowCount = 0;
    QString m_filter;
    int m_sortColumn = RowColumn;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    bool m_busy = false;
    quint64 m_shownGeneration = 0;  // the view whose rows are on screen
    quint64 m_latestGeneration = 0; // the newest view asked for
    mutable RecordChunkCache<RecordChunk> m_cache{kCacheChunks};
    mutable QSet<qint64> m_requested;
};

} // namespace custody
