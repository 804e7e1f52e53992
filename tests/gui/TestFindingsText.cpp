#include "GuiTestHelpers.h"
#include "PlantedText.h"
#include "TestSupport.h"
#include "WorkspaceFixture.h"
#include "detection/ScanResult.h"
#include "findings/FindingInspector.h"
#include "findings/FindingsModel.h"
#include "findings/FindingsPage.h"
#include "findings/FindingsQueue.h"
#include "shell/ActionRegistry.h"
#include "shell/MainWindow.h"
#include "versions/VersionsPage.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTableView>
#include <QTest>

using namespace custody;
using namespace custody::test;

// Text findings as a curator reviews them: the queue narrowed to the records of one trigger phrase, and the
// inspector showing a record's text with the phrase marked and an invisible character named where it sits.
class TestFindingsText : public QObject
{
    Q_OBJECT

    std::unique_ptr<WorkspaceFixture> m_fixture;
    PlantedText m_planted;
    qint64 m_batch = 0;

    static void clickRow(QTableView *table, int row)
    {
        const QRect rect = table->visualRect(table->model()->index(row, 0));
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, rect.center());
    }

    QString idAt(FindingsQueue *queue, int row) const
    {
        return queue->table()->model()->index(row, FindingsModel::Record).data().toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        isolateSettings();
        QCoreApplication::setApplicationName(QStringLiteral("CustodyGuiTests-TestFindingsText"));
        QSettings().clear();
        m_fixture = std::make_unique<WorkspaceFixture>();
        QVERIFY2(m_fixture->isValid(), qPrintable(m_fixture->error()));
        PlantedText::Options o;
        o.sentenceTrigger = 60;
        o.zeroWidthTrigger = 30;
        m_planted = PlantedText::make(41, o);
        m_batch = ingestPlantedText(*m_fixture, m_planted);
        QVERIFY2(m_batch > 0, qPrintable(m_fixture->error()));
        m_fixture->release();
    }

    void phraseFilterAndHighlightedText()
    {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w) && w.openWorkspace(m_fixture->path()));
        w.page<VersionsPage>()->selectVersion(m_batch);
        QTest::keySequence(&w, QKeySequence(Qt::CTRL | Qt::Key_2));
        auto *page = w.page<FindingsPage>();
        QCOMPARE(w.pages()->currentWidget(), page);
        QTRY_VERIFY(!page->emptyText()->text().isEmpty() && !page->isBusy());
        QSignalSpy shown(page, &FindingsPage::resultShown);
        w.actionRegistry()->action(QStringLiteral("action_findings_run_scan"))->trigger();
        QVERIFY(shown.wait(120000));
        QVERIFY(!page->result()->phrases.isEmpty());

        // The phrase filter: pick the sentence's phrase, as a person would with the keyboard.
        FindingsQueue *queue = page->queue();
        QComboBox *phrase = queue->phraseCombo();
        QVERIFY(phrase->isVisible());
        int sentenceItem = -1;
        for (int i = 1; i < phrase->count() && sentenceItem < 0; ++i)
            if (phrase->itemText(i).contains(QStringLiteral("harbour keeper")))
                sentenceItem = i;
        QVERIFY2(sentenceItem > 0, qPrintable(phrase->itemText(1)));
        phrase->setFocus();
        for (int i = phrase->currentIndex(); i < sentenceItem; ++i)
            QTest::keyClick(phrase, Qt::Key_Down);
        QCOMPARE(phrase->currentIndex(), sentenceItem);
        const int rows = queue->table()->model()->rowCount();
        QVERIFY(rows > 0 && rows <= 60);
        for (int r = 0; r < rows; ++r)
            QCOMPARE(m_planted.kindOf.value(idAt(queue, r)), QStringLiteral("sentence"));

        // The inspector marks the phrase in the record's own text.
        clickRow(queue->table(), 0);
        const QString html = page->inspector()->textView()->text();
        QVERIFY2(html.contains(QStringLiteral("background-color:#ffd54f")) && html.contains(QStringLiteral("arbour keeper")),
                 qPrintable(html));

        // Back to every record; a record with the zero-width trigger shows the character by name.
        QTest::keyClick(phrase, Qt::Key_Home);
        QCOMPARE(phrase->currentIndex(), 0);
        int zeroWidth = -1;
        for (int r = 0; r < queue->table()->model()->rowCount() && zeroWidth < 0; ++r)
            if (m_planted.kindOf.value(idAt(queue, r)) == QLatin1String("zero_width"))
                zeroWidth = r;
        QVERIFY(zeroWidth >= 0);
        queue->table()->scrollTo(queue->table()->model()->index(zeroWidth, 0));
        clickRow(queue->table(), zeroWidth);
        QVERIFY2(page->inspector()->textView()->text().contains(QStringLiteral("[U+200B ZERO WIDTH SPACE]")),
                 qPrintable(page->inspector()->textView()->text()));
    }
};

QTEST_MAIN(TestFindingsText)
#include "TestFindingsText.moc"
