#include "findings/FindingsQueue.h"

#include "findings/FindingsFilter.h"
#include "findings/FindingsModel.h"
#include "detection/ScanResult.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelection>
#include <QLabel>
#include <QLocale>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

namespace custody {

FindingsQueue::FindingsQueue(QWidget *parent)
    : QWidget(parent), m_model(new FindingsModel(this)), m_filter(new FindingsFilter(this)), m_detector(new QComboBox),
      m_minimum(new QDoubleSpinBox), m_decision(new QComboBox), m_phrase(new QComboBox), m_showAll(new QCheckBox(tr("Show all records"))),
      m_count(new QLabel), m_table(new QTableView)
{
    setObjectName(QStringLiteral("findingsQueue"));
    m_filter->setFindingsModel(m_model);
    m_detector->setObjectName(QStringLiteral("findingsDetectorFilter"));
    m_detector->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_minimum->setObjectName(QStringLiteral("findingsMinimumScore"));
    m_minimum->setRange(0, 1e6);
    m_minimum->setDecimals(2);
    m_minimum->setSingleStep(0.5);
    m_minimum->setSpecialValueText(tr("any score"));
    m_minimum->setPrefix(tr("score ≥ "));
    m_decision->setObjectName(QStringLiteral("findingsDecisionFilter"));
    using F = FindingsFilter::DecisionFilter;
    for (const auto &[text, value] : {std::pair{tr("All decisions"), F::Any}, std::pair{tr("Undecided"), F::Undecided},
                                      std::pair{tr("Kept"), F::Keep}, std::pair{tr("Excluded"), F::Exclude},
                                      std::pair{tr("Relabelled"), F::Relabel}})
        m_decision->addItem(text, int(value));
    m_phrase->setObjectName(QStringLiteral("findingsPhraseFilter"));
    m_phrase->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_phrase->setToolTip(tr("Only the records that carry one of the trigger phrases the scan found"));
    m_phrase->setVisible(false);
    m_showAll->setObjectName(QStringLiteral("findingsShowAll"));
    m_showAll->setToolTip(tr("List every record of the batch, not only the findings, so that a lasso on the plot can "
                             "select records no detector flagged."));
    m_count->setObjectName(QStringLiteral("findingsCount"));

    m_table->setObjectName(QStringLiteral("findingsTable"));
    m_table->setModel(m_filter);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    // Score, highest first, is the scan's own ranking; every header sorts.
    m_table->horizontalHeader()->setSortIndicator(FindingsModel::Score, Qt::DescendingOrder);
    m_table->setSortingEnabled(true);
    m_table->setColumnWidth(FindingsModel::Record, 90);
    m_table->setColumnWidth(FindingsModel::Class, 60);
    m_table->setColumnWidth(FindingsModel::Suggested, 100);
    m_table->setColumnWidth(FindingsModel::Score, 60);
    m_table->setColumnWidth(FindingsModel::Detectors, 170);
    m_table->setColumnWidth(FindingsModel::Change, 80);

    connect(m_detector, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setDetector(m_detector->currentData().toString()); });
    connect(m_minimum, &QDoubleSpinBox::valueChanged, this, [this](double value) {
        m_filter->setMinimumScore(value <= m_minimum->minimum() ? -std::numeric_limits<double>::infinity() : value);
    });
    connect(m_decision, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setDecisionFilter(FindingsFilter::DecisionFilter(m_decision->currentData().toInt())); });
    connect(m_phrase, &QComboBox::currentIndexChanged, this, [this] {
        const QStringList ids = m_phrase->currentData().toStringList();
        m_filter->setRecordSet(QSet<QString>(ids.begin(), ids.end()));
    });
    connect(m_showAll, &QCheckBox::toggled, m_filter, &FindingsFilter::setShowAllRecords);
    connect(m_filter, &FindingsFilter::criteriaChanged, this, &FindingsQueue::updateCounts);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { Q_EMIT selectionChanged(selectedRows()); });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this] { Q_EMIT currentRowChanged(currentRow()); });

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_detector);
    filters->addWidget(m_minimum);
    filters->addWidget(m_decision);
    filters->addWidget(m_phrase);
    filters->addWidget(m_showAll);
    filters->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(filters);
    layout->addWidget(m_count);
    layout->addWidget(m_table, 1);
    updateCounts();
}

FindingsQueue::~FindingsQueue() = default;

