#include "findings/plot/ClusterPlotView.h"
#include "findings/plot/ScatterRaster.h"
#include "GuiTestHelpers.h"
#include "sampling/SplitMix64.h"

#include <QApplication>
#include <QMouseEvent>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QWheelEvent>

#include <cmath>
#include <numbers>

using namespace custody;
using namespace custody::test;

namespace {

// Three planted clusters of 40 rows (A around (0, 0), B around (10, 0), C around (5, 8)) and two lone points.
constexpr int kPerCluster = 40;
constexpr int kLoneLeft = 3 * kPerCluster, kLoneRight = kLoneLeft + 1;

struct Planted
{
    std::vector<float> x, y;
    std::vector<int> labels;
    QStringList names;
};

Planted planted()
{
    Planted p;
    SplitMix64 rng(5);
    const float cx[3] = {0, 10, 5}, cy[3] = {0, 0, 8};
    for (int c = 0; c < 3; ++c) {
        for (int k = 0; k < kPerCluster; ++k) {
            p.x.push_back(cx[c] + 0.8f * (rng.uniform24() - 0.5f));
            p.y.push_back(cy[c] + 0.8f * (rng.uniform24() - 0.5f));
            p.labels.push_back(c);
        }
    }
    p.x.insert(p.x.end(), {2.5f, 7.5f});
    p.y.insert(p.y.end(), {6.0f, 4.0f});
    p.labels.insert(p.labels.end(), {3, 3});
    for (size_t r = 0; r < p.x.size(); ++r)
        p.names.append(QStringLiteral("rec-%1").arg(r));
    return p;
}

QList<int> cluster(int c)
{
    QList<int> rows;
    for (int k = 0; k < kPerCluster; ++k)
        rows.append(c * kPerCluster + k);
    return rows;
}

// A move with buttons held, as the platform would deliver it (QTest::mouseMove does not carry buttons everywhere).
void dragTo(QWidget *w, const QPointF &pos, Qt::MouseButtons buttons, Qt::KeyboardModifiers mods = Qt::NoModifier)
{
    QMouseEvent e(QEvent::MouseMove, pos, w->mapToGlobal(pos), Qt::NoButton, buttons, mods);
    QApplication::sendEvent(w, &e);
}

void hoverTo(QWidget *w, const QPointF &pos)
{
    dragTo(w, pos, Qt::NoButton);
}

// Draws a closed freehand loop around `rows` with the left button, as a person circling a cluster would.
void lassoAround(ClusterPlotView &view, const QList<int> &rows, Qt::KeyboardModifiers mods = Qt::NoModifier)
{
    QPointF centre;
    for (int r : rows)
        centre += view.toWidget(r) / rows.size();
    double radius = 0;
    for (int r : rows)
        radius = std::max(radius, QLineF(centre, view.toWidget(r)).length());
    radius += 12;
    QList<QPointF> loop;
    for (int k = 0; k <= 36; ++k) {
        const double a = 2 * std::numbers::pi * k / 36;
        loop.append(centre + QPointF(radius * std::cos(a), radius * std::sin(a) * 0.9));
    }
    QTest::mousePress(&view, Qt::LeftButton, mods, loop.front().toPoint());
    for (const QPointF &p : loop)
        dragTo(&view, p, Qt::LeftButton, mods);
    QTest::mouseRelease(&view, Qt::LeftButton, mods, loop.back().toPoint());
}

QRgb pixelAt(const QImage &image, const QPointF &p)
{
    return image.pixel(int(std::floor(p.x())), int(std::floor(p.y())));
}

// How many pixels of `image` inside `area` (everywhere when empty) are one of `colours`.
int countPixels(const QImage &image, const QSet<QRgb> &colours, const QRect &area = {})
{
    const QRect r = area.isEmpty() ? image.rect() : area & image.rect();
    int n = 0;
    for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x)
            n += colours.contains(image.pixel(x, y));
    return n;
}

QSet<QRgb> scoreRamp()
{
    QSet<QRgb> ramp;
    for (int i = 0; i < 256; ++i)
        ramp.insert(scatter::scoreColour(i / 255.0));
    return ramp;
}

} // namespace

