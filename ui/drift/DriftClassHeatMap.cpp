#include "drift/DriftClassHeatMap.h"

#include "analysis/DriftReport.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace custody {

namespace {
constexpr int kCell = 18;
constexpr int kHeader = 22;

// White (no effect) to dark red (effect 1).
QColor heat(double effect)
{
    if (std::isnan(effect))
        return QColor(0xdd, 0xdd, 0xdd);
    const double t = std::clamp(effect, 0.0, 1.0);
    return QColor::fromRgbF(float(1.0 - 0.25 * t), float(1.0 - 0.85 * t), float(1.0 - 0.85 * t));
}
} // namespace

DriftClassHeatMap::DriftClassHeatMap(QWidget *parent) : QWidget(parent)
{
    setMouseTracking(false);
}

void DriftClassHeatMap::setReport(const DriftReport *report, int maxRows)
{
    m_report = report;
    m_features.clear();
    m_labels.clear();
    m_effect.clear();
    m_drifted.clear();
    m_selectedRow = m_selectedColumn = -1;
    if (report) {
        // byClass is ranked by effect: the first features met are those with the largest class effects.
        for (const ClassDrift &c : report->byClass) {
            if (!m_labels.contains(c.label))
                m_labels << c.label;
            if (int(m_features.size()) < maxRows && std::find(m_features.begin(), m_features.end(), c.feature) == m_features.end())
                m_features.push_back(c.feature);
        }
        m_labels.sort();
        m_effect.assign(m_features.size() * size_t(m_labels.size()), NAN);
        m_drifted.assign(m_effect.size(), 0);
        for (const ClassDrift &c : report->byClass) {
            const auto row = std::find(m_features.begin(), m_features.end(), c.feature);
            if (row == m_features.end())
                continue;
            const size_t cell = size_t(row - m_features.begin()) * size_t(m_labels.size()) + size_t(m_labels.indexOf(c.label));
            m_effect[cell] = c.effect;
            m_drifted[cell] = c.drifted;
        }
    }
    updateGeometry();
    update();
}

double DriftClassHeatMap::effectAt(int row, int column) const
{
    if (row < 0 || row >= rowCount() || column < 0 || column >= columnCount())
        return NAN;
    return m_effect[size_t(row) * size_t(m_labels.size()) + size_t(column)];
}

int DriftClassHeatMap::rowHeaderWidth() const
{
    int w = 60;
    if (m_report) {
        for (int f : m_features)
            w = std::max(w, fontMetrics().horizontalAdvance(m_report->features[size_t(f)].name) + 8);
    }
    return std::min(w, 220);
}

QRect DriftClassHeatMap::cellRect(int row, int column) const
{
    const int cellW = std::max(kCell, columnCount() ? (width() - rowHeaderWidth() - 4) / columnCount() : kCell);
    return QRect(rowHeaderWidth() + column * std::min(cellW, 80), kHeader + row * kCell, std::min(cellW, 80), kCell);
}

QSize DriftClassHeatMap::sizeHint() const
{
    return QSize(rowHeaderWidth() + std::max(1, columnCount()) * 48, kHeader + std::max(1, rowCount()) * kCell + 4);
}

void DriftClassHeatMap::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    if (!m_report || m_features.empty()) {
        p.drawText(rect(), Qt::AlignCenter, tr("No class has enough records on both sides."));
        return;
    }
    for (int c = 0; c < columnCount(); ++c) {
        const QRect r = cellRect(0, c);
        p.drawText(QRect(r.left(), 0, r.width(), kHeader), Qt::AlignCenter, fontMetrics().elidedText(m_labels.at(c), Qt::ElideRight, r.width()));
    }
    for (int row = 0; row < rowCount(); ++row) {
        const QString name = m_report->features[size_t(m_features[size_t(row)])].name;
        p.setPen(palette().text().color());
        p.drawText(QRect(2, kHeader + row * kCell, rowHeaderWidth() - 6, kCell), Qt::AlignRight | Qt::AlignVCenter,
                   fontMetrics().elidedText(name, Qt::ElideMiddle, rowHeaderWidth() - 6));
        for (int c = 0; c < columnCount(); ++c) {
            const QRect r = cellRect(row, c).adjusted(0, 0, -1, -1);
            p.fillRect(r, heat(effectAt(row, c)));
            if (m_drifted[size_t(row) * size_t(m_labels.size()) + size_t(c)]) {
                p.setPen(QPen(QColor(0x8e, 0x24, 0x1b), 1));
                p.drawRect(r.adjusted(0, 0, -1, -1));
            }
            if (row == m_selectedRow && c == m_selectedColumn) {
                p.setPen(QPen(palette().highlight().color(), 2));
                p.drawRect(r.adjusted(1, 1, -1, -1));
            }
        }
    }
}

