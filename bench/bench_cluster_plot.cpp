// The findings cluster plot on many points (issue 5): the hand-drawn ClusterPlotView with 60,000 and 300,000
// points, offscreen. Times setPoints, the first paint, a repaint after a zoom, hover lookups (rowAt and real
// mouse moves, which also show the tooltip), one lasso selection and the repaint after it. Run and reported
// (bench/README.md), never a timed test:
//   build/bench/bench_cluster_plot [--sizes 60000,300000] [--width 1200] [--height 800]
#include "findings/plot/ClusterPlotView.h"
#include "sampling/SplitMix64.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QMouseEvent>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>

using namespace custody;

namespace {

double ms(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1e6;
}

void send(QWidget *w, QEvent::Type type, const QPointF &pos, Qt::MouseButton button, Qt::MouseButtons buttons)
{
    QMouseEvent e(type, pos, w->mapToGlobal(pos), button, buttons, Qt::NoModifier);
    QApplication::sendEvent(w, &e);
}

// Twenty Gaussian clouds on a ring, labels 0..19, scores uniform: like a t-SNE layout of a labelled batch.
struct Points
{
    std::vector<float> x, y, scores;
    std::vector<int> labels;
    QStringList names;
};

Points makePoints(int n)
{
    Points p;
    SplitMix64 rng{uint64_t(n)};
    p.x.resize(size_t(n));
    p.y.resize(size_t(n));
    p.scores.resize(size_t(n));
    p.labels.resize(size_t(n));
    p.names.reserve(n);
    for (int r = 0; r < n; ++r) {
        const int c = int(rng.below(20));
        const double a = 2 * std::numbers::pi * c / 20;
        const auto bell = [&rng] { return (rng.uniform24() + rng.uniform24() + rng.uniform24() - 1.5f) * 2.0f; };
        p.x[size_t(r)] = float(30 * std::cos(a)) + bell();
        p.y[size_t(r)] = float(30 * std::sin(a)) + bell();
        p.labels[size_t(r)] = c;
        p.scores[size_t(r)] = rng.uniform24();
        p.names.append(QStringLiteral("rec-%1").arg(r));
    }
    return p;
}

void run(int n, QSize size)
{
    const Points pts = makePoints(n);
    ClusterPlotView view;
    view.resize(size);
    view.show();
    QApplication::processEvents();

    QElapsedTimer t;
    t.start();
    view.setPoints(pts.x, pts.y, pts.labels, {}, pts.names);
    view.setScores(pts.scores);
    const double setPoints = ms(t);

    t.restart();
    (void)view.grab();
    const double firstPaint = ms(t);

    // Zoom in and out around the middle of label 0's cloud, repainting each time: the cache is redrawn.
    std::vector<double> zoomPaints;
    const QPointF focus = view.toWidget(int(std::find(pts.labels.begin(), pts.labels.end(), 0) - pts.labels.begin()));
    for (int k = 0; k < 6; ++k) {
        t.restart();
        view.zoomBy(k % 2 ? 0.5 : 2.0, focus);
        (void)view.grab();
        zoomPaints.push_back(ms(t));
    }
    std::sort(zoomPaints.begin(), zoomPaints.end());

    // Hover near random points; the first lookup after a view change rebuilds the grid index.
    SplitMix64 rng(7);
    std::vector<QPointF> probes;
    for (int k = 0; k < 100; ++k) {
        const QPointF jitter(rng.uniform24() * 6 - 3, rng.uniform24() * 6 - 3);
        probes.push_back(view.toWidget(int(rng.below(uint64_t(n)))) + jitter);
    }
    t.restart();
    int found = view.rowAt(probes.front().toPoint()) >= 0;
    const double firstLookup = ms(t);
    t.restart();
    for (size_t k = 1; k < probes.size(); ++k)
        found += view.rowAt(probes[k].toPoint()) >= 0;
    const double lookups = ms(t);
    t.restart();
    for (const QPointF &p : probes)
        send(&view, QEvent::MouseMove, p, Qt::NoButton, Qt::NoButton);
    const double hoverMoves = ms(t);

    // One lasso around label 0's cloud: press, 64 moves, release (the selection is computed on release).
    QPointF centre;
    int members = 0;
    for (int r = 0; r < n; ++r) {
        if (pts.labels[size_t(r)] == 0) {
            centre += view.toWidget(r);
            ++members;
        }
    }
    centre /= std::max(1, members);
    double radius = 0;
    for (int r = 0; r < n; ++r) {
        if (pts.labels[size_t(r)] == 0)
            radius = std::max(radius, QLineF(centre, view.toWidget(r)).length());
    }
    radius += 8;
    send(&view, QEvent::MouseButtonPress, centre + QPointF(radius, 0), Qt::LeftButton, Qt::LeftButton);
    for (int k = 1; k <= 64; ++k) {
        const double a = 2 * std::numbers::pi * k / 64;
        send(&view, QEvent::MouseMove, centre + QPointF(radius * std::cos(a), radius * std::sin(a)), Qt::NoButton,
             Qt::LeftButton);
    }
    t.restart();
    send(&view, QEvent::MouseButtonRelease, centre + QPointF(radius, 0), Qt::LeftButton, Qt::NoButton);
    const double lasso = ms(t);
    const qsizetype selected = view.selection().size();
    t.restart();
    (void)view.grab();
    const double afterLasso = ms(t);

    std::printf("%d points, %dx%d widget\n", n, size.width(), size.height());
    std::printf("  setPoints + setScores:           %8.1f ms\n", setPoints);
    std::printf("  first paint (grab):              %8.1f ms\n", firstPaint);
    std::printf("  repaint after zoom (6 runs):     %8.1f ms median, %.1f ms worst\n", zoomPaints[3],
                zoomPaints.back());
    std::printf("  first rowAt after zoom (index):  %8.2f ms\n", firstLookup);
    std::printf("  99 more rowAt lookups:           %8.2f ms (%d of 100 found)\n", lookups, found);
    std::printf("  100 hover moves (with tooltip):  %8.2f ms\n", hoverMoves);
    std::printf("  lasso selection on release:      %8.1f ms (%lld rows)\n", lasso, qlonglong(selected));
    std::printf("  repaint after the lasso:         %8.1f ms\n", afterLasso);
}

} // namespace

int main(int argc, char **argv)
{
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QList<int> sizes = {60000, 300000};
    QSize size(1200, 800);
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--sizes")) {
            sizes.clear();
            for (const QString &s : args[i + 1].split(QLatin1Char(',')))
                sizes.append(s.toInt());
        } else if (args[i] == QLatin1String("--width")) {
            size.setWidth(args[i + 1].toInt());
        } else if (args[i] == QLatin1String("--height")) {
            size.setHeight(args[i + 1].toInt());
        }
    }
    for (int n : sizes)
        run(n, size);
    return 0;
}
