#include "drift/DriftChartExport.h"

#include <QFileInfo>
#include <QPainter>
#include <QPixmap>
#include <QSvgGenerator>
#include <QWidget>

namespace custody {

bool exportChartPng(QWidget *chart, const QString &path)
{
    return chart && chart->grab().save(path, "PNG");
}

bool exportChartSvg(QWidget *chart, const QString &path, const QString &title)
{
    if (!chart)
        return false;
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(chart->size());
    svg.setViewBox(QRect(QPoint(0, 0), chart->size()));
    svg.setTitle(title);
    svg.setDescription(QStringLiteral("Custody drift dashboard"));
    QPainter painter;
    if (!painter.begin(&svg))
        return false;
    chart->render(&painter);
    return painter.end() && QFileInfo(path).size() > 0;
}

bool exportChart(QWidget *chart, const QString &path, const QString &title)
{
    return QFileInfo(path).suffix().compare(QLatin1String("svg"), Qt::CaseInsensitive) == 0
        ? exportChartSvg(chart, path, title)
        : exportChartPng(chart, path);
}

} // namespace custody
