#pragma once

#include <QChartView>

#include <vector>

class QLineSeries;
class QScatterSeries;

namespace custody {

// One feature's drift across a dataset's versions: the effect (KS D or Jensen-Shannon distance, 0..1) of
// each version against the one before it, drifted steps marked.
class DriftTimelineChart : public QChartView
{
    Q_OBJECT
public:
    struct Step
    {
        QString version; // the later version of the pair, NAME@LABEL
        double effect = 0;
        double pAdjusted = 0;
        bool drifted = false;
        bool tested = false;
    };

    explicit DriftTimelineChart(QWidget *parent = nullptr);

    void setSteps(const QString &feature, const std::vector<Step> &steps);
    void clear(const QString &title = {});
    const std::vector<Step> &steps() const { return m_steps; }
    QLineSeries *effectSeries() const { return m_line; }
    QScatterSeries *driftedSeries() const { return m_drifted; }

private:
    std::vector<Step> m_steps;
    QLineSeries *m_line = nullptr;
    QScatterSeries *m_drifted = nullptr;
};

} // namespace custody
