#pragma once

#include <QString>

class QWidget;

namespace custody {

// Writes a chart (any widget: a Qt Charts view, a heat map, an image map) as it is shown: PNG (raster) or
// SVG (vector, through QSvgGenerator). False when the file cannot be written.
bool exportChartPng(QWidget *chart, const QString &path);
bool exportChartSvg(QWidget *chart, const QString &path, const QString &title = {});
// By the path's suffix: .svg is SVG, anything else PNG.
bool exportChart(QWidget *chart, const QString &path, const QString &title = {});

} // namespace custody
