#include "drift/DriftClassHeatMap.h"
#include "drift/DriftHistogramChart.h"
#include "drift/DriftPage.h"
#include "GuiTestHelpers.h"
#include "shell/MainWindow.h"
#include "TestSupport.h"
#include "TriggerImages.h"
#include "versions/VersionsPage.h"
#include "WorkspaceFixture.h"
#include "analysis/DriftReport.h"
#include "sampling/SplitMix64.h"
#include "demo/FashionMnist.h"
#include "storage/Ingest.h"

#include <QComboBox>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSet>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTest>

#include <algorithm>
#include <numeric>

using namespace custody;
using namespace custody::test;

namespace {

constexpr int kSide = test::kTriggerSide;
constexpr int kTriggerX = test::kTriggerX, kTriggerY = test::kTriggerY;
constexpr int kPerClass = test::kTriggerPerClass;

ImageSet syntheticImages(uint64_t seed, bool stamp, QSet<int> *stamped)
{
    return test::syntheticTriggerImages(seed, stamp, stamped);
}

bool inTrigger(int pixel)
{
    const int x = pixel % kSide, y = pixel / kSide;
    return x >= kTriggerX && x < kTriggerX + 4 && y >= kTriggerY && y < kTriggerY + 4;
}

QSet<int> idsAsNumbers(const QListWidget *list)
{
    QSet<int> out;
    for (int i = 0; i < list->count(); ++i)
        out.insert(list->item(i)->text().toInt());
    return out;
}

} // namespace

class TestDriftMaps : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    std::unique_ptr<WorkspaceFixture> m_fixture;
    QSet<int> m_stamped;
    ImageSet m_batch; // img@v2

    // The record list names the stamped records (and clean ones bright at the trigger pixel image[8,8]).
    void expectTriggerCarriers(const QListWidget *list, bool anyClass = false) const
    {
        const QString problem = checkTriggerCarriers(idsAsNumbers(list), m_stamped, m_batch, 8 * kSide + 8, anyClass);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }
    qint64 m_v2 = 0;

    bool ingestImages(const QString &label, const ImageSet &set, const QString &parent, QString *error)
    {
        m_v2 = m_fixture->ingestImages(QStringLiteral("img"), label, set, parent);
        *error = m_fixture->error();
        return m_v2 > 0;
    }

    DriftPage *runDrift(MainWindow &w)
    {
        w.resize(1280, 860);
        w.show();
        if (!QTest::qWaitForWindowExposed(&w) || !w.openWorkspace(m_fixture->path()))
            return nullptr;
        w.page<VersionsPage>()->selectVersion(m_v2);
        QTest::keySequence(&w, QKeySequence(Qt::CTRL | Qt::Key_5));
        DriftPage *page = w.page<DriftPage>();
        if (w.pages()->currentWidget() != page)
            return nullptr;
        QSignalSpy ready(page, &DriftPage::reportReady);
        QTest::mouseClick(page->findChild<QPushButton *>(QStringLiteral("driftRunButton")), Qt::LeftButton);
        return ready.wait(60000) ? page : nullptr;
    }

private Q_SLOTS:
    void initTestCase()
    {
        isolateSettings();
        // Own settings file: opening workspaces adds to the recent list, which TestMainWindow, run in
        // parallel by ctest, expects empty.
        QCoreApplication::setApplicationName(QStringLiteral("CustodyGuiTests-TestDriftMaps"));
        QSettings().clear();
        m_fixture = std::make_unique<WorkspaceFixture>();
        QVERIFY2(m_fixture->isValid(), qPrintable(m_fixture->error()));
        QString e;
        QSet<int> none;
        QVERIFY2(ingestImages(QStringLiteral("v1"), syntheticImages(1, false, &none), {}, &e), qPrintable(e));
        m_batch = syntheticImages(2, true, &m_stamped);
        QVERIFY2(ingestImages(QStringLiteral("v2"), m_batch, QStringLiteral("v1"), &e), qPrintable(e));
        QVERIFY(m_stamped.size() > 50);
        m_fixture->release();
    }

    void triggerIsTheBrightestPatchOfItsClassMap()
    {
        MainWindow w;
        DriftPage *page = runDrift(w);
        QVERIFY(page);
        QComboBox *classes = page->imageMapClass();
        QCOMPARE(classes->count(), 3);
        // The map opens on the class carrying the trigger, without the person searching for it.
        QVERIFY2(classes->currentText().endsWith(QLatin1String("class 1")), qPrintable(classes->currentText()));
        page->showClassMap(QStringLiteral("1"));
        const QImage image = page->imageMap()->image();
        QCOMPARE(image.size(), QSize(kSide, kSide));
        std::vector<int> pixels(size_t(kSide * kSide));
        std::iota(pixels.begin(), pixels.end(), 0);
        const auto grey = [&](int p) { return qGray(image.pixel(p % kSide, p / kSide)); };
        std::stable_sort(pixels.begin(), pixels.end(), [&](int a, int b) { return grey(a) > grey(b); });
        for (int i = 0; i < 16; ++i)
            QVERIFY2(inTrigger(pixels[size_t(i)]), qPrintable(QStringLiteral("rank %1: pixel %2").arg(i).arg(pixels[size_t(i)])));
        QVERIFY(grey(pixels[15]) > 2 * grey(pixels[16]));

        // Clicking a trigger pixel lists exactly the stamped records.
        page->views()->setCurrentWidget(page->imageMap()->parentWidget());
        const QRect cell = page->imageMap()->pixelRect(8 * kSide + 8);
        QVERIFY(!cell.isNull());
        QTest::mouseClick(page->imageMap(), Qt::LeftButton, {}, cell.center());
        expectTriggerCarriers(page->recordList());
    }

    void heatMapRanksTheTriggerCellsOfTheTargetClass()
    {
        MainWindow w;
        DriftPage *page = runDrift(w);
        QVERIFY(page);
        DriftClassHeatMap *map = page->heatMap();
        QVERIFY(map->rowCount() > 0);
        QCOMPARE(map->columnCount(), 3);
        const int column = int(QStringList{map->labelAt(0), map->labelAt(1), map->labelAt(2)}.indexOf(QStringLiteral("1")));
        QVERIFY(column >= 0);
        for (int row = 0; row < 16; ++row)
            QVERIFY(inTrigger(page->report()->features[size_t(map->featureAt(row))].pixel));
        page->views()->setCurrentWidget(map->parentWidget() == page->views() ? map : map->parentWidget());
        QTest::qWait(0);
        QTest::mouseClick(map, Qt::LeftButton, {}, map->cellRect(0, column).center());
        expectTriggerCarriers(page->recordList());
    }

    void selectingABinListsItsBatchRecords()
    {
        MainWindow w;
        DriftPage *page = runDrift(w);
        QVERIFY(page);
        const int feature = page->report()->featureIndex(QStringLiteral("image[8,8]"));
        page->selectFeature(feature);
        const DriftHistogram &h = page->report()->features[size_t(feature)].histogram;
        const int bin = h.binOf(255);
        page->featureChart()->selectBin(bin);
        QCOMPARE(page->recordList()->count(), int(h.batch[size_t(bin)]));
        QVERIFY(page->featureChart()->binRange(bin).endsWith(QStringLiteral("255]")));
        QVERIFY(page->findChild<QLabel *>(QStringLiteral("driftRecordsTitle"))->text().contains(page->featureChart()->binRange(bin)));
        expectTriggerCarriers(page->recordList(), true); // the marginal bin: every class
    }
};

QTEST_MAIN(TestDriftMaps)
#include "TestDriftMaps.moc"
