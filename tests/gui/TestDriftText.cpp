#include "GuiTestHelpers.h"
#include "PlantedText.h"
#include "TestSupport.h"
#include "WorkspaceFixture.h"
#include "analysis/DriftReport.h"
#include "drift/DriftPage.h"
#include "drift/DriftTextView.h"
#include "shell/MainWindow.h"
#include "versions/VersionsPage.h"

#include <QComboBox>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>

using namespace custody;
using namespace custody::test;

// The drift dashboard's Text tab, used as a curator would: run a drift check of a text batch carrying a trigger
// sentence, open the tab, read the classifier's verdict, click the n-gram that moved and see its records.
class TestDriftText : public QObject
{
    Q_OBJECT

    std::unique_ptr<WorkspaceFixture> m_fixture;
    PlantedText m_planted;
    qint64 m_batch = 0;

private Q_SLOTS:
    void initTestCase()
    {
        isolateSettings();
        QCoreApplication::setApplicationName(QStringLiteral("CustodyGuiTests-TestDriftText"));
        QSettings().clear();
        m_fixture = std::make_unique<WorkspaceFixture>();
        QVERIFY2(m_fixture->isValid(), qPrintable(m_fixture->error()));
        PlantedText::Options o;
        o.sentenceTrigger = 120;
        m_planted = PlantedText::make(31, o);
        m_batch = ingestPlantedText(*m_fixture, m_planted);
        QVERIFY2(m_batch > 0, qPrintable(m_fixture->error()));
        m_fixture->release();
    }

    void textTabNamesTheTriggerAndItsRecords()
    {
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w) && w.openWorkspace(m_fixture->path()));
        w.page<VersionsPage>()->selectVersion(m_batch);
        QTest::keySequence(&w, QKeySequence(Qt::CTRL | Qt::Key_5));
        auto *page = w.page<DriftPage>();
        QCOMPARE(w.pages()->currentWidget(), page);
        QSignalSpy ready(page, &DriftPage::reportReady);
        QTest::mouseClick(page->findChild<QPushButton *>(QStringLiteral("driftRunButton")), Qt::LeftButton);
        QVERIFY(ready.wait(60000));
        QVERIFY2(page->verdictLabel()->text().contains(QStringLiteral("Text 'text': a classifier tells the batch from the baseline")),
                 qPrintable(page->verdictLabel()->text()));

        // Open the Text tab as a person would, by clicking its tab.
        QTabWidget *views = page->views();
        const int textTab = views->indexOf(page->textView());
        QVERIFY(textTab >= 0);
        QTest::mouseClick(views->tabBar(), Qt::LeftButton, {}, views->tabBar()->tabRect(textTab).center());
        QCOMPARE(views->currentIndex(), textTab);
        DriftTextView *view = page->textView();
        QCOMPARE(view->columnChooser()->currentText(), QStringLiteral("text"));
        QVERIFY2(view->summary()->text().contains(QStringLiteral("drifted")), qPrintable(view->summary()->text()));

        // The sentence's n-grams lead the table; clicking one lists records that carry the sentence.
        QTableWidget *moved = view->movedTable();
        QVERIFY(moved->rowCount() > 0);
        const QString sentence = QStringLiteral("maintained with care by the old harbour keeper");
        int row = -1;
        for (int r = 0; r < moved->rowCount() && row < 0; ++r)
            if (sentence.contains(moved->item(r, 0)->text()) && moved->item(r, 5)->text() == QLatin1String("drifted"))
                row = r;
        QVERIFY2(row >= 0, qPrintable(moved->item(0, 0)->text()));
        const QRect cell = moved->visualItemRect(moved->item(row, 0));
        QTest::mouseClick(moved->viewport(), Qt::LeftButton, {}, cell.center());
        auto *records = page->findChild<QListWidget *>(QStringLiteral("driftRecords"));
        QVERIFY(records->count() > 0);
        for (int i = 0; i < records->count(); ++i)
            QCOMPARE(m_planted.kindOf.value(records->item(i)->text()), QStringLiteral("sentence"));
        QVERIFY2(page->findChild<QLabel *>(QStringLiteral("driftRecordsTitle"))->text().contains(QStringLiteral("of the 120 batch records")),
                 qPrintable(page->findChild<QLabel *>(QStringLiteral("driftRecordsTitle"))->text()));

        // The words histogram opens the derived feature in the Feature tab.
        QTest::mouseClick(view->findChild<QPushButton *>(QStringLiteral("driftTextWords")), Qt::LeftButton);
        QCOMPARE(views->currentIndex(), 0);
        QCOMPARE(page->report()->features[size_t(page->selectedFeature())].name, QStringLiteral("text:words"));
    }
};

QTEST_MAIN(TestDriftText)
#include "TestDriftText.moc"
