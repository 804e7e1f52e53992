#include "findings/plot/ScatterRaster.h"

#include <QPainter>
#include <QPalette>

#include <algorithm>
#include <cmath>

namespace custody::scatter {

namespace {

constexpr std::array<QRgb, 12> kPalette = {0xff4e79a7, 0xfff28e2b, 0xffe15759, 0xff76b7b2, 0xff59a14f, 0xffedc948,
                                           0xffb07aa1, 0xffff9da7, 0xff9c755f, 0xff17becf, 0xff6b3d9a, 0xff8c8c00};
constexpr std::array<QRgb, 4> kDecisions = {0xff9e9e9e, 0xff2ca02c, 0xffd62728, 0xffff7f0e};

// A perceptually ordered ramp interpolated from five anchors, tabulated once.
const std::array<QRgb, 256> &scoreRamp()
{
    static const std::array<QRgb, 256> ramp = [] {
        constexpr int anchors[5][3] = {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
        std::array<QRgb, 256> out{};
        for (int i = 0; i < 256; ++i) {
            const double t = i / 255.0 * 4;
            const int k = std::min(3, int(t));
            const double f = t - k;
            int c[3];
            for (int ch = 0; ch < 3; ++ch)
                c[ch] = int(std::lround(anchors[k][ch] + f * (anchors[k + 1][ch] - anchors[k][ch])));
            out[size_t(i)] = qRgb(c[0], c[1], c[2]);
        }
        return out;
    }();
    return ramp;
}

// src over dst for an opaque premultiplied colour with coverage a, two channels per multiply.
inline uint32_t blend(uint32_t dst, uint32_t src, uint32_t a)
{
    if (a == 255)
        return src;
    const uint32_t ia = 255 - a;
    uint32_t rb = (src & 0xff00ff) * a + (dst & 0xff00ff) * ia;
    uint32_t ag = ((src >> 8) & 0xff00ff) * a + ((dst >> 8) & 0xff00ff) * ia;
    rb = ((rb + ((rb >> 8) & 0xff00ff) + 0x800080) >> 8) & 0xff00ff;
    ag = (ag + ((ag >> 8) & 0xff00ff) + 0x800080) & 0xff00ff00;
    return rb | ag;
}

} // namespace

QRgb labelColour(int code)
{
    return code < 0 ? kNoValue : kPalette[size_t(code) % kPalette.size()];
}

QRgb scoreColour(double t)
{
    return scoreRamp()[size_t(std::clamp(int(t * 255 + 0.5), 0, 255))];
}

QRgb decisionColour(int decision)
{
    return kDecisions[decision >= 0 && decision < int(kDecisions.size()) ? size_t(decision) : 0];
}

void DiscStamp::setRadius(double radius)
{
    if (radius == m_radius)
        return;
    m_radius = radius;
    m_half = int(std::ceil(radius)) + 1;
    const int size = 2 * m_half + 1;
    constexpr int kSamples = 8; // per pixel and axis
    for (int sy = 0; sy < kSub; ++sy) {
        for (int sx = 0; sx < kSub; ++sx) {
            std::vector<Tap> &taps = m_taps[size_t(sy * kSub + sx)];
            taps.clear();
            const double cx = m_half + (sx + 0.5) / kSub, cy = m_half + (sy + 0.5) / kSub;
            for (int v = 0; v < size; ++v) {
                for (int u = 0; u < size; ++u) {
                    int inside = 0;
                    for (int b = 0; b < kSamples; ++b) {
                        for (int a = 0; a < kSamples; ++a) {
                            const double px = u + (a + 0.5) / kSamples - cx, py = v + (b + 0.5) / kSamples - cy;
                            inside += px * px + py * py <= radius * radius;
                        }
                    }
                    const auto cover = uint32_t(std::lround(inside * 255.0 / (kSamples * kSamples)));
                    if (cover > 0)
                        taps.push_back({u - m_half, v - m_half, cover});
                }
            }
        }
    }
}

void DiscStamp::draw(QImage &image, double x, double y, QRgb colour) const
{
    const int w = image.width(), h = image.height();
    if (!(x > -m_half - 1 && y > -m_half - 1 && x < w + m_half + 1 && y < h + m_half + 1))
        return; // off the image (or far off when zoomed in: no int overflow below)
    const double fx = std::floor(x), fy = std::floor(y);
    const int ix = int(fx), iy = int(fy);
    const int sub = std::min(kSub - 1, int((y - fy) * kSub)) * kSub + std::min(kSub - 1, int((x - fx) * kSub));
    const bool clip = ix - m_half < 0 || iy - m_half < 0 || ix + m_half >= w || iy + m_half >= h;
    auto *bits = reinterpret_cast<uint32_t *>(image.bits());
    const qsizetype stride = image.bytesPerLine() / 4;
    for (const Tap &t : m_taps[size_t(sub)]) {
        const int px = ix + t.dx, py = iy + t.dy;
        if (clip && (px < 0 || py < 0 || px >= w || py >= h))
            continue;
        uint32_t &d = bits[qsizetype(py) * stride + px];
        d = blend(d, colour, t.cover);
    }
}

void drawLegend(QPainter &p, const QRect &area, const QPalette &palette, const std::vector<LegendEntry> &entries,
                bool scoreBar, const QString &low, const QString &high)
{
    QFont font = p.font();
    font.setPointSizeF(font.pointSizeF() * 0.9);
    p.setFont(font);
    const QFontMetrics fm(font);
    const int line = fm.height(), swatch = 10, pad = 6, barWidth = 110;
    int w = scoreBar ? barWidth : 0;
    for (const LegendEntry &e : entries)
        w = std::max(w, swatch + pad + fm.horizontalAdvance(e.text));
    const int h = int(entries.size()) * line + (scoreBar ? swatch + line + 4 : 0);
    if (h == 0)
        return;
    const QRect box(area.right() - w - 3 * pad, area.top() + pad, w + 2 * pad, h + 2 * pad);
    QColor back = palette.color(QPalette::Base);
    back.setAlpha(225);
    p.setPen(palette.color(QPalette::Mid));
    p.setBrush(back);
    p.drawRoundedRect(QRectF(box).adjusted(0.5, 0.5, -0.5, -0.5), 3, 3);
    int y = box.top() + pad;
    const int x = box.left() + pad;
    if (scoreBar) {
        QLinearGradient g(x, 0, x + barWidth, 0);
        for (int i = 0; i <= 8; ++i)
            g.setColorAt(i / 8.0, QColor(scoreColour(i / 8.0)));
        p.setPen(Qt::NoPen);
        p.setBrush(g);
        p.drawRect(x, y, barWidth, swatch);
        p.setPen(palette.color(QPalette::Text));
        p.drawText(QRect(x, y + swatch + 2, barWidth, line), Qt::AlignLeft | Qt::AlignVCenter, low);
        p.drawText(QRect(x, y + swatch + 2, barWidth, line), Qt::AlignRight | Qt::AlignVCenter, high);
        y += swatch + line + 4;
    }
    for (const LegendEntry &e : entries) {
        if (e.colour != 0) {
            p.setPen(Qt::NoPen);
            p.setBrush(QColor(e.colour));
            p.drawEllipse(QRectF(x, y + (line - swatch) / 2.0, swatch, swatch));
        }
        p.setPen(palette.color(QPalette::Text));
        p.drawText(QRect(x + swatch + pad, y, w - swatch - pad, line), Qt::AlignLeft | Qt::AlignVCenter, e.text);
        y += line;
    }
}

} // namespace custody::scatter
