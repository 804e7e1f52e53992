#pragma once

#include <QAbstractTableModel>

#include <memory>
#include <vector>

namespace custody {

struct DriftReport;

// The features of a drift report, one row each, most severe first (DriftReport::featuresBySeverity): name,
// test, statistic, p-value, adjusted p-value, PSI and verdict. Read-only; FeatureRole gives the feature's
// index in the report.
class DriftFeatureModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Name, Test, Statistic, PValue, PAdjusted, Psi, Verdict, ColumnCount };
    static constexpr int FeatureRole = Qt::UserRole + 1;
    static constexpr int DriftedRole = Qt::UserRole + 2;

    explicit DriftFeatureModel(QObject *parent = nullptr);

    void setReport(std::shared_ptr<const DriftReport> report);
    const DriftReport *report() const { return m_report.get(); }
    int featureAt(int row) const;
    int rowOf(int feature) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // "0.0123", "1.2e-05", "-" for NaN: the CLI's way of printing numbers.
    static QString formatNumber(double v, int precision = 4);

private:
    std::shared_ptr<const DriftReport> m_report;
    std::vector<int> m_order;
};

} // namespace custody
