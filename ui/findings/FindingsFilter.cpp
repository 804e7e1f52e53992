#include "findings/FindingsFilter.h"

#include "findings/FindingsModel.h"

#include <cmath>
#include <limits>

namespace custody {

FindingsFilter::FindingsFilter(QObject *parent)
    : QSortFilterProxyModel(parent), m_minimumScore(-std::numeric_limits<double>::infinity())
{
    setSortRole(FindingsModel::SortRole);
    setDynamicSortFilter(true); // a decision taken under "undecided" leaves the queue at once
}

void FindingsFilter::setFindingsModel(FindingsModel *model)
{
    m_model = model;
    setSourceModel(model);
}

void FindingsFilter::changed()
{
    invalidateFilter();
    Q_EMIT criteriaChanged();
}

void FindingsFilter::setDetector(const QString &detector)
{
    if (detector == m_detector)
        return;
    m_detector = detector;
    changed();
}

void FindingsFilter::setClassFilter(const QString &label)
{
    if (label == m_class)
        return;
    m_class = label;
    changed();
}

void FindingsFilter::setMinimumScore(double score)
{
    if (score == m_minimumScore)
        return;
    m_minimumScore = score;
    changed();
}

void FindingsFilter::setDecisionFilter(DecisionFilter filter)
{
    if (filter == m_decision)
        return;
    m_decision = filter;
    changed();
}

void FindingsFilter::setShowAllRecords(bool all)
{
    if (all == m_all)
        return;
    m_all = all;
    changed();
}

void FindingsFilter::setRecordSet(const QSet<QString> &ids)
{
    if (ids == m_records)
        return;
    m_records = ids;
    changed();
}

bool FindingsFilter::accepts(int sourceRow, bool ignoreDetector) const
{
    if (!m_model)
        return false;
    if (!m_all && sourceRow >= m_model->flaggedCount())
        return false;
    if (!m_records.isEmpty() && !m_records.contains(m_model->recordId(sourceRow)))
        return false;
    if (!m_class.isEmpty() && m_model->labelOf(sourceRow) != m_class)
        return false;
    if (!ignoreDetector && !m_detector.isEmpty() && !m_model->detectorsOf(sourceRow).contains(m_detector))
        return false;
    const double score = m_model->scoreOf(sourceRow);
    if (std::isnan(score) ? std::isfinite(m_minimumScore) : score < m_minimumScore)
        return false;
    if (m_decision != DecisionFilter::Any) {
        const QString action = m_model->decisionActionOf(sourceRow);
        switch (m_decision) {
        case DecisionFilter::Undecided:
            return action.isEmpty();
        case DecisionFilter::Keep:
            return action == QLatin1String("keep");
        case DecisionFilter::Exclude:
            return action == QLatin1String("exclude");
        case DecisionFilter::Relabel:
            return action == QLatin1String("relabel");
        case DecisionFilter::Any:
            break;
        }
    }
    return true;
}

bool FindingsFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    return !sourceParent.isValid() && accepts(sourceRow);
}

bool FindingsFilter::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    // The model gives numbers where a column holds them (scores; ids and classes that are all numbers).
    const QVariant a = left.data(FindingsModel::SortRole), b = right.data(FindingsModel::SortRole);
    if (a.typeId() == QMetaType::Double && b.typeId() == QMetaType::Double) {
        const double x = a.toDouble(), y = b.toDouble();
        if (x != y)
            return x < y;
    } else if (const int byText = a.toString().compare(b.toString(), Qt::CaseInsensitive); byText != 0) {
        return byText < 0;
    }
    // Equal keys (a class, a decision): the scan's ranking decides in either direction, so that ties always
    // read most suspicious first (the view reverses lessThan for a descending sort).
    return sortOrder() == Qt::AscendingOrder ? left.row() < right.row() : left.row() > right.row();
}

QList<QPair<QString, int>> FindingsFilter::detectorCounts() const
{
    QList<QPair<QString, int>> out;
    if (!m_model)
        return out;
    const QStringList detectors = m_model->detectors();
    QList<int> counts(detectors.size(), 0);
    int total = 0;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (!accepts(row, true))
            continue;
        ++total;
        const QStringList flaggedBy = m_model->detectorsOf(row);
        for (qsizetype d = 0; d < detectors.size(); ++d)
            if (flaggedBy.contains(detectors.at(d)))
                ++counts[d];
    }
    out.append({QString(), total});
    for (qsizetype d = 0; d < detectors.size(); ++d)
        out.append({detectors.at(d), counts.at(d)});
    return out;
}

} // namespace custody
