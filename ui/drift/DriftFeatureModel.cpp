#include "drift/DriftFeatureModel.h"

#include "analysis/DriftReport.h"

#include <QBrush>
#include <QColor>

#include <cmath>

namespace custody {

DriftFeatureModel::DriftFeatureModel(QObject *parent) : QAbstractTableModel(parent) { }

void DriftFeatureModel::setReport(std::shared_ptr<const DriftReport> report)
{
    beginResetModel();
    m_report = std::move(report);
    m_order = m_report ? m_report->featuresBySeverity() : std::vector<int>();
    endResetModel();
}

int DriftFeatureModel::featureAt(int row) const
{
    return row >= 0 && row < int(m_order.size()) ? m_order[size_t(row)] : -1;
}

int DriftFeatureModel::rowOf(int feature) const
{
    for (size_t i = 0; i < m_order.size(); ++i) {
        if (m_order[i] == feature)
            return int(i);
    }
    return -1;
}

int DriftFeatureModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_order.size());
}

int DriftFeatureModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString DriftFeatureModel::formatNumber(double v, int precision)
{
    if (std::isnan(v))
        return QStringLiteral("-");
    if (std::isinf(v))
        return QStringLiteral("inf");
    if (v != 0 && std::fabs(v) < 1e-3)
        return QString::number(v, 'e', 2);
    return QString::number(v, 'f', precision);
}

QVariant DriftFeatureModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || !m_report)
        return {};
    const int feature = m_order[size_t(index.row())];
    const FeatureDrift &f = m_report->features[size_t(feature)];
    switch (role) {
    case FeatureRole:
        return feature;
    case DriftedRole:
        return f.drifted;
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name:
            return f.name;
        case Test: {
            if (!f.tested)
                return QStringLiteral("-");
            QString test = driftTestName(f.test);
            if (f.test == DriftTest::KolmogorovSmirnov)
                test += f.exact ? tr(" exact") : tr(" asymp");
            return test;
        }
        case Statistic:
            return formatNumber(f.statistic);
        case PValue:
            return formatNumber(f.pValue);
        case PAdjusted:
            return formatNumber(f.pAdjusted);
        case Psi:
            return formatNumber(f.psi, 3);
        case Verdict:
            return f.drifted ? tr("DRIFT") : f.tested ? tr("ok") : f.note;
        }
        return {};
    case Qt::TextAlignmentRole:
        return index.column() >= Statistic && index.column() <= Psi ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                                                     : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        if (index.column() == Verdict && f.drifted)
            return QBrush(QColor(0xc0, 0x39, 0x2b));
        return {};
    case Qt::ToolTipRole:
        if (!f.tested)
            return f.note;
        return tr("%1: n = %2 baseline, %3 batch; effect %4")
            .arg(f.name)
            .arg(f.nBaseline)
            .arg(f.nBatch)
            .arg(formatNumber(f.effect, 3));
    default:
        return {};
    }
}

QVariant DriftFeatureModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Name:
        return tr("Feature");
    case Test:
        return tr("Test");
    case Statistic:
        return tr("Statistic");
    case PValue:
        return tr("p");
    case PAdjusted:
        return tr("Adjusted p");
    case Psi:
        return tr("PSI");
    case Verdict:
        return tr("Verdict");
    }
    return {};
}

} // namespace custody
