#pragma once

#include "findings/plot/ScatterRaster.h"

#include <QColor>
#include <QImage>
#include <QPainterPath>
#include <QStringList>
#include <QWidget>

#include <vector>

namespace custody {

// A 2-D scatter of up to a few hundred thousand records, drawn by hand into a raster image (Qt Charts makes one
// graphics item per point and stalls near 150k; see docs/detection.md). Zoom with the wheel (around the
// cursor), pan by dragging with the right or middle button (or with the left button while Space is held),
// hover shows the record under the cursor, left-drag draws a lasso that selects the records inside it (Shift
// adds to, Ctrl removes from the selection). Selection is by row and is linked to the findings table by
// MainWindow-free signals: selectionChanged() out, setSelection() in.
class ClusterPlotView : public QWidget
{
    Q_OBJECT
public:
    enum class ColourBy { Label, Score, Decision };

    explicit ClusterPlotView(QWidget *parent = nullptr);

    // One point per row. x and y must have the same length; labels/score/decision are per row too (decision:
    // 0 undecided, 1 keep, 2 exclude, 3 relabel). Resets zoom and selection.
    void setPoints(const std::vector<float> &x, const std::vector<float> &y, const std::vector<int> &labelCodes,
                   const QStringList &labelNames, const QStringList &rowNames);
    void setScores(const std::vector<float> &scores); // NaN: not scored (drawn grey)
    void setDecisions(const std::vector<int> &decisions);
    // Rows hidden by a filter (e.g. one class) are not drawn and cannot be selected; empty shows all.
    void setVisibleRows(const std::vector<uint8_t> &visible);
    void setColourBy(ColourBy colourBy);
    ColourBy colourBy() const { return m_colourBy; }

    QList<int> selection() const;
    void setSelection(const QList<int> &rows); // does not emit selectionChanged
    void setCurrentRow(int row);                // highlighted with a ring; -1 for none
    int rowAt(const QPoint &widgetPos) const;  // nearest visible row within a few pixels, or -1
    QPointF toWidget(int row) const;           // where a row is drawn now (NaN when it has no coordinates)
    void resetView();
    void zoomBy(double factor, const QPointF &around);
    int pointCount() const { return int(m_x.size()); }
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void selectionChanged(const QList<int> &rows); // after a lasso or a click
    void rowActivated(int row);                    // double click
    void hovered(int row);                         // -1 when leaving points

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void keyReleaseEvent(QKeyEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    enum class Drag { None, Lasso, Pan };
    enum class SelectMode { Replace, Add, Remove };

    bool isDrawable(int row) const; // finite coordinates and not hidden by the filter
    double scale() const;           // widget pixels per data unit at the current zoom
    QPointF mapToWidget(float x, float y) const;
    QPointF mapToData(const QPointF &widgetPos) const;
    QRgb colourOf(int row) const;
    void invalidate(bool geometry); // the cache (and, for geometry, the hover index) must be rebuilt
    void rebuildCache();
    void ensureIndex() const;
    int nearestRow(const QPointF &widgetPos) const;
    std::vector<int> rowsInside(const QPainterPath &path) const;
    bool applySelection(const std::vector<int> &rows, SelectMode mode);
    void finishLasso(const QPointF &pos);
    void updateHover(const QPointF &pos, const QPoint &globalPos);
    void updateScoreOrder();
    void drawLegend(QPainter &painter) const;

    std::vector<float> m_x, m_y;
    ColourBy m_colourBy = ColourBy::Label;
    std::vector<int> m_labels;
    QStringList m_labelNames, m_rowNames;
    std::vector<int> m_legendCodes;  // distinct labels present, for the legend
    std::vector<float> m_scores;
    std::vector<int> m_scoreOrder;   // not scored first, then by ascending score: high scores drawn on top
    float m_scoreMin = 0, m_scoreMax = 0;
    bool m_anyUnscored = false;
    bool m_anyUnlabelled = false;
    std::vector<int> m_decisions;
    std::vector<uint8_t> m_visible;  // empty: every row
    std::vector<uint8_t> m_selected; // one flag per row
    int m_current = -1;
    int m_hover = -1;

    // Data bounds of the finite points and the view: data point at the widget centre and zoom over "fit".
    double m_minX = 0, m_maxX = 0, m_minY = 0, m_maxY = 0;
    bool m_anyFinite = false;
    QPointF m_centre;
    double m_zoom = 1;

    QImage m_cache;
    bool m_cacheDirty = true;
    scatter::DiscStamp m_dot, m_outline;

    // Uniform grid over the widget of the drawn points (compressed rows: cell -> entries), for hover and clicks.
    struct Index
    {
        bool dirty = true;
        int cols = 0, rows = 0;
        std::vector<int> start;
        std::vector<int> row;
        std::vector<float> x, y;
    };
    mutable Index m_index;

    Drag m_drag = Drag::None;
    QPainterPath m_lasso;
    SelectMode m_lassoMode = SelectMode::Replace;
    QPointF m_pressPos;
    QPointF m_panCentre;
    bool m_spaceHeld = false;
};

} // namespace custody