// The hand-drawn cluster plot driven with the mouse: lasso, click, hover, zoom, pan, filters, colours.
class TestClusterPlotView : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ClusterPlotView> m_view;
    Planted m_data;

    ClusterPlotView &view() { return *m_view; }

private Q_SLOTS:
    void initTestCase() { isolateSettings(); }

    void init()
    {
        m_data = planted();
        m_view = std::make_unique<ClusterPlotView>();
        m_view->resize(600, 400);
        m_view->setPoints(m_data.x, m_data.y, m_data.labels, {"A", "B", "C", "lone"}, m_data.names);
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    }

    void cleanup() { m_view.reset(); }

    void lassoSelectsTheCircledCluster()
    {
        QSignalSpy spy(&view(), &ClusterPlotView::selectionChanged);
        lassoAround(view(), cluster(1));
        QCOMPARE(view().selection(), cluster(1));
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).value<QList<int>>(), cluster(1));
    }

    void shiftAddsAndControlRemoves()
    {
        QSignalSpy spy(&view(), &ClusterPlotView::selectionChanged);
        lassoAround(view(), cluster(1));
        lassoAround(view(), cluster(2), Qt::ShiftModifier);
        QCOMPARE(view().selection(), cluster(1) + cluster(2));
        lassoAround(view(), cluster(1), Qt::ControlModifier);
        QCOMPARE(view().selection(), cluster(2));
        lassoAround(view(), cluster(0)); // plain: replaces
        QCOMPARE(view().selection(), cluster(0));
        QCOMPARE(spy.count(), 4);
    }

    void setSelectionDoesNotEmit()
    {
        QSignalSpy spy(&view(), &ClusterPlotView::selectionChanged);
        view().setSelection({kLoneLeft, 3, 9999, -1});
        QCOMPARE(view().selection(), QList<int>({3, kLoneLeft}));
        view().setSelection({});
        QVERIFY(view().selection().isEmpty());
        QCOMPARE(spy.count(), 0);
    }

    void clickSelectsNearestOrClears()
    {
        QSignalSpy spy(&view(), &ClusterPlotView::selectionChanged);
        const QPointF lone = view().toWidget(kLoneLeft);
        QTest::mouseClick(&view(), Qt::LeftButton, Qt::NoModifier, (lone + QPointF(3, 2)).toPoint());
        QCOMPARE(view().selection(), QList<int>({kLoneLeft}));
        QTest::mouseClick(&view(), Qt::LeftButton, Qt::ShiftModifier, view().toWidget(kLoneRight).toPoint());
        QCOMPARE(view().selection(), QList<int>({kLoneLeft, kLoneRight}));
        QTest::mouseClick(&view(), Qt::LeftButton, Qt::NoModifier, (lone + QPointF(40, 0)).toPoint()); // nothing
        QVERIFY(view().selection().isEmpty());
        QCOMPARE(spy.count(), 3);
    }

    void hoverFindsThePointUnderTheCursor()
    {
        QSignalSpy spy(&view(), &ClusterPlotView::hovered);
        const QPointF lone = view().toWidget(kLoneRight);
        QCOMPARE(view().rowAt((lone + QPointF(4, 0)).toPoint()), kLoneRight);
        QCOMPARE(view().rowAt((lone + QPointF(12, 0)).toPoint()), -1);
        hoverTo(&view(), lone + QPointF(2, -2));
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toInt(), kLoneRight);
        hoverTo(&view(), lone + QPointF(1, -1)); // still the same row: no new signal
        QCOMPARE(spy.count(), 1);
        hoverTo(&view(), lone + QPointF(30, 30));
        QCOMPARE(spy.count(), 2);
        QCOMPARE(spy.at(1).at(0).toInt(), -1);
        // Every row of a cluster is found where it is drawn.
        for (int r : cluster(2)) {
            const int found = view().rowAt(view().toWidget(r).toPoint());
            QVERIFY(found >= 0);
            QVERIFY(QLineF(view().toWidget(found), view().toWidget(r)).length() < 1.5);
        }
    }

    void wheelZoomKeepsThePointUnderTheCursor()
    {
        const int anchor = 2 * kPerCluster + 5, other = 7;
        const QPointF at = view().toWidget(anchor), before = view().toWidget(other);
        QWheelEvent wheel(at, view().mapToGlobal(at), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                          Qt::NoScrollPhase, false);
        QApplication::sendEvent(&view(), &wheel);
        QVERIFY(QLineF(view().toWidget(anchor), at).length() < 1e-6);
        const double grown = QLineF(at, view().toWidget(other)).length() / QLineF(at, before).length();
        QVERIFY2(grown > 1.1 && grown < 1.3, qPrintable(QString::number(grown)));
        // Home and a double click on empty space both return to the fitted view.
        QTest::keyClick(&view(), Qt::Key_Home);
        QVERIFY(QLineF(view().toWidget(other), before).length() < 1e-6);
        view().zoomBy(3, QPointF(100, 100));
        QTest::mouseDClick(&view(), Qt::LeftButton, Qt::NoModifier, QPoint(590, 390));
        QVERIFY(QLineF(view().toWidget(other), before).length() < 1e-6);
    }

    void doubleClickOnAPointActivatesIt()
    {
        QSignalSpy spy(&view(), &ClusterPlotView::rowActivated);
        QTest::mouseDClick(&view(), Qt::LeftButton, Qt::NoModifier, view().toWidget(kLoneLeft).toPoint());
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toInt(), kLoneLeft);
    }

    void dragsPanWithoutSelecting()
    {
        QSignalSpy spy(&view(), &ClusterPlotView::selectionChanged);
        const QPointF before = view().toWidget(0);
        QTest::mousePress(&view(), Qt::RightButton, Qt::NoModifier, QPoint(300, 200));
        dragTo(&view(), QPointF(330, 220), Qt::RightButton);
        dragTo(&view(), QPointF(350, 230), Qt::RightButton);
        QTest::mouseRelease(&view(), Qt::RightButton, Qt::NoModifier, QPoint(350, 230));
        QVERIFY(QLineF(view().toWidget(0), before + QPointF(50, 30)).length() < 1e-6);

        QTest::keyPress(&view(), Qt::Key_Space);
        QTest::mousePress(&view(), Qt::LeftButton, Qt::NoModifier, QPoint(350, 230));
        dragTo(&view(), QPointF(300, 200), Qt::LeftButton);
        QTest::mouseRelease(&view(), Qt::LeftButton, Qt::NoModifier, QPoint(300, 200));
        QTest::keyRelease(&view(), Qt::Key_Space);
        QVERIFY(QLineF(view().toWidget(0), before).length() < 1e-6);
        QCOMPARE(spy.count(), 0);
    }

    void hiddenRowsAreNotSelectable()
    {
        std::vector<uint8_t> visible(m_data.x.size(), 1);
        QList<int> shown;
        for (int r : cluster(1)) {
            visible[size_t(r)] = r % 2;
            if (r % 2)
                shown.append(r);
        }
        view().setVisibleRows(visible);
        lassoAround(view(), cluster(1));
        QCOMPARE(view().selection(), shown);
        const int hidden = cluster(1).front();
        QVERIFY(hidden % 2 == 0);
        QVERIFY(view().rowAt(view().toWidget(hidden).toPoint()) != hidden);
        view().setVisibleRows({});
        QCOMPARE(view().rowAt(view().toWidget(kLoneLeft).toPoint()), kLoneLeft);
    }

    void colourByChangesThePixels()
    {
        const QPointF lone = view().toWidget(kLoneLeft);
        const QColor background = view().palette().color(QPalette::Base);
        const QRgb byLabel = pixelAt(view().grab().toImage(), lone);
        QVERIFY(byLabel != background.rgb());

        std::vector<float> scores(m_data.x.size(), 0.1f);
        scores[size_t(kLoneLeft)] = 0.9f;
        scores[0] = NAN;
        view().setScores(scores);
        view().setColourBy(ClusterPlotView::ColourBy::Score);
        const QRgb byScore = pixelAt(view().grab().toImage(), lone);
        QVERIFY(byScore != byLabel);
        QVERIFY(byScore != pixelAt(view().grab().toImage(), view().toWidget(1))); // high and low score differ
        QVERIFY(qRed(pixelAt(view().grab().toImage(), view().toWidget(1))) < 120); // the low end is dark

        std::vector<int> decisions(m_data.x.size(), 0);
        decisions[size_t(kLoneLeft)] = 2; // exclude: red
        decisions[size_t(kLoneRight)] = 1; // keep: green
        view().setDecisions(decisions);
        view().setColourBy(ClusterPlotView::ColourBy::Decision);
        const QImage byDecision = view().grab().toImage();
        const QRgb excluded = pixelAt(byDecision, lone), kept = pixelAt(byDecision, view().toWidget(kLoneRight));
        QVERIFY(qRed(excluded) > 180 && qGreen(excluded) < 90);
        QVERIFY(qGreen(kept) > 130 && qRed(kept) < 90);
        QCOMPARE(view().colourBy(), ClusterPlotView::ColourBy::Decision);
    }

    void selectionAndCurrentRowAreMarked()
    {
        const QPointF lone = view().toWidget(kLoneLeft);
        const auto darkness = [&](const QImage &image, int reach) {
            int dark = 0;
            for (int dy = -reach; dy <= reach; ++dy)
                for (int dx = -reach; dx <= reach; ++dx)
                    dark += qGray(pixelAt(image, lone + QPointF(dx, dy))) < 60;
            return dark;
        };
        const int plain = darkness(view().grab().toImage(), 4);
        view().setSelection({kLoneLeft});
        const int outlined = darkness(view().grab().toImage(), 4);
        QVERIFY2(outlined > plain + 8, qPrintable(QStringLiteral("%1 %2").arg(plain).arg(outlined)));
        view().setSelection({});
        view().setCurrentRow(kLoneLeft);
        QVERIFY(darkness(view().grab().toImage(), 8) > plain + 20);
    }

    void degenerateData()
    {
        // Empty: a message, no rows.
        view().setPoints({}, {}, {}, {}, {});
        QCOMPARE(view().pointCount(), 0);
        // Only the message is drawn, in the middle of an otherwise empty plot.
        const QImage empty = view().grab().toImage();
        const QSet<QRgb> base{view().palette().color(QPalette::Base).rgb()};
        const QRect middle(200, 180, 200, 40);
        const int drawn = empty.width() * empty.height() - countPixels(empty, base);
        const int drawnInMiddle = middle.width() * middle.height() - countPixels(empty, base, middle);
        QVERIFY2(drawnInMiddle > 50, qPrintable(QString::number(drawnInMiddle))); // "No projection"
        QCOMPARE(drawn, drawnInMiddle);
        QCOMPARE(view().rowAt(QPoint(300, 200)), -1);
        QVERIFY(std::isnan(view().toWidget(0).x()));
        lassoAround(view(), {});

        // One point: in the middle, found, zoomable.
        view().setPoints({3.0f}, {-2.0f}, {0}, {}, {});
        QVERIFY(QLineF(view().toWidget(0), QPointF(300, 200)).length() < 1e-6);
        QCOMPARE(view().rowAt(QPoint(300, 200)), 0);
        QCOMPARE(pixelAt(view().grab().toImage(), QPointF(300, 200)), scatter::labelColour(0));
        view().zoomBy(2, QPointF(10, 10));
        QVERIFY(std::isfinite(view().toWidget(0).x()));
        QVERIFY(QLineF(view().toWidget(0), QPointF(590, 390)).length() < 1e-6); // 10 + 2 * (300 - 10)
        const QImage zoomed = view().grab().toImage();
        QCOMPARE(pixelAt(zoomed, view().toWidget(0)), scatter::labelColour(0));
        QCOMPARE(pixelAt(zoomed, QPointF(300, 200)), view().palette().color(QPalette::Base).rgb()); // moved away

        // All identical, plus rows without coordinates: those are neither drawn nor selected.
        std::vector<float> x(100, 1.5f), y(100, 1.5f);
        x[7] = NAN;
        y[8] = INFINITY;
        view().setPoints(x, y, std::vector<int>(100, 0), {}, {});
        // 98 drawable points on one spot: one dot, in the middle.
        const QImage same = view().grab().toImage();
        QCOMPARE(pixelAt(same, QPointF(300, 200)), scatter::labelColour(0));
        const int dot = countPixels(same, {scatter::labelColour(0)}, QRect(0, 0, 450, 400)); // left of the legend
        QVERIFY2(dot >= 9 && dot <= 30, qPrintable(QString::number(dot)));
        QVERIFY(std::isnan(view().toWidget(7).x()));
        QSignalSpy spy(&view(), &ClusterPlotView::selectionChanged);
        lassoAround(view(), {0, 1});
        QCOMPARE(spy.count(), 1);
        QCOMPARE(view().selection().size(), 98);
        QVERIFY(!view().selection().contains(7) && !view().selection().contains(8));

        // Mismatched lengths: the shorter wins, missing labels are "unlabelled".
        view().setPoints({1, 2, 3}, {1, 2}, {}, {}, {});
        QCOMPARE(view().pointCount(), 2);
        const QImage unlabelled = view().grab().toImage();
        QCOMPARE(pixelAt(unlabelled, view().toWidget(0)), scatter::kNoValue);
        QCOMPARE(pixelAt(unlabelled, view().toWidget(1)), scatter::kNoValue);
    }

    void sixtyThousandPoints()
    {
        constexpr int n = 60000;
        SplitMix64 rng(9);
        std::vector<float> x(n), y(n);
        std::vector<int> labels(n);
        std::vector<float> scores(n);
        for (int r = 0; r < n; ++r) {
            labels[size_t(r)] = r % 10;
            const double a = 2 * std::numbers::pi * (r % 10) / 10;
            x[size_t(r)] = float(20 * std::cos(a) + 4 * (rng.uniform24() + rng.uniform24() - 1));
            y[size_t(r)] = float(20 * std::sin(a) + 4 * (rng.uniform24() + rng.uniform24() - 1));
            scores[size_t(r)] = rng.uniform24();
        }
        view().setPoints(x, y, labels, {}, {});
        const QImage first = view().grab().toImage();
        QCOMPARE(first.size(), view().size());
        QVERIFY(pixelAt(first, view().toWidget(0)) != view().palette().color(QPalette::Base).rgb());
        const QSet<QRgb> ramp = scoreRamp();
        QVERIFY2(countPixels(first, ramp) < 500, qPrintable(QString::number(countPixels(first, ramp)))); // coloured by label
        view().setScores(scores);
        view().setColourBy(ClusterPlotView::ColourBy::Score);
        view().zoomBy(4, view().toWidget(123));
        // Zoomed into one cloud: many dots in the score ramp's colours (some 7% of the plot; by label, next to none).
        const QImage scored = view().grab().toImage();
        const int rampPixels = countPixels(scored, ramp);
        QVERIFY2(rampPixels > 5000, qPrintable(QString::number(rampPixels)));
        QVERIFY(view().rowAt(view().toWidget(123).toPoint()) >= 0);
        view().resetView();
        QSignalSpy spy(&view(), &ClusterPlotView::selectionChanged);
        QList<int> cls;
        for (int r = 0; r < n; r += 10)
            cls.append(r);
        lassoAround(view(), cls.mid(0, 50));
        QCOMPARE(spy.count(), 1);
        QVERIFY(view().selection().size() > 1000); // a whole cloud of the ring
        // The selected dots are outlined: their cloud is ringed in the outline colour, which nothing else uses.
        const int outlined = countPixels(view().grab().toImage(), {scatter::kOutline});
        QVERIFY2(outlined > 200, qPrintable(QString::number(outlined))); // some 500: later dots cover inner outlines
        QVERIFY2(countPixels(first, {scatter::kOutline}) < 50, qPrintable(QString::number(countPixels(first, {scatter::kOutline}))));
    }
};

QTEST_MAIN(TestClusterPlotView)
#include "TestClusterPlotView.moc"
