#include "findings/plot/ClusterPlotView.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QToolTip>
#include <QWheelEvent>

#include <cmath>

// ClusterPlotView's mouse and keyboard: lasso, click, hover, zoom and pan. Drawing and the row index are in
// ClusterPlotView.cpp.
namespace custody {

namespace {

constexpr double kClickSize = 4; // a lasso smaller than this is a click

} // namespace

void ClusterPlotView::finishLasso(const QPointF &pos)
{
    std::vector<int> rows;
    const QRectF bounds = m_lasso.boundingRect();
    if (bounds.width() < kClickSize && bounds.height() < kClickSize) {
        if (const int row = nearestRow(pos); row >= 0)
            rows.push_back(row);
    } else {
        QPainterPath closed = m_lasso;
        closed.closeSubpath();
        closed.setFillRule(Qt::WindingFill); // inside any loop of a self-crossing lasso
        rows = rowsInside(closed);
    }
    m_lasso = QPainterPath();
    m_drag = Drag::None;
    update();
    if (applySelection(rows, m_lassoMode))
        Q_EMIT selectionChanged(selection());
}

void ClusterPlotView::updateHover(const QPointF &pos, const QPoint &globalPos)
{
    const int row = nearestRow(pos);
    if (row == m_hover)
        return;
    m_hover = row;
    update();
    if (row >= 0) {
        const auto r = size_t(row);
        QString text = row < m_rowNames.size() ? m_rowNames[row] : tr("Row %1").arg(row);
        if (const int code = m_labels[r]; code >= 0) {
            const QString label = code < m_labelNames.size() ? m_labelNames[code] : QString::number(code);
            text += QLatin1Char('\n') + tr("Label: %1").arg(label);
        }
        if (r < m_scores.size() && std::isfinite(m_scores[r]))
            text += QLatin1Char('\n') + tr("Score: %1").arg(double(m_scores[r]), 0, 'g', 3);
        QToolTip::showText(globalPos, text, this);
    } else {
        QToolTip::hideText();
    }
    Q_EMIT hovered(row);
}

void ClusterPlotView::wheelEvent(QWheelEvent *event)
{
    const QPoint delta = event->angleDelta();
    const int steps = delta.y() != 0 ? delta.y() : delta.x();
    if (steps == 0 || !m_anyFinite) {
        event->ignore();
        return;
    }
    zoomBy(std::pow(2.0, steps / 480.0), event->position()); // one notch: 1.19x
    event->accept();
}

void ClusterPlotView::mousePressEvent(QMouseEvent *event)
{
    if (m_drag != Drag::None)
        return;
    const Qt::MouseButton b = event->button();
    m_pressPos = event->position();
    if (b == Qt::RightButton || b == Qt::MiddleButton || (b == Qt::LeftButton && m_spaceHeld)) {
        m_drag = Drag::Pan;
        m_panCentre = m_centre;
        setCursor(Qt::ClosedHandCursor);
        QToolTip::hideText();
    } else if (b == Qt::LeftButton) {
        m_drag = Drag::Lasso;
        m_lasso = QPainterPath(m_pressPos);
        const Qt::KeyboardModifiers mods = event->modifiers();
        m_lassoMode = mods & Qt::ControlModifier ? SelectMode::Remove
                      : mods & Qt::ShiftModifier ? SelectMode::Add
                                                 : SelectMode::Replace;
    }
    event->accept();
}

void ClusterPlotView::mouseMoveEvent(QMouseEvent *event)
{
    // The drag state comes from the press, not from event->buttons(): synthetic moves may not carry them.
    const QPointF pos = event->position();
    if (m_drag == Drag::Pan) {
        const QPointF d = pos - m_pressPos;
        const double s = scale();
        m_centre = m_panCentre + QPointF(-d.x() / s, d.y() / s);
        invalidate(true);
    } else if (m_drag == Drag::Lasso) {
        const QPointF last = m_lasso.currentPosition();
        if (std::abs(pos.x() - last.x()) + std::abs(pos.y() - last.y()) >= 2) {
            m_lasso.lineTo(pos);
            update();
        }
    } else {
        updateHover(pos, event->globalPosition().toPoint());
    }
    event->accept();
}

void ClusterPlotView::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_drag == Drag::Pan) {
        m_drag = Drag::None;
        setCursor(m_spaceHeld ? Qt::OpenHandCursor : Qt::CrossCursor);
    } else if (m_drag == Drag::Lasso && event->button() == Qt::LeftButton) {
        const QPointF pos = event->position();
        if (pos != m_lasso.currentPosition())
            m_lasso.lineTo(pos);
        finishLasso(pos);
    }
    event->accept();
}

void ClusterPlotView::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        event->ignore();
        return;
    }
    if (const int row = nearestRow(event->position()); row >= 0)
        Q_EMIT rowActivated(row);
    else
        resetView();
    event->accept();
}

void ClusterPlotView::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Space:
        if (!event->isAutoRepeat()) {
            m_spaceHeld = true;
            if (m_drag == Drag::None)
                setCursor(Qt::OpenHandCursor);
        }
        break;
    case Qt::Key_Home:
        resetView();
        break;
    case Qt::Key_Escape:
        if (m_drag != Drag::Lasso) {
            QWidget::keyPressEvent(event);
            return;
        }
        m_drag = Drag::None;
        m_lasso = QPainterPath();
        update();
        break;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomBy(1.25, QPointF(width() / 2.0, height() / 2.0));
        break;
    case Qt::Key_Minus:
        zoomBy(0.8, QPointF(width() / 2.0, height() / 2.0));
        break;
    default:
        QWidget::keyPressEvent(event);
        return;
    }
    event->accept();
}

void ClusterPlotView::keyReleaseEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = false;
        if (m_drag != Drag::Pan)
            setCursor(Qt::CrossCursor);
        event->accept();
        return;
    }
    QWidget::keyReleaseEvent(event);
}

void ClusterPlotView::leaveEvent(QEvent *event)
{
    QWidget::leaveEvent(event);
    if (m_hover >= 0 && m_drag == Drag::None) {
        m_hover = -1;
        update();
        QToolTip::hideText();
        Q_EMIT hovered(-1);
    }
}

} // namespace custody
