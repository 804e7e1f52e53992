#include "shell/ActionRegistry.h"
#include "drift/DriftFeatureModel.h"
#include "drift/DriftHistogramChart.h"
#include "drift/DriftTimelineChart.h"
#include "drift/DriftPage.h"
#include "GuiTestHelpers.h"
#include "shell/MainWindow.h"
#include "TestSupport.h"
#include "versions/VersionsPage.h"
#include "WorkspaceFixture.h"
#include "analysis/DriftReport.h"
#include "sampling/SplitMix64.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QBarSet>
#include <QChart>
#include <QComboBox>
#include <QFile>
#include <QHash>
#include <QImage>
#include <QLineSeries>
#include <QScatterSeries>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QTableView>
#include <QTest>

using namespace custody;
using namespace custody::test;

namespace {

// Two numbers and a category; the batch shifts x and brings a new colour, y stays put.
QList<CsvRecord> tabular(int count, double shift, const QString &rareColour, uint64_t seed, int firstNumber)
{
    SplitMix64 rng(seed);
    QList<CsvRecord> out;
    for (int i = 0; i < count; ++i) {
        CsvRecord r;
        r.id = QStringLiteral("r%1").arg(firstNumber + i);
        r.label = QStringList{QStringLiteral("cat"), QStringLiteral("dog")}[i % 2];
        r.x = double(rng.uniform24()) + double(rng.uniform24()) + shift;
        r.y = double(rng.uniform24()) * 10;
        r.colour = rng.below(10) < 2 ? rareColour : QStringLiteral("red");
        out.append(r);
    }
    return out;
}

} // namespace

