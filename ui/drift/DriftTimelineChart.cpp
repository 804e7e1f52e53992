#include "drift/DriftTimelineChart.h"

#include <QCategoryAxis>
#include <QChart>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>

#include <cmath>

namespace custody {

DriftTimelineChart::DriftTimelineChart(QWidget *parent) : QChartView(parent)
{
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(220);
    chart()->legend()->setAlignment(Qt::AlignBottom);
    chart()->setAnimationOptions(QChart::NoAnimation);
    clear(tr("Select a feature and press Timeline"));
}

void DriftTimelineChart::clear(const QString &title)
{
    chart()->removeAllSeries();
    for (QAbstractAxis *axis : chart()->axes()) {
        chart()->removeAxis(axis);
        delete axis;
    }
    chart()->setTitle(title);
    m_steps.clear();
    m_line = nullptr;
    m_drifted = nullptr;
}

void DriftTimelineChart::setSteps(const QString &feature, const std::vector<Step> &steps)
{
    clear(tr("%1 across versions: effect against the previous version").arg(feature));
    m_steps = steps;
    m_line = new QLineSeries;
    m_line->setName(tr("Effect"));
    m_line->setPointsVisible(true);
    m_drifted = new QScatterSeries;
    m_drifted->setName(tr("Drifted"));
    m_drifted->setColor(QColor(0xe6, 0x7e, 0x22));
    m_drifted->setMarkerSize(12);
    auto *x = new QCategoryAxis;
    x->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    for (size_t i = 0; i < steps.size(); ++i) {
        const double effect = steps[i].tested && std::isfinite(steps[i].effect) ? steps[i].effect : 0.0;
        m_line->append(double(i), effect);
        if (steps[i].drifted)
            m_drifted->append(double(i), effect);
        x->append(steps[i].version, double(i));
    }
    x->setRange(-0.5, std::max(0.5, double(steps.size()) - 0.5));
    x->setLabelsAngle(steps.size() > 6 ? -45 : 0);
    auto *y = new QValueAxis;
    y->setRange(0, 1);
    y->setTitleText(tr("Effect"));
    chart()->addSeries(m_line);
    chart()->addSeries(m_drifted);
    chart()->addAxis(x, Qt::AlignBottom);
    chart()->addAxis(y, Qt::AlignLeft);
    for (QAbstractSeries *s : chart()->series()) {
        s->attachAxis(x);
        s->attachAxis(y);
    }
}

} // namespace custody
