#include "versions/RecordTableModel.h"

#include <QColor>
#include <QFont>
#include <QLocale>

namespace custody {

RecordTableModel::RecordTableModel(QObject *parent) : QAbstractTableModel(parent) { }

RecordTableModel::~RecordTableModel() = default;

void RecordTableModel::setVersion(const QString &workspacePath, const DatasetVersion &version)
{
    beginResetModel();
    if (!m_loader || m_loader->workspacePath() != workspacePath) {
        m_loader = std::make_unique<RecordLoader>(workspacePath);
        connect(m_loader.get(), &RecordLoader::viewReady, this,
                [this](quint64 generation, qint64 rowCount, const QString &error) {
                    // A natural view is applied at once (applyView); its echo must not reset the view again.
                    if (rowCount < 0 && error.isEmpty())
                        return;
                    onViewReady(generation, rowCount, error);
                });
        connect(m_loader.get(), &RecordLoader::chunkReady, this, &RecordTableModel::onChunkReady);
        connect(m_loader.get(), &RecordLoader::chunkDropped, this, &RecordTableModel::onChunkGone);
        connect(m_loader.get(), &RecordLoader::chunkFailed, this,
                [this](quint64 generation, qint64 chunk, const QString &error) {
                    onChunkGone(generation, chunk);
                    if (generation == m_shownGeneration)
                        Q_EMIT loadFailed(error);
                });
    }
    m_version = version;
    m_rowCount = 0;
    m_cache.clear();
    m_requested.clear();
    m_filter.clear();
    m_sortColumn = RowColumn;
    m_sortOrder = Qt::AscendingOrder;
    endResetModel();
    applyView();
}

void RecordTableModel::clear()
{
    beginResetModel();
    m_loader.reset();
    m_version = DatasetVersion();
    m_rowCount = 0;
    m_cache.clear();
    m_requested.clear();
    m_filter.clear();
    m_sortColumn = RowColumn;
    m_sortOrder = Qt::AscendingOrder;
    ++m_latestGeneration;
    m_shownGeneration = m_latestGeneration;
    endResetModel();
    setBusy(false);
}

void RecordTableModel::setFilter(const QString &filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    applyView();
}

bool RecordTableModel::isSortable(int column) const
{
    if (column == RowColumn || column == IdColumn || column == LabelColumn)
        return true;
    const int feature = featureIndex(column);
    return feature >= 0 && feature < m_version.schema.columns.size()
           && m_version.schema.columns.at(feature).kind != ColumnKind::Image;
}

void RecordTableModel::sort(int column, Qt::SortOrder order)
{
    if (!isSortable(column) || (column == m_sortColumn && order == m_sortOrder))
        return;
    m_sortColumn = column;
    m_sortOrder = order;
    applyView();
}

void RecordTableModel::applyView()
{
    if (!m_loader)
        return;
    RecordView view;
    view.versionId = m_version.id;
    view.descending = m_sortOrder == Qt::DescendingOrder;
    view.filter = m_filter;
    switch (m_sortColumn) {
    case RowColumn:
        view.sortKey = RecordView::SortKey::Row;
        break;
    case IdColumn:
        view.sortKey = RecordView::SortKey::Id;
        break;
    case LabelColumn:
        view.sortKey = RecordView::SortKey::Label;
        break;
    default:
        view.sortKey = RecordView::SortKey::Feature;
        view.featureIndex = featureIndex(m_sortColumn);
        break;
    }
    const quint64 generation = ++m_latestGeneration;
    m_loader->setView(generation, view, m_version.schema);
    if (view.isNatural()) {
        // Position is the row: nothing to order, the count is the version's.
        onViewReady(generation, -1, QString());
    } else {
        setBusy(true);
    }
}

void RecordTableModel::onViewReady(quint64 generation, qint64 rowCount, const QString &error)
{
    if (generation != m_latestGeneration)
        return; // superseded by a newer sort or filter
    beginResetModel();
    m_shownGeneration = generation;
    m_cache.clear();
    m_requested.clear();
    m_rowCount = int(rowCount < 0 ? m_version.recordCount : rowCount);
    if (!error.isEmpty())
        m_rowCount = 0;
    endResetModel();
    setBusy(false);
    if (!error.isEmpty())
        Q_EMIT loadFailed(error);
    Q_EMIT viewApplied();
}

void RecordTableModel::onChunkReady(quint64 generation, qint64 chunk, const RecordChunk &records)
{
    m_requested.remove(chunk);
    if (generation != m_shownGeneration)
        return;
    m_cache.insert(chunk, records);
    const int first = int(chunk * RecordLoader::kChunkSize);
    const int last = qMin(m_rowCount - 1, first + int(records.size()) - 1);
    if (last < first)
        return;
    Q_EMIT dataChanged(index(first, 0), index(last, columnCount() - 1));
    Q_EMIT rowsLoaded(first, last);
}

void RecordTableModel::onChunkGone(quint64 generation, qint64 chunk)
{
    if (generation == m_shownGeneration)
        m_requested.remove(chunk); // asked again when it is painted again
}

void RecordTableModel::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    Q_EMIT busyChanged(busy);
}

