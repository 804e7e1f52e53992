#pragma once

#include <QImage>
#include <QString>

#include <array>
#include <vector>

class QPainter;
class QPalette;

// Drawing pieces of the cluster plot (ClusterPlotView): its colours, the dots it stamps straight into a raster
// image, and its legend.
namespace custody::scatter {

inline constexpr QRgb kNoValue = 0xffa8a8a8; // unlabelled, not scored
inline constexpr QRgb kOutline = 0xff1c1c1c; // around selected dots

QRgb labelColour(int code);        // a fixed qualitative palette of twelve, cycled; grey when negative
QRgb scoreColour(double t);        // t in [0, 1]: dark blue through green to yellow
QRgb decisionColour(int decision); // 0 undecided grey, 1 keep green, 2 exclude red, 3 relabel orange

// An anti-aliased disc drawn by writing pixels of an opaque ARGB32-premultiplied image: stamping a few hundred
// thousand of these is some fifty times faster than QPainter::drawEllipse per point.
class DiscStamp
{
public:
    void setRadius(double radius); // in device pixels; the coverage tables are rebuilt only when it changes
    void draw(QImage &image, double x, double y, QRgb colour) const;

private:
    static constexpr int kSub = 4; // sub-pixel positions per axis
    struct Tap
    {
        int dx, dy;
        uint32_t cover; // 1..255
    };
    double m_radius = -1;
    int m_half = 0;
    std::array<std::vector<Tap>, kSub * kSub> m_taps;
};

struct LegendEntry
{
    QRgb colour = 0; // 0: text only
    QString text;
};

// A legend box in the top-right corner of `area`: a score colour bar labelled `low` and `high` when `scoreBar`,
// then one line per entry.
void drawLegend(QPainter &painter, const QRect &area, const QPalette &palette, const std::vector<LegendEntry> &entries,
                bool scoreBar, const QString &low, const QString &high);

} // namespace custody::scatter
