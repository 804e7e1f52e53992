#pragma once

#include <QChartView>

#include <vector>

class QBarSet;
class QBarSeries;

namespace custody {

struct DriftHistogram;

// Baseline and batch shares on the shared bins of a drift histogram, as side-by-side bars (numeric bins or
// categories alike); the bins that moved most are highlighted. Clicking a bar selects its bin.
class DriftHistogramChart : public QChartView
{
    Q_OBJECT
public:
    explicit DriftHistogramChart(QWidget *parent = nullptr);

    void setHistogram(const DriftHistogram &histogram, const QString &title);
    void clear(const QString &title = {});

    int bins() const { return int(m_labels.size()); }
    QStringList binLabels() const { return m_labels; } // category names, or numeric bins' lower edges
    QString binRange(int bin) const { return m_ranges.value(bin); } // "[a, b)", or the category
    std::vector<int> highlightedBins() const { return m_highlighted; }
    QBarSet *baselineSet() const { return m_baselineSet; }
    QBarSet *batchSet() const { return m_batchSet; }
    int selectedBin() const { return m_selected; }
    void selectBin(int bin);

Q_SIGNALS:
    void binSelected(int bin);

private:
    QStringList m_labels;
    QStringList m_ranges;
    std::vector<int> m_highlighted;
    QBarSet *m_baselineSet = nullptr;
    QBarSet *m_batchSet = nullptr;
    int m_selected = -1;
};

} // namespace custody