bool RecordTableModel::isRowLoaded(int row) const
{
    return row >= 0 && row < m_rowCount && m_cache.contains(row / RecordLoader::kChunkSize);
}

const LoadedRecord *RecordTableModel::record(int row) const
{
    const qint64 chunk = row / RecordLoader::kChunkSize;
    if (const RecordChunk *records = m_cache.find(chunk)) {
        const qsizetype offset = row % RecordLoader::kChunkSize;
        return offset < records->size() ? &records->at(offset) : nullptr;
    }
    // While a new ordering is computed the old rows stay visible; chunks are asked only for the shown view.
    if (m_loader && !m_busy && !m_requested.contains(chunk)) {
        m_requested.insert(chunk);
        m_loader->requestChunk(m_shownGeneration, chunk);
    }
    return nullptr;
}

int RecordTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_rowCount;
}

int RecordTableModel::columnCount(const QModelIndex &parent) const
{
    if (parent.isValid() || !m_loader)
        return 0;
    return FirstFeatureColumn + int(m_version.schema.columns.size());
}

QVariant RecordTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int column = index.column();
    const int feature = featureIndex(column);
    const bool isImage = feature >= 0 && m_version.schema.columns.at(feature).kind == ColumnKind::Image;
    if (role == Qt::TextAlignmentRole) {
        const bool number = column == RowColumn
                            || (feature >= 0 && m_version.schema.columns.at(feature).kind == ColumnKind::Number);
        return QVariant::fromValue(Qt::Alignment((number ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter));
    }
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole && role != Qt::DecorationRole
        && role != Qt::ForegroundRole && role != Qt::FontRole)
        return {};
    const LoadedRecord *r = record(index.row());
    if (!r) {
        if (role == Qt::DisplayRole)
            return kPlaceholder;
        if (role == Qt::ForegroundRole)
            return QColor(Qt::gray);
        return {};
    }
    switch (role) {
    case Qt::DecorationRole:
        return isImage && !r->thumbnail.isNull() ? QVariant(r->thumbnail) : QVariant();
    case Qt::FontRole:
        if (column == ContentHashColumn) {
            QFont font(QStringLiteral("monospace"));
            font.setStyleHint(QFont::TypeWriter);
            return font;
        }
        return {};
    case Qt::ForegroundRole:
        return column == LabelColumn && !r->hasLabel ? QVariant(QColor(Qt::gray)) : QVariant();
    default:
        break;
    }
    const bool tip = role == Qt::ToolTipRole;
    switch (column) {
    case RowColumn:
        return tip ? QVariant() : QVariant(QLocale().toString(r->row));
    case IdColumn:
        return r->id;
    case LabelColumn:
        return r->hasLabel ? r->label : (tip ? tr("no label") : QStringLiteral("—"));
    case ContentHashColumn:
        return tip ? r->contentHash : r->contentHash.left(16);
    default:
        if (feature < 0 || feature >= r->values.size())
            return {};
        if (isImage && !tip)
            return {}; // the thumbnail says it; the tooltip names the geometry
        return r->values.at(feature);
    }
}

QVariant RecordTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (section) {
    case RowColumn:
        return tr("Row");
    case IdColumn:
        return tr("Id");
    case LabelColumn:
        return tr("Label");
    case ContentHashColumn:
        return role == Qt::ToolTipRole ? tr("SHA-256 of the record's canonical content") : tr("Content hash");
    default:
        break;
    }
    const int feature = featureIndex(section);
    if (feature < 0 || feature >= m_version.schema.columns.size())
        return {};
    const custody::Column &c = m_version.schema.columns.at(feature);
    if (role == Qt::ToolTipRole)
        return tr("%1 (%2)").arg(c.name, columnKindName(c.kind));
    return c.kind == ColumnKind::Image ? tr("Thumbnail") : c.name;
}

} // namespace custody