void FindingsQueue::setResult(std::shared_ptr<const ScanResult> result)
{
    {
        const QSignalBlocker block(m_phrase);
        m_phrase->clear();
        m_phrase->addItem(tr("All records"), QStringList());
        if (result)
            for (const TriggerPhrase &p : result->phrases)
                m_phrase->addItem(tr("'%1' in class %2 (%3)").arg(p.phrase, p.label).arg(p.records.size()), p.records);
        m_phrase->setVisible(m_phrase->count() > 1);
    }
    m_filter->setRecordSet({});
    m_model->setResult(std::move(result));
    updateCounts();
}

void FindingsQueue::setDecisions(const QList<Decision> &decisions)
{
    m_model->setDecisions(decisions);
    updateCounts();
}

void FindingsQueue::setClassFilter(const QString &label)
{
    m_filter->setClassFilter(label);
}

void FindingsQueue::updateCounts()
{
    const QLocale locale;
    const QList<QPair<QString, int>> counts = m_filter->detectorCounts();
    const QString chosen = m_filter->detector();
    {
        QSignalBlocker block(m_detector);
        m_detector->clear();
        for (const auto &[detector, n] : counts)
            m_detector->addItem(detector.isEmpty() ? tr("All detectors (%1)").arg(locale.toString(n))
                                                   : tr("%1 (%2)").arg(detector, locale.toString(n)),
                                detector);
        // A detector with no findings left in this view stays listed so that the choice does not jump.
        if (!chosen.isEmpty() && m_detector->findData(chosen) < 0)
            m_detector->addItem(tr("%1 (0)").arg(chosen), chosen);
        m_detector->setCurrentIndex(std::max(0, m_detector->findData(chosen)));
    }
    const int decided = [this] {
        int n = 0;
        for (int row = 0; row < m_model->flaggedCount(); ++row)
            n += !m_model->decisionActionOf(row).isEmpty();
        return n;
    }();
    m_count->setText(m_model->result() ? tr("Showing %1 · %2 findings, %3 decided")
                                             .arg(locale.toString(m_filter->rowCount()), locale.toString(m_model->flaggedCount()),
                                                  locale.toString(decided))
                                       : QString());
}

QList<int> FindingsQueue::selectedRows() const
{
    // From the ranges themselves: QItemSelectionModel::selectedRows() tests every row against every range, which
    // takes seconds for a lasso of thousands of scattered rows.
    std::vector<int> rows;
    for (const QItemSelectionRange &range : m_table->selectionModel()->selection())
        for (int row = range.top(); row <= range.bottom(); ++row)
            rows.push_back(row);
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    QList<int> out;
    out.reserve(qsizetype(rows.size()));
    for (int row : rows)
        out.append(m_model->batchRow(m_filter->mapToSource(m_filter->index(row, 0)).row()));
    return out;
}

void FindingsQueue::selectRows(const QList<int> &rows)
{
    std::vector<int> shown;
    shown.reserve(size_t(rows.size()));
    for (int row : rows) {
        const QModelIndex source = m_model->index(m_model->modelRow(row), 0);
        const QModelIndex index = source.isValid() ? m_filter->mapFromSource(source) : QModelIndex();
        if (index.isValid())
            shown.push_back(index.row());
    }
    std::sort(shown.begin(), shown.end());
    // Consecutive rows as one range: a lasso over thousands of points stays one cheap selection.
    QItemSelection selection;
    const int last = m_filter->columnCount() - 1;
    for (size_t i = 0; i < shown.size();) {
        size_t j = i;
        while (j + 1 < shown.size() && shown[j + 1] <= shown[j] + 1)
            ++j;
        selection.select(m_filter->index(shown[i], 0), m_filter->index(shown[j], last));
        i = j + 1;
    }
    QItemSelectionModel *model = m_table->selectionModel();
    model->select(selection, QItemSelectionModel::ClearAndSelect);
    if (!shown.empty()) {
        const QModelIndex first = m_filter->index(shown.front(), 0);
        model->setCurrentIndex(first, QItemSelectionModel::NoUpdate);
        m_table->scrollTo(first);
    }
}

int FindingsQueue::currentRow() const
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    return current.isValid() ? current.data(FindingsModel::BatchRowRole).toInt() : -1;
}

bool FindingsQueue::setCurrentRow(int batchRow)
{
    const QModelIndex source = m_model->index(m_model->modelRow(batchRow), 0);
    const QModelIndex index = source.isValid() ? m_filter->mapFromSource(source) : QModelIndex();
    if (!index.isValid())
        return false;
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(index);
    return true;
}

void FindingsQueue::step(int delta)
{
    const int rows = m_filter->rowCount();
    if (rows == 0)
        return;
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    const int next = current.isValid() ? std::clamp(current.row() + delta, 0, rows - 1) : (delta >= 0 ? 0 : rows - 1);
    const QModelIndex index = m_filter->index(next, 0);
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(index);
}

} // namespace custody