class TestDriftPage : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<WorkspaceFixture> m_fixture;
    qint64 m_v1 = 0, m_v2 = 0, m_v3 = 0, m_big1 = 0, m_big2 = 0;

    DriftPage *openDrift(MainWindow &w, qint64 versionId)
    {
        w.resize(1280, 800);
        w.show();
        if (!QTest::qWaitForWindowExposed(&w) || !w.openWorkspace(m_fixture->path()))
            return nullptr;
        w.page<VersionsPage>()->selectVersion(versionId);
        QTest::keySequence(&w, QKeySequence(Qt::CTRL | Qt::Key_5));
        if (w.pages()->currentWidget() != w.page<DriftPage>())
            return nullptr;
        return w.page<DriftPage>();
    }

    static bool runAndWait(DriftPage *page)
    {
        QSignalSpy ready(page, &DriftPage::reportReady);
        QTest::mouseClick(page->findChild<QPushButton *>(QStringLiteral("driftRunButton")), Qt::LeftButton);
        return ready.wait(30000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        isolateSettings();
        // Own settings file: opening workspaces adds to the recent list, which TestMainWindow, run in
        // parallel by ctest, expects empty.
        QCoreApplication::setApplicationName(QStringLiteral("CustodyGuiTests-TestDriftPage"));
        QSettings().clear();
        m_fixture = std::make_unique<WorkspaceFixture>();
        QVERIFY2(m_fixture->isValid(), qPrintable(m_fixture->error()));
        m_v1 = m_fixture->ingestCsv(QStringLiteral("t"), QStringLiteral("v1"), tabular(600, 0.0, QStringLiteral("blue"), 11, 0));
        m_v2 = m_fixture->ingestCsv(QStringLiteral("t"), QStringLiteral("v2"), tabular(500, 0.4, QStringLiteral("green"), 12, 1000),
                                    QStringLiteral("v1"));
        // v3 draws from v2's distribution again.
        m_v3 = m_fixture->ingestCsv(QStringLiteral("t"), QStringLiteral("v3"), tabular(500, 0.4, QStringLiteral("green"), 13, 2000),
                                    QStringLiteral("v2"));
        QVERIFY2(m_v1 > 0 && m_v2 > 0 && m_v3 > 0, qPrintable(m_fixture->error()));
        // Big enough that a run is still reading when the person cancels it.
        m_big1 = m_fixture->ingestCsv(QStringLiteral("big"), QStringLiteral("v1"), tabular(150000, 0.0, QStringLiteral("blue"), 21, 0));
        m_big2 = m_fixture->ingestCsv(QStringLiteral("big"), QStringLiteral("v2"), tabular(150000, 0.4, QStringLiteral("green"), 22, 200000),
                                      QStringLiteral("v1"));
        QVERIFY2(m_big1 > 0 && m_big2 > 0, qPrintable(m_fixture->error()));
        m_fixture->release();
    }

    void actionIsRegisteredAndDefaultsToParent()
    {
        MainWindow w;
        QAction *action = w.actionRegistry()->action(QStringLiteral("action_show_drift"));
        QVERIFY(action);
        QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_5));
        QVERIFY(!action->isEnabled());
        DriftPage *page = openDrift(w, m_v2);
        QVERIFY(page);
        QVERIFY(action->isEnabled());
        QCOMPARE(page->baselineId(), m_v1);
        QCOMPARE(page->batchId(), m_v2);
    }

    void runFillsTableAndVerdict()
    {
        MainWindow w;
        DriftPage *page = openDrift(w, m_v2);
        QVERIFY(page);
        QVERIFY(runAndWait(page));
        QVERIFY(!page->isRunning());
        QAbstractItemModelTester tester(page->featureModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(page->featureProxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        DriftFeatureModel *model = page->featureModel();
        QCOMPARE(model->rowCount(), 3);
        QCOMPARE(model->columnCount(), int(DriftFeatureModel::ColumnCount));
        // Most severe first: the two drifted features lead, y (stable) is last.
        QCOMPARE(model->index(2, DriftFeatureModel::Name).data().toString(), QStringLiteral("y"));
        QCOMPARE(model->index(2, DriftFeatureModel::Verdict).data().toString(), QStringLiteral("ok"));
        QStringList drifted{model->index(0, 0).data().toString(), model->index(1, 0).data().toString()};
        drifted.sort();
        QCOMPARE(drifted, (QStringList{QStringLiteral("colour"), QStringLiteral("x")}));
        for (int row = 0; row < 2; ++row)
            QCOMPARE(model->index(row, DriftFeatureModel::Verdict).data().toString(), QStringLiteral("DRIFT"));
        const int xRow = model->index(0, 0).data().toString() == QLatin1String("x") ? 0 : 1;
        QCOMPARE(model->index(xRow, DriftFeatureModel::Test).data().toString(), QStringLiteral("ks exact"));
        QVERIFY(model->index(xRow, DriftFeatureModel::PAdjusted).data().toString().contains(QLatin1Char('e')));
        QVERIFY(page->verdictLabel()->text().contains(QStringLiteral("DATASET DRIFT")));
        QVERIFY(page->verdictLabel()->text().contains(QStringLiteral("2 of 3")));
        QCOMPARE(page->report()->driftedFeatures, 2);
        // The first row is selected.
        QVERIFY(page->selectedFeature() >= 0);
        QCOMPARE(page->report()->features[size_t(page->selectedFeature())].name, model->index(0, 0).data().toString());

        // Searching by name filters the table.
        QTest::keyClicks(page->searchBox(), QStringLiteral("COL"));
        QCOMPARE(page->featureProxy()->rowCount(), 1);
        QCOMPARE(page->featureProxy()->index(0, 0).data().toString(), QStringLiteral("colour"));
        page->searchBox()->clear();
        QCOMPARE(page->featureProxy()->rowCount(), 3);
    }

    void chartsShowTheSelectedFeatureAndLabels()
    {
        MainWindow w;
        DriftPage *page = openDrift(w, m_v2);
        QVERIFY(page);
        QVERIFY(runAndWait(page));
        const DriftReport &r = *page->report();
        DriftHistogramChart *chart = page->featureChart();

        const int x = r.featureIndex(QStringLiteral("x"));
        page->selectFeature(x);
        QCOMPARE(page->selectedFeature(), x);
        const DriftHistogram &hx = r.features[size_t(x)].histogram;
        QCOMPARE(chart->bins(), hx.bins());
        QCOMPARE(chart->highlightedBins(), hx.movedMost);
        QVERIFY(!chart->highlightedBins().empty());
        QCOMPARE(chart->batchSet()->selectedBars().size(), qsizetype(hx.movedMost.size()));
        double sumA = 0, sumB = 0;
        for (int i = 0; i < chart->bins(); ++i) {
            sumA += chart->baselineSet()->at(i);
            sumB += chart->batchSet()->at(i);
        }
        QVERIFY(qAbs(sumA - 1) < 1e-9 && qAbs(sumB - 1) < 1e-9);
        QVERIFY(chart->chart()->title().startsWith(QStringLiteral("x:")));

        // A category: one bar pair per category, named after it.
        const int colour = r.featureIndex(QStringLiteral("colour"));
        page->selectFeature(colour);
        QCOMPARE(chart->binLabels(), r.features[size_t(colour)].histogram.categories);
        QVERIFY(chart->binLabels().contains(QStringLiteral("green")));

        // Labels, baseline against batch.
        QCOMPARE(page->labelChart()->binLabels(), r.labels.counts.categories);
        QCOMPARE(page->labelChart()->bins(), 2);
    }

    void exportsTheCurrentChartAsPngAndSvg()
    {
        MainWindow w;
        DriftPage *page = openDrift(w, m_v2);
        QVERIFY(page);
        QVERIFY(runAndWait(page));
        page->selectFeature(page->report()->featureIndex(QStringLiteral("x")));
        page->views()->setCurrentWidget(page->featureChart());
        QCOMPARE(page->currentChart(), static_cast<QWidget *>(page->featureChart()));
        QTemporaryDir dir;
        const QString png = dir.filePath(QStringLiteral("x.png"));
        QVERIFY(page->exportCurrentChart(png));
        const QImage image(png);
        QCOMPARE(image.size(), page->featureChart()->size() * page->featureChart()->devicePixelRatioF());
        // The picture is the chart: inside its plot area, the baseline's bars (grey), the batch's (blue) and, x
        // having shifted, the batch bins that moved most (orange).
        const QRect plot = page->featureChart()->chart()->plotArea().toRect().adjusted(2, 2, -2, -2) & image.rect();
        QHash<QRgb, int> inPlot;
        for (int y = plot.top(); y <= plot.bottom(); ++y)
            for (int x = plot.left(); x <= plot.right(); ++x)
                ++inPlot[image.pixel(x, y)];
        for (const QRgb bar : {qRgb(0x7f, 0x8c, 0x8d), qRgb(0x29, 0x80, 0xb9), qRgb(0xe6, 0x7e, 0x22)})
            QVERIFY2(inPlot.value(bar) > 200, qPrintable(QStringLiteral("%1: %2 pixels").arg(QColor(bar).name()).arg(inPlot.value(bar))));

        // SVG through the button and its file dialog, of the class heat map.
        page->views()->setCurrentIndex(2);
        QCOMPARE(page->currentChart()->objectName(), QStringLiteral("driftHeatMap"));
        const QString svg = dir.filePath(QStringLiteral("heat.svg"));
        QTest::mouseClick(page->findChild<QPushButton *>(QStringLiteral("driftExportSvg")), Qt::LeftButton);
        QVERIFY(chooseInFileDialog(QStringLiteral("driftExportDialog"), svg));
        QVERIFY(QTest::qWaitFor([&] { return QFile::exists(svg); }, 5000));
        QFile file(svg);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY(text.contains("<svg"));
        QVERIFY(text.contains("</svg>"));

        // An unwritable path is reported inline.
        QSignalSpy errors(page, &DriftPage::errorOccurred);
        QVERIFY(!page->exportCurrentChart(dir.filePath(QStringLiteral("missing/folder/x.png"))));
        QCOMPARE(errors.size(), 1);
    }

    void timelineRunsEveryConsecutivePair()
    {
        MainWindow w;
        DriftPage *page = openDrift(w, m_v2);
        QVERIFY(page);
        QVERIFY(runAndWait(page));
        page->selectFeature(page->report()->featureIndex(QStringLiteral("x")));
        QPushButton *button = page->findChild<QPushButton *>(QStringLiteral("driftTimelineButton"));
        QVERIFY(button && button->isEnabled());
        QSignalSpy ready(page, &DriftPage::timelineReady);
        QTest::mouseClick(button, Qt::LeftButton);
        QVERIFY(page->isRunning());
        QVERIFY(ready.wait(60000));
        const std::vector<DriftTimelineChart::Step> &steps = page->timelineChart()->steps();
        QCOMPARE(steps.size(), size_t(2));
        QCOMPARE(steps[0].version, QStringLiteral("t@v2"));
        QCOMPARE(steps[1].version, QStringLiteral("t@v3"));
        QVERIFY(steps[0].tested && steps[0].drifted);
        QCOMPARE(steps[0].effect, page->report()->features[size_t(page->report()->featureIndex(QStringLiteral("x")))].effect);
        QVERIFY(steps[1].tested && steps[1].effect >= 0 && steps[1].effect < steps[0].effect);
        QCOMPARE(page->timelineChart()->effectSeries()->count(), 2);
        QVERIFY(page->timelineChart()->driftedSeries()->count() >= 1);
        QCOMPARE(page->currentChart(), static_cast<QWidget *>(page->timelineChart()));
    }

    void sameVersionCannotRun()
    {
        MainWindow w;
        DriftPage *page = openDrift(w, m_v2);
        QVERIFY(page);
        page->choose(m_v1, m_v1);
        QVERIFY(!page->findChild<QPushButton *>(QStringLiteral("driftRunButton"))->isEnabled());
    }

    // The person presses Cancel while the run is under way (at its first progress): the run stops, says it was
    // cancelled, shows no report, and the page can run again.
    void cancelStopsTheRun()
    {
        MainWindow w;
        DriftPage *page = openDrift(w, m_big2);
        QVERIFY(page);
        QCOMPARE(page->baselineId(), m_big1);
        QSignalSpy ready(page, &DriftPage::reportReady);
        QSignalSpy cancelled(page, &DriftPage::runCancelled);
        auto *progress = page->findChild<QProgressBar *>(QStringLiteral("driftProgress"));
        auto *cancelButton = page->findChild<QPushButton *>(QStringLiteral("driftCancelButton"));
        bool clicked = false;
        connect(progress, &QProgressBar::valueChanged, this, [&](int value) {
            if (value > progress->minimum() && !clicked && cancelButton->isEnabled()) {
                clicked = true;
                QTest::mouseClick(cancelButton, Qt::LeftButton);
            }
        });
        QTest::mouseClick(page->findChild<QPushButton *>(QStringLiteral("driftRunButton")), Qt::LeftButton);
        QVERIFY(page->isRunning());
        QVERIFY(cancelled.wait(60000));
        QVERIFY(clicked);
        QCOMPARE(ready.size(), 0);
        QVERIFY(!page->isRunning());
        QVERIFY2(page->findChild<QLabel *>(QStringLiteral("driftStatus"))->text().contains(QLatin1String("ancel")),
                 qPrintable(page->findChild<QLabel *>(QStringLiteral("driftStatus"))->text()));
        QVERIFY(page->findChild<QPushButton *>(QStringLiteral("driftRunButton"))->isEnabled());
    }
};

QTEST_MAIN(TestDriftPage)
#include "TestDriftPage.moc"
