#include "versions/RecordsPanel.h"

#include "versions/RecordLoader.h"
#include "versions/RecordTableModel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace custody {

RecordsPanel::RecordsPanel(QWidget *parent)
    : QWidget(parent), m_model(new RecordTableModel(this)), m_filter(new QLineEdit(this)),
      m_status(new QLabel(this)), m_table(new QTableView(this)), m_filterDelay(new QTimer(this))
{
    m_filter->setObjectName(QStringLiteral("recordFilter"));
    m_filter->setPlaceholderText(tr("Filter records by id or label"));
    m_filter->setClearButtonEnabled(true);
    m_status->setObjectName(QStringLiteral("recordStatus"));

    m_table->setObjectName(QStringLiteral("recordTable"));
    m_table->setModel(m_model);
    m_table->setSortingEnabled(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->verticalHeader()->hide();
    // Uniform row heights: the view never has to measure a million rows.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->horizontalHeader()->setSortIndicatorShown(true);
    m_table->horizontalHeader()->setSortIndicator(RecordTableModel::RowColumn, Qt::AscendingOrder);
    m_table->horizontalHeader()->setHighlightSections(false);

    m_filterDelay->setSingleShot(true);
    m_filterDelay->setInterval(kFilterDelayMs);
    connect(m_filter, &QLineEdit::textChanged, m_filterDelay, qOverload<>(&QTimer::start));
    connect(m_filterDelay, &QTimer::timeout, this, [this] { m_model->setFilter(m_filter->text().trimmed()); });
    // Enter applies the filter at once instead of waiting for the pause.
    connect(m_filter, &QLineEdit::returnPressed, this, [this] {
        m_filterDelay->stop();
        m_model->setFilter(m_filter->text().trimmed());
    });

    // Columns the store cannot order by keep the previous indicator instead of pretending to sort.
    connect(m_table->horizontalHeader(), &QHeaderView::sortIndicatorChanged, this,
            [this](int column, Qt::SortOrder) {
                if (!m_model->isSortable(column)) {
                    QSignalBlocker block(m_table->horizontalHeader());
                    m_table->horizontalHeader()->setSortIndicator(m_model->sortColumn(), m_model->sortOrder());
                }
            });
    connect(m_model, &RecordTableModel::busyChanged, this, &RecordsPanel::updateStatus);
    connect(m_model, &RecordTableModel::viewApplied, this, &RecordsPanel::updateStatus);
    connect(m_model, &RecordTableModel::loadFailed, this, &RecordsPanel::errorOccurred);

    auto *top = new QHBoxLayout;
    top->addWidget(m_filter, 1);
    top->addWidget(m_status);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_table, 1);
    updateStatus();
}

void RecordsPanel::showVersion(const QString &workspacePath, const DatasetVersion &version)
{
    {
        QSignalBlocker block(m_filter);
        m_filter->clear();
    }
    m_filterDelay->stop();
    m_model->setVersion(workspacePath, version);
    {
        QSignalBlocker block(m_table->horizontalHeader());
        m_table->horizontalHeader()->setSortIndicator(RecordTableModel::RowColumn, Qt::AscendingOrder);
    }
    configureColumns();
    m_table->scrollToTop();
    updateStatus();
}

void RecordsPanel::clear()
{
    m_filterDelay->stop();
    m_model->clear();
    updateStatus();
}

void RecordsPanel::focusFilter()
{
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
}

void RecordsPanel::configureColumns()
{
    const int textHeight = m_table->fontMetrics().height() + 8;
    const bool thumbnails = m_model->hasThumbnails();
    m_table->verticalHeader()->setDefaultSectionSize(
        thumbnails ? qMax(textHeight, RecordLoader::kThumbnailSize + 4) : textHeight);
    if (thumbnails)
        m_table->setIconSize(QSize(RecordLoader::kThumbnailSize, RecordLoader::kThumbnailSize));
    // Widths from the header text, never from the data: measuring a million rows is what we avoid.
    QHeaderView *header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    const QFontMetrics fm = m_table->fontMetrics();
    for (int c = 0; c < m_model->columnCount(); ++c) {
        int width = fm.horizontalAdvance(m_model->headerData(c, Qt::Horizontal).toString()) + 36;
        switch (c) {
        case RecordTableModel::RowColumn:
            width = qMax(width, fm.horizontalAdvance(QStringLiteral("0,000,000")) + 16);
            break;
        case RecordTableModel::IdColumn:
            width = qMax(width, fm.horizontalAdvance(QLatin1Char('m')) * 12);
            break;
        case RecordTableModel::ContentHashColumn:
            width = qMax(width, QFontMetrics(QFont(QStringLiteral("monospace"))).horizontalAdvance(
                                    QStringLiteral("0123456789abcdef")) + 16);
            break;
        default:
            width = qMax(width, thumbnails ? RecordLoader::kThumbnailSize + 16 : fm.horizontalAdvance(QLatin1Char('m')) * 6);
            break;
        }
        header->resizeSection(c, width);
    }
    header->setStretchLastSection(true);
}

void RecordsPanel::updateStatus()
{
    const QLocale locale;
    const qint64 total = m_model->version().recordCount;
    QString text;
    if (m_model->versionId() == 0) {
        text.clear();
    } else if (m_model->isBusy()) {
        text = m_model->filter().isEmpty() || m_model->sortColumn() != RecordTableModel::RowColumn
                   ? tr("Sorting…")
                   : tr("Filtering…");
    } else if (m_model->filter().isEmpty()) {
        text = tr("%1 records").arg(locale.toString(total));
    } else {
        text = tr("%1 of %2 records match").arg(locale.toString(m_model->rowCount()), locale.toString(total));
    }
    m_status->setText(text);
}

} // namespace custody
