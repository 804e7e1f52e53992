#include "findings/plot/ClusterPlotView.h"

#include "findings/plot/ScatterRaster.h"

#include <QPainter>

#include <algorithm>
#include <cmath>
#include <limits>

namespace custody {

namespace {

constexpr double kMargin = 16;     // between the fitted data and the widget's edge
constexpr double kHoverRadius = 6; // how far from a point the cursor still finds it
constexpr int kCell = 8;           // hover index cell, in widget pixels

} // namespace

ClusterPlotView::ClusterPlotView(QWidget *parent) : QWidget(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setCursor(Qt::CrossCursor);
}

QSize ClusterPlotView::sizeHint() const
{
    return {640, 480};
}

QSize ClusterPlotView::minimumSizeHint() const
{
    return {160, 120};
}

void ClusterPlotView::setPoints(const std::vector<float> &x, const std::vector<float> &y,
                                const std::vector<int> &labelCodes, const QStringList &labelNames,
                                const QStringList &rowNames)
{
    const size_t n = std::min(x.size(), y.size());
    m_x.assign(x.begin(), x.begin() + qsizetype(n));
    m_y.assign(y.begin(), y.begin() + qsizetype(n));
    m_labels.assign(n, -1);
    std::copy_n(labelCodes.begin(), std::min(n, labelCodes.size()), m_labels.begin());
    m_labelNames = labelNames;
    m_rowNames = rowNames;

    std::vector<int> codes = m_labels;
    std::sort(codes.begin(), codes.end());
    codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
    m_anyUnlabelled = !codes.empty() && codes.front() < 0;
    m_legendCodes.assign(std::lower_bound(codes.begin(), codes.end(), 0), codes.end());

    m_anyFinite = false;
    m_minX = m_minY = std::numeric_limits<double>::infinity();
    m_maxX = m_maxY = -std::numeric_limits<double>::infinity();
    for (size_t r = 0; r < n; ++r) {
        if (!std::isfinite(m_x[r]) || !std::isfinite(m_y[r]))
            continue;
        m_anyFinite = true;
        m_minX = std::min(m_minX, double(m_x[r]));
        m_maxX = std::max(m_maxX, double(m_x[r]));
        m_minY = std::min(m_minY, double(m_y[r]));
        m_maxY = std::max(m_maxY, double(m_y[r]));
    }
    if (!m_anyFinite)
        m_minX = m_maxX = m_minY = m_maxY = 0;

    // Per-row extras set before the points survive only if they still fit.
    if (m_scores.size() != n)
        m_scores.clear();
    updateScoreOrder();
    if (m_decisions.size() != n)
        m_decisions.clear();
    if (m_visible.size() != n)
        m_visible.clear();
    m_selected.assign(n, 0);
    m_current = -1;
    m_hover = -1;
    m_drag = Drag::None;
    m_lasso = QPainterPath();
    resetView();
}

void ClusterPlotView::setScores(const std::vector<float> &scores)
{
    m_scores = scores;
    updateScoreOrder();
    invalidate(false);
}

void ClusterPlotView::updateScoreOrder()
{
    const int n = pointCount();
    m_scoreOrder.clear();
    m_scoreOrder.reserve(size_t(n));
    std::vector<int> scored;
    for (int r = 0; r < n; ++r) {
        if (size_t(r) < m_scores.size() && std::isfinite(m_scores[size_t(r)]))
            scored.push_back(r);
        else
            m_scoreOrder.push_back(r);
    }
    m_anyUnscored = !m_scoreOrder.empty();
    std::stable_sort(scored.begin(), scored.end(),
                     [this](int a, int b) { return m_scores[size_t(a)] < m_scores[size_t(b)]; });
    m_scoreMin = scored.empty() ? 0 : m_scores[size_t(scored.front())];
    m_scoreMax = scored.empty() ? 0 : m_scores[size_t(scored.back())];
    m_scoreOrder.insert(m_scoreOrder.end(), scored.begin(), scored.end());
}

void ClusterPlotView::setDecisions(const std::vector<int> &decisions)
{
    m_decisions = decisions;
    invalidate(false);
}

void ClusterPlotView::setVisibleRows(const std::vector<uint8_t> &visible)
{
    m_visible = visible;
    if (m_hover >= 0 && !isDrawable(m_hover))
        m_hover = -1;
    invalidate(true);
}

void ClusterPlotView::setColourBy(ColourBy colourBy)
{
    if (colourBy == m_colourBy)
        return;
    m_colourBy = colourBy;
    invalidate(false);
}

QList<int> ClusterPlotView::selection() const
{
    QList<int> rows;
    for (size_t r = 0; r < m_selected.size(); ++r) {
        if (m_selected[r])
            rows.append(int(r));
    }
    return rows;
}

void ClusterPlotView::setSelection(const QList<int> &rows)
{
    std::vector<int> valid;
    valid.reserve(size_t(rows.size()));
    for (int r : rows) {
        if (r >= 0 && r < pointCount())
            valid.push_back(r);
    }
    applySelection(valid, SelectMode::Replace);
}

void ClusterPlotView::setCurrentRow(int row)
{
    m_current = row >= 0 && row < pointCount() ? row : -1;
    update();
}

int ClusterPlotView::rowAt(const QPoint &widgetPos) const
{
    return nearestRow(QPointF(widgetPos));
}

QPointF ClusterPlotView::toWidget(int row) const
{
    if (row < 0 || row >= pointCount() || !std::isfinite(m_x[size_t(row)]) || !std::isfinite(m_y[size_t(row)]))
        return {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
    return mapToWidget(m_x[size_t(row)], m_y[size_t(row)]);
}

void ClusterPlotView::resetView()
{
    m_zoom = 1;
    m_centre = QPointF((m_minX + m_maxX) / 2, (m_minY + m_maxY) / 2);
    invalidate(true);
}

void ClusterPlotView::zoomBy(double factor, const QPointF &around)
{
    if (!(factor > 0) || !std::isfinite(factor))
        return;
    const QPointF anchor = mapToData(around);
    m_zoom = std::clamp(m_zoom * factor, 0.2, 1e6);
    // Move the centre so that the data point under `around` is still there at the new scale.
    const double s = scale();
    m_centre = QPointF(anchor.x() - (around.x() - width() / 2.0) / s, anchor.y() + (around.y() - height() / 2.0) / s);
    invalidate(true);
}

bool ClusterPlotView::isDrawable(int row) const
{
    const auto r = size_t(row);
    return row >= 0 && r < m_x.size() && std::isfinite(m_x[r]) && std::isfinite(m_y[r])
           && (r >= m_visible.size() || m_visible[r]);
}

double ClusterPlotView::scale() const
{
    const double spanX = m_maxX - m_minX, spanY = m_maxY - m_minY;
    const double availW = std::max(1.0, width() - 2 * kMargin), availH = std::max(1.0, height() - 2 * kMargin);
    constexpr double inf = std::numeric_limits<double>::infinity();
    // Same scale on both axes (distances in a projection mean the same either way); a zero span (one point,
    // identical points, a line) does not constrain it.
    double base = std::min(spanX > 0 ? availW / spanX : inf, spanY > 0 ? availH / spanY : inf);
    if (!std::isfinite(base))
        base = 1;
    return base * m_zoom;
}

QPointF ClusterPlotView::mapToWidget(float x, float y) const
{
    const double s = scale();
    return {width() / 2.0 + (x - m_centre.x()) * s, height() / 2.0 - (y - m_centre.y()) * s};
}

QPointF ClusterPlotView::mapToData(const QPointF &p) const
{
    const double s = scale();
    return {m_centre.x() + (p.x() - width() / 2.0) / s, m_centre.y() - (p.y() - height() / 2.0) / s};
}

QRgb ClusterPlotView::colourOf(int row) const
{
    const auto r = size_t(row);
    switch (m_colourBy) {
    case ColourBy::Label:
        return scatter::labelColour(m_labels[r]);
    case ColourBy::Score: {
        if (r >= m_scores.size() || !std::isfinite(m_scores[r]))
            return scatter::kNoValue;
        const double range = double(m_scoreMax) - double(m_scoreMin);
        return scatter::scoreColour(range > 0 ? (double(m_scores[r]) - m_scoreMin) / range : 0.5);
    }
    case ColourBy::Decision:
        return scatter::decisionColour(r < m_decisions.size() ? m_decisions[r] : 0);
    }
    return scatter::kNoValue;
}

void ClusterPlotView::invalidate(bool geometry)
{
    m_cacheDirty = true;
    if (geometry)
        m_index.dirty = true;
    update();
}

void ClusterPlotView::rebuildCache()
{
    const qreal dpr = devicePixelRatioF();
    const QSize deviceSize = (QSizeF(size()) * dpr).toSize();
    if (m_cache.size() != deviceSize)
        m_cache = QImage(deviceSize, QImage::Format_ARGB32_Premultiplied);
    m_cache.setDevicePixelRatio(dpr);
    m_cache.fill(palette().color(QPalette::Base).rgb());
    m_cacheDirty = false;
    if (m_cache.isNull())
        return;

    // Smaller dots when there are very many, so that clusters keep some texture.
    const double radius = (pointCount() > 100000 ? 2.0 : 2.5) * dpr;
    m_dot.setRadius(radius);
    m_outline.setRadius(radius + 1.25 * dpr);
    const double s = scale() * dpr;
    const double ox = width() / 2.0 * dpr, oy = height() / 2.0 * dpr;
    const double cx = m_centre.x(), cy = m_centre.y();
    const auto draw = [&](int row, bool selected) {
        const double px = ox + (m_x[size_t(row)] - cx) * s, py = oy - (m_y[size_t(row)] - cy) * s;
        if (selected)
            m_outline.draw(m_cache, px, py, scatter::kOutline);
        m_dot.draw(m_cache, px, py, colourOf(row));
    };

    const int n = pointCount();
    switch (m_colourBy) {
    case ColourBy::Label:
        for (int r = 0; r < n; ++r) {
            if (isDrawable(r))
                draw(r, false);
        }
        break;
    case ColourBy::Score: // not scored first, highest scores last, so that the suspicious stay visible
        for (int r : m_scoreOrder) {
            if (isDrawable(r))
                draw(r, false);
        }
        break;
    case ColourBy::Decision: // undecided under the decided
        for (int pass = 0; pass < 2; ++pass) {
            for (int r = 0; r < n; ++r) {
                const bool decided = size_t(r) < m_decisions.size() && m_decisions[size_t(r)] != 0;
                if (decided == (pass == 1) && isDrawable(r))
                    draw(r, false);
            }
        }
        break;
    }
    for (int r = 0; r < n; ++r) {
        if (m_selected[size_t(r)] && isDrawable(r))
            draw(r, true);
    }
}

void ClusterPlotView::ensureIndex() const
{
    if (!m_index.dirty)
        return;
    Index &ix = m_index;
    ix.dirty = false;
    ix.cols = std::max(1, (width() + kCell - 1) / kCell);
    ix.rows = std::max(1, (height() + kCell - 1) / kCell);
    const int n = pointCount();
    std::vector<int> cellOf(size_t(n), -1);
    ix.start.assign(size_t(ix.cols) * size_t(ix.rows) + 1, 0);
    const double s = scale(), ox = width() / 2.0, oy = height() / 2.0;
    const double w = width(), h = height();
    for (int r = 0; r < n; ++r) {
        if (!isDrawable(r))
            continue;
        const double px = ox + (m_x[size_t(r)] - m_centre.x()) * s, py = oy - (m_y[size_t(r)] - m_centre.y()) * s;
        if (!(px >= -kHoverRadius && py >= -kHoverRadius && px < w + kHoverRadius && py < h + kHoverRadius))
            continue;
        const int c = std::clamp(int(std::floor(px / kCell)), 0, ix.cols - 1);
        const int rr = std::clamp(int(std::floor(py / kCell)), 0, ix.rows - 1);
        cellOf[size_t(r)] = rr * ix.cols + c;
        ++ix.start[size_t(cellOf[size_t(r)]) + 1];
    }
    for (size_t c = 1; c < ix.start.size(); ++c)
        ix.start[c] += ix.start[c - 1];
    const size_t count = size_t(ix.start.back());
    ix.row.assign(count, 0);
    ix.x.assign(count, 0);
    ix.y.assign(count, 0);
    std::vector<int> fill(ix.start.begin(), ix.start.end() - 1);
    for (int r = 0; r < n; ++r) {
        if (cellOf[size_t(r)] < 0)
            continue;
        const auto at = size_t(fill[size_t(cellOf[size_t(r)])]++);
        ix.row[at] = r;
        ix.x[at] = float(ox + (m_x[size_t(r)] - m_centre.x()) * s);
        ix.y[at] = float(oy - (m_y[size_t(r)] - m_centre.y()) * s);
    }
}

int ClusterPlotView::nearestRow(const QPointF &pos) const
{
    if (pointCount() == 0 || !std::isfinite(pos.x()) || !std::isfinite(pos.y()))
        return -1;
    ensureIndex();
    const Index &ix = m_index;
    const auto cell = [](double v, int count) { return std::clamp(int(std::floor(v / kCell)), 0, count - 1); };
    const int c0 = cell(pos.x() - kHoverRadius, ix.cols), c1 = cell(pos.x() + kHoverRadius, ix.cols);
    const int r0 = cell(pos.y() - kHoverRadius, ix.rows), r1 = cell(pos.y() + kHoverRadius, ix.rows);
    double best = kHoverRadius * kHoverRadius;
    int found = -1;
    for (int rr = r0; rr <= r1; ++rr) {
        for (int c = c0; c <= c1; ++c) {
            const size_t cellIndex = size_t(rr * ix.cols + c);
            for (int k = ix.start[cellIndex]; k < ix.start[cellIndex + 1]; ++k) {
                const double dx = ix.x[size_t(k)] - pos.x(), dy = ix.y[size_t(k)] - pos.y();
                const double d2 = dx * dx + dy * dy;
                if (d2 < best || (d2 == best && found >= 0 && ix.row[size_t(k)] > found)) {
                    best = d2;
                    found = ix.row[size_t(k)];
                }
            }
        }
    }
    return found;
}

std::vector<int> ClusterPlotView::rowsInside(const QPainterPath &path) const
{
    // Rasterise the lasso once and test points against the mask; only points near its edge (where a pixel can
    // be partly covered) ask the path itself, which costs a walk over every segment.
    const QRectF bounds = path.boundingRect();
    const QRect maskRect = bounds.toAlignedRect().adjusted(-1, -1, 1, 1).intersected(rect());
    QImage mask(maskRect.size().expandedTo(QSize(1, 1)), QImage::Format_Alpha8);
    mask.fill(0);
    {
        QPainter p(&mask);
        p.setRenderHint(QPainter::Antialiasing);
        p.translate(-maskRect.topLeft());
        p.fillPath(path, Qt::black);
    }
    const auto maskAt = [&](int x, int y) -> int {
        if (x < 0 || y < 0 || x >= mask.width() || y >= mask.height())
            return -1;
        return mask.constScanLine(y)[x];
    };
    std::vector<int> rows;
    const int n = pointCount();
    for (int r = 0; r < n; ++r) {
        if (!isDrawable(r))
            continue;
        const QPointF p = mapToWidget(m_x[size_t(r)], m_y[size_t(r)]);
        if (!bounds.contains(p))
            continue;
        const int mx = int(std::floor(p.x())) - maskRect.left(), my = int(std::floor(p.y())) - maskRect.top();
        const int v = maskAt(mx, my);
        bool inside;
        if ((v == 0 || v == 255) && maskAt(mx - 1, my) == v && maskAt(mx + 1, my) == v && maskAt(mx, my - 1) == v
            && maskAt(mx, my + 1) == v)
            inside = v == 255;
        else
            inside = path.contains(p);
        if (inside)
            rows.push_back(r);
    }
    return rows;
}

bool ClusterPlotView::applySelection(const std::vector<int> &rows, SelectMode mode)
{
    bool changed = false;
    if (mode == SelectMode::Replace) {
        std::vector<uint8_t> next(m_selected.size(), 0);
        for (int r : rows)
            next[size_t(r)] = 1;
        changed = next != m_selected;
        m_selected.swap(next);
    } else {
        const uint8_t value = mode == SelectMode::Add ? 1 : 0;
        for (int r : rows) {
            changed = changed || m_selected[size_t(r)] != value;
            m_selected[size_t(r)] = value;
        }
    }
    if (changed)
        invalidate(false);
    return changed;
}

void ClusterPlotView::drawLegend(QPainter &p) const
{
    std::vector<scatter::LegendEntry> entries;
    bool bar = false;
    switch (m_colourBy) {
    case ColourBy::Label: {
        constexpr size_t kShown = 12;
        for (size_t i = 0; i < std::min(kShown, m_legendCodes.size()); ++i) {
            const int code = m_legendCodes[i];
            entries.push_back({scatter::labelColour(code),
                               code < m_labelNames.size() ? m_labelNames[code] : QString::number(code)});
        }
        if (m_legendCodes.size() > kShown)
            entries.push_back({0, tr("+%1 more").arg(m_legendCodes.size() - kShown)});
        if (m_anyUnlabelled)
            entries.push_back({scatter::kNoValue, tr("unlabelled")});
        break;
    }
    case ColourBy::Score:
        // Scored rows come last in the drawing order: the last one says whether there are any.
        bar = !m_scoreOrder.empty() && size_t(m_scoreOrder.back()) < m_scores.size()
              && std::isfinite(m_scores[size_t(m_scoreOrder.back())]);
        if (m_anyUnscored)
            entries.push_back({scatter::kNoValue, tr("not scored")});
        break;
    case ColourBy::Decision:
        entries = {{scatter::decisionColour(0), tr("undecided")}, {scatter::decisionColour(1), tr("keep")},
                   {scatter::decisionColour(2), tr("exclude")}, {scatter::decisionColour(3), tr("relabel")}};
        break;
    }
    scatter::drawLegend(p, rect(), palette(), entries, bar, QString::number(double(m_scoreMin), 'g', 3),
                        QString::number(double(m_scoreMax), 'g', 3));
}

void ClusterPlotView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    if (!m_anyFinite) {
        p.fillRect(rect(), palette().base());
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("No projection"));
        return;
    }
    if (m_cacheDirty || m_cache.deviceIndependentSize().toSize() != size())
        rebuildCache();
    p.drawImage(QPointF(0, 0), m_cache);
    p.setRenderHint(QPainter::Antialiasing);
    p.setBrush(Qt::NoBrush);
    if (isDrawable(m_current)) {
        const QPointF c = toWidget(m_current);
        p.setPen(QPen(Qt::white, 4));
        p.drawEllipse(c, 6.5, 6.5);
        p.setPen(QPen(QColor(scatter::kOutline), 2));
        p.drawEllipse(c, 6.5, 6.5);
    }
    if (isDrawable(m_hover)) {
        p.setPen(QPen(palette().color(QPalette::Highlight), 1.5));
        p.drawEllipse(toWidget(m_hover), 5, 5);
    }
    if (m_drag == Drag::Lasso && m_lasso.elementCount() > 1) {
        QPainterPath closed = m_lasso;
        closed.closeSubpath();
        QColor fill = palette().color(QPalette::Highlight);
        fill.setAlpha(40);
        p.setBrush(fill);
        p.setPen(QPen(palette().color(QPalette::Highlight), 1, Qt::DashLine));
        p.drawPath(closed);
        p.setBrush(Qt::NoBrush);
    }
    drawLegend(p);
}

void ClusterPlotView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    invalidate(true);
}

} // namespace custody
