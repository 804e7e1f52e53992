#include "drift/DriftHistogramChart.h"

#include "analysis/DriftReport.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QPainter>
#include <QValueAxis>

#include <algorithm>

namespace custody {

namespace {
QString edge(double v)
{
    return QString::number(v, 'g', 4);
}

std::vector<double> shares(const std::vector<int64_t> &counts)
{
    int64_t total = 0;
    for (int64_t c : counts)
        total += c;
    std::vector<double> out(counts.size(), 0.0);
    for (size_t i = 0; i < counts.size(); ++i)
        out[i] = total > 0 ? double(counts[i]) / double(total) : 0.0;
    return out;
}
} // namespace

DriftHistogramChart::DriftHistogramChart(QWidget *parent) : QChartView(parent)
{
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(220);
    chart()->legend()->setAlignment(Qt::AlignBottom);
    chart()->setAnimationOptions(QChart::NoAnimation);
}

void DriftHistogramChart::clear(const QString &title)
{
    chart()->removeAllSeries();
    for (QAbstractAxis *axis : chart()->axes())
        chart()->removeAxis(axis), delete axis;
    chart()->setTitle(title);
    m_labels.clear();
    m_ranges.clear();
    m_highlighted.clear();
    m_baselineSet = m_batchSet = nullptr;
    m_selected = -1;
}

void DriftHistogramChart::setHistogram(const DriftHistogram &h, const QString &title)
{
    clear(title);
    const int n = h.bins();
    for (int i = 0; i < n; ++i) {
        if (i < h.categories.size())
            m_labels << h.categories.at(i);
        else if (size_t(i + 1) < h.edges.size())
            m_labels << edge(h.edges[size_t(i)]); // the bin's lower edge: short enough to read under a bar
        else
            m_labels << QString::number(i);
        m_ranges << (size_t(i + 1) < h.edges.size() && i >= h.categories.size()
                         ? QStringLiteral("[%1, %2%3").arg(edge(h.edges[size_t(i)]), edge(h.edges[size_t(i + 1)]),
                                                          i + 1 == n ? QStringLiteral("]") : QStringLiteral(")"))
                         : m_labels.constLast());
    }
    m_baselineSet = new QBarSet(tr("Baseline"));
    m_batchSet = new QBarSet(tr("Batch"));
    m_baselineSet->setColor(QColor(0x7f, 0x8c, 0x8d));
    m_batchSet->setColor(QColor(0x29, 0x80, 0xb9));
    const std::vector<double> a = shares(h.baseline), b = shares(h.batch);
    double top = 0;
    for (int i = 0; i < n; ++i) {
        m_baselineSet->append(a[size_t(i)]);
        m_batchSet->append(b[size_t(i)]);
        top = std::max({top, a[size_t(i)], b[size_t(i)]});
    }
    // The bins that moved most: the batch's bars drawn in the warning colour.
    m_highlighted = h.movedMost;
    QList<int> moved;
    for (int bin : h.movedMost)
        moved << bin;
    m_batchSet->setSelectedColor(QColor(0xe6, 0x7e, 0x22));
    m_baselineSet->setSelectedColor(QColor(0x50, 0x50, 0x50));
    m_batchSet->selectBars(moved);

    auto *series = new QBarSeries;
    series->append(m_baselineSet);
    series->append(m_batchSet);
    chart()->addSeries(series);
    auto *x = new QBarCategoryAxis;
    x->append(m_labels);
    x->setLabelsAngle(n > 8 ? -90 : 0);
    auto *y = new QValueAxis;
    y->setRange(0, top > 0 ? top * 1.1 : 1);
    y->setLabelFormat(QStringLiteral("%.2f"));
    y->setTitleText(tr("Share"));
    chart()->addAxis(x, Qt::AlignBottom);
    chart()->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    connect(series, &QBarSeries::clicked, this, [this](int index, QBarSet *) { selectBin(index); });
}

void DriftHistogramChart::selectBin(int bin)
{
    if (bin < 0 || bin >= bins())
        return;
    m_selected = bin;
    // The chosen bin's baseline bar is marked; the batch keeps the moved-most highlight.
    m_baselineSet->deselectAllBars();
    m_baselineSet->selectBar(bin);
    Q_EMIT binSelected(bin);
}

} // namespace custody