void DriftClassHeatMap::mousePressEvent(QMouseEvent *event)
{
    for (int row = 0; row < rowCount(); ++row) {
        for (int c = 0; c < columnCount(); ++c) {
            if (cellRect(row, c).contains(event->position().toPoint())) {
                m_selectedRow = row;
                m_selectedColumn = c;
                update();
                Q_EMIT cellSelected(m_features[size_t(row)], m_labels.at(c));
                return;
            }
        }
    }
}

DriftImageMap::DriftImageMap(QWidget *parent) : QWidget(parent)
{
    setMinimumSize(120, 120);
}

void DriftImageMap::setMap(int width, int height, int channels, const std::vector<float> &effect)
{
    m_selected = -1;
    channels = std::max(1, channels);
    if (width <= 0 || height <= 0 || effect.size() < size_t(width) * size_t(height) * size_t(channels)) {
        clear();
        return;
    }
    std::vector<float> folded(size_t(width) * size_t(height), 0.f);
    float top = 0;
    for (size_t p = 0; p < folded.size(); ++p) {
        for (int c = 0; c < channels; ++c) {
            const float v = effect[p * size_t(channels) + size_t(c)];
            if (std::isfinite(v))
                folded[p] = std::max(folded[p], v);
        }
        top = std::max(top, folded[p]);
    }
    m_image = QImage(width, height, QImage::Format_Grayscale8);
    for (int y = 0; y < height; ++y) {
        uchar *line = m_image.scanLine(y);
        for (int x = 0; x < width; ++x)
            line[x] = uchar(top > 0 ? std::lround(255.0 * folded[size_t(y) * size_t(width) + size_t(x)] / top) : 0);
    }
    update();
}

void DriftImageMap::clear()
{
    m_image = QImage();
    m_selected = -1;
    update();
}

QRect DriftImageMap::imageRect() const
{
    if (m_image.isNull())
        return {};
    const int scale = std::max(1, std::min(width() / m_image.width(), height() / m_image.height()));
    const QSize size = m_image.size() * scale;
    return QRect(QPoint((width() - size.width()) / 2, (height() - size.height()) / 2), size);
}

int DriftImageMap::pixelAt(const QPoint &pos) const
{
    const QRect r = imageRect();
    if (!r.contains(pos))
        return -1;
    const int scale = r.width() / m_image.width();
    return (pos.y() - r.top()) / scale * m_image.width() + (pos.x() - r.left()) / scale;
}

QRect DriftImageMap::pixelRect(int pixel) const
{
    const QRect r = imageRect();
    if (r.isNull() || pixel < 0 || pixel >= m_image.width() * m_image.height())
        return {};
    const int scale = r.width() / m_image.width();
    return QRect(r.left() + pixel % m_image.width() * scale, r.top() + pixel / m_image.width() * scale, scale, scale);
}

QSize DriftImageMap::sizeHint() const
{
    return m_image.isNull() ? QSize(280, 280) : m_image.size() * std::max(1, 280 / std::max(m_image.width(), m_image.height()));
}

void DriftImageMap::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), palette().window());
    if (m_image.isNull()) {
        p.drawText(rect(), Qt::AlignCenter, tr("No image column in this comparison."));
        return;
    }
    p.setRenderHint(QPainter::SmoothPixmapTransform, false);
    p.drawImage(imageRect(), m_image);
    if (const QRect r = pixelRect(m_selected); !r.isNull()) {
        p.setPen(QPen(QColor(0xe6, 0x7e, 0x22), 2));
        p.drawRect(r.adjusted(1, 1, -1, -1));
    }
}

void DriftImageMap::mousePressEvent(QMouseEvent *event)
{
    const int pixel = pixelAt(event->position().toPoint());
    if (pixel < 0)
        return;
    m_selected = pixel;
    update();
    Q_EMIT pixelSelected(pixel);
}

} // namespace custody
