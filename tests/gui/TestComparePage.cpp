#include "compare/ComparePage.h"
#include "GuiTestHelpers.h"
#include "shell/MainWindow.h"
#include "compare/RecordComparisonView.h"
#include "TestSupport.h"
#include "versions/VersionTimeline.h"
#include "versions/VersionsPage.h"
#include "WorkspaceFixture.h"
#include "session/WorkspaceSession.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QListView>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTableWidget>
#include <QTest>

using namespace custody;
using namespace custody::test;

class TestComparePage : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<WorkspaceFixture> m_fixture;
    qint64 m_v1 = 0, m_v2 = 0, m_img1 = 0, m_img2 = 0;

    static void clickCategory(ComparePage *page, ComparePage::Kind kind)
    {
        QListWidget *list = page->categories();
        QListWidgetItem *item = list->item(int(kind));
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(item).center());
        QCOMPARE(list->currentRow(), int(kind));
    }

    static void clickRecord(ComparePage *page, const QString &text)
    {
        QListView *view = page->records();
        const QModelIndexList found =
            view->model()->match(view->model()->index(0, 0), Qt::DisplayRole, text, 1, Qt::MatchStartsWith);
        QVERIFY2(!found.isEmpty(), qPrintable(text));
        view->scrollTo(found.first());
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(found.first()).center());
        QCOMPARE(view->currentIndex(), found.first());
    }

    // Opens the window on the workspace with `versionId` selected and presses Ctrl+D.
    ComparePage *compareFrom(MainWindow &w, qint64 versionId)
    {
        w.resize(1280, 800);
        w.show();
        if (!QTest::qWaitForWindowExposed(&w) || !w.openWorkspace(m_fixture->path()))
            return nullptr;
        w.page<VersionsPage>()->selectVersion(versionId);
        QTest::keySequence(&w, QKeySequence(Qt::CTRL | Qt::Key_D));
        if (w.pages()->currentWidget() != w.page<ComparePage>())
            return nullptr;
        QSignalSpy ready(w.page<ComparePage>(), &ComparePage::deltaReady);
        if (!ready.wait(20000))
            return nullptr;
        return w.page<ComparePage>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        isolateSettings();
        m_fixture = std::make_unique<WorkspaceFixture>();
        QVERIFY2(m_fixture->isValid(), qPrintable(m_fixture->error()));
        const QList<CsvRecord> v1 = numberedRecords(100);
        QList<CsvRecord> v2;
        for (CsvRecord r : v1) {
            const int n = r.id.mid(1).toInt();
            if (n < 5)
                continue; // removed
            if (n >= 10 && n < 13)
                r.x += 1000; // modified
            if (n >= 20 && n < 23)
                r.label = QStringLiteral("fox"); // relabelled
            v2.append(r);
        }
        v2 += numberedRecords(10, 100); // added
        CsvRecord conflicting = v1[30];
        conflicting.id = QStringLiteral("d0");
        conflicting.label = QStringLiteral("fox"); // r30 is a cat: same content, another label
        CsvRecord copy = v1[31];
        copy.id = QStringLiteral("d1");
        v2 << conflicting << copy;
        m_v1 = m_fixture->ingestCsv(QStringLiteral("animals"), QStringLiteral("v1"), v1);
        m_v2 = m_fixture->ingestCsv(QStringLiteral("animals"), QStringLiteral("v2"), v2, QStringLiteral("v1"));
        QVERIFY2(m_v1 && m_v2, qPrintable(m_fixture->error()));

        // Image folders, one sub-folder per label; in v2 one picture moved from cat to dog.
        const QString a = m_fixture->filePath(QStringLiteral("images-v1"));
        const QString b = m_fixture->filePath(QStringLiteral("images-v2"));
        for (int i = 0; i < 4; ++i) {
            QVERIFY(writePng(QStringLiteral("%1/cat/c%2.png").arg(a).arg(i), 8, 8, i));
            QVERIFY(writePng(QStringLiteral("%1/%2/c%3.png").arg(b, i == 2 ? "dog" : "cat").arg(i), 8, 8, i));
            QVERIFY(writePng(QStringLiteral("%1/dog/d%2.png").arg(a).arg(i), 8, 8, 10 + i));
            QVERIFY(writePng(QStringLiteral("%1/dog/d%2.png").arg(b).arg(i), 8, 8, 10 + i));
        }
        m_img1 = m_fixture->ingest(QStringLiteral("pets"), QStringLiteral("v1"), {a}, {}, {}, {});
        QVERIFY2(m_img1, qPrintable(m_fixture->error()));
        m_img2 = m_fixture->ingest(QStringLiteral("pets"), QStringLiteral("v2"), {b}, QStringLiteral("v1"), {}, {});
        QVERIFY2(m_img2, qPrintable(m_fixture->error()));
        m_fixture->release();
    }

    void computesOnlyWhatIsOnScreen()
    {
        // Opening a workspace computes no delta; asking for one right away shows the one asked for, never
        // a result computed for the combos' previous choice.
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QSignalSpy ready(w.page<ComparePage>(), &ComparePage::deltaReady);
        QVERIFY(w.openWorkspace(m_fixture->path()));
        QVERIFY(!ready.wait(300));
        w.page<VersionsPage>()->selectVersion(m_v2);
        w.findChild<QAction *>(QStringLiteral("action_compare"))->trigger();
        QVERIFY(ready.wait(20000));
        QCOMPARE(ready.count(), 1);
        QCOMPARE(w.page<ComparePage>()->countText(ComparePage::Kind::Added), QStringLiteral("12"));
        QVERIFY(!ready.wait(300));
    }

    void showsTheCountsOfTheDelta()
    {
        MainWindow w;
        ComparePage *page = compareFrom(w, m_v2);
        QVERIFY(page);
        // B is the selected version, A its parent.
        QCOMPARE(page->versionA(), m_v1);
        QCOMPARE(page->versionB(), m_v2);
        QCOMPARE(page->countText(ComparePage::Kind::Added), QStringLiteral("12"));
        QCOMPARE(page->countText(ComparePage::Kind::Removed), QStringLiteral("5"));
        QCOMPARE(page->countText(ComparePage::Kind::Modified), QStringLiteral("3"));
        QCOMPARE(page->countText(ComparePage::Kind::Relabelled), QStringLiteral("3"));
        QCOMPARE(page->countText(ComparePage::Kind::Duplicates), QStringLiteral("1 conflicting / 2"));
        QCOMPARE(page->categories()->item(int(ComparePage::Kind::Relabelled))->text(), QStringLiteral("Relabelled (3)"));
        const QString summary = page->findChild<QLabel *>(QStringLiteral("compareSummary"))->text();
        QVERIFY2(summary.contains(QStringLiteral("12 added · 5 removed · 3 modified · 3 relabelled")), qPrintable(summary));

        clickCategory(page, ComparePage::Kind::Removed);
        QCOMPARE(page->records()->model()->rowCount(), 5);
        clickCategory(page, ComparePage::Kind::Added);
        QCOMPARE(page->records()->model()->rowCount(), 12);
    }

    void showsBothSidesOfARelabelledRecord()
    {
        MainWindow w;
        ComparePage *page = compareFrom(w, m_v2);
        QVERIFY(page);
        clickCategory(page, ComparePage::Kind::Relabelled);
        clickRecord(page, QStringLiteral("r20"));
        RecordComparisonView *view = page->comparison();
        QCOMPARE(view->table()->columnCount(), 2);
        QCOMPARE(view->cellText(QStringLiteral("Id"), 0), QStringLiteral("r20"));
        QCOMPARE(view->cellText(QStringLiteral("Id"), 1), QStringLiteral("r20"));
        QCOMPARE(view->cellText(QStringLiteral("Label"), 0), QStringLiteral("bird"));
        QCOMPARE(view->cellText(QStringLiteral("Label"), 1), QStringLiteral("fox"));
        QCOMPARE(view->cellText(QStringLiteral("Content hash"), 0), view->cellText(QStringLiteral("Content hash"), 1));
        QCOMPARE(view->cellText(QStringLiteral("x"), 1), QStringLiteral("20"));
        QVERIFY(view->table()->item(1, 0)->font().bold()); // the label differs
        QVERIFY(!view->table()->item(0, 0)->font().bold());

        // A modified record differs in content; an added one has no A side.
        clickCategory(page, ComparePage::Kind::Modified);
        clickRecord(page, QStringLiteral("r11"));
        QCOMPARE(view->cellText(QStringLiteral("x"), 0), QStringLiteral("11"));
        QCOMPARE(view->cellText(QStringLiteral("x"), 1), QStringLiteral("1011"));
        clickCategory(page, ComparePage::Kind::Added);
        clickRecord(page, QStringLiteral("d0"));
        QCOMPARE(view->cellText(QStringLiteral("Id"), 0), QStringLiteral("—"));
        QCOMPARE(view->cellText(QStringLiteral("Id"), 1), QStringLiteral("d0"));
    }

    void showsEveryMemberOfADuplicateGroup()
    {
        MainWindow w;
        ComparePage *page = compareFrom(w, m_v2);
        QVERIFY(page);
        clickCategory(page, ComparePage::Kind::Duplicates);
        QCOMPARE(page->records()->model()->rowCount(), 2);
        // Conflicting groups come first.
        QVERIFY(page->records()->model()->index(0, 0).data().toString().contains(QLatin1String("labels differ")));
        clickRecord(page, page->records()->model()->index(0, 0).data().toString());
        RecordComparisonView *view = page->comparison();
        QCOMPARE(view->table()->columnCount(), 2);
        QStringList ids = {view->cellText(QStringLiteral("Id"), 0), view->cellText(QStringLiteral("Id"), 1)};
        ids.sort();
        QCOMPARE(ids, (QStringList{QStringLiteral("d0"), QStringLiteral("r30")}));
        QStringList labels = {view->cellText(QStringLiteral("Label"), 0), view->cellText(QStringLiteral("Label"), 1)};
        labels.sort();
        QCOMPARE(labels, (QStringList{QStringLiteral("cat"), QStringLiteral("fox")}));
    }

    void showsImagesSideBySide()
    {
        MainWindow w;
        ComparePage *page = compareFrom(w, m_img2);
        QVERIFY(page);
        QCOMPARE(page->countText(ComparePage::Kind::Relabelled), QStringLiteral("1"));
        clickCategory(page, ComparePage::Kind::Relabelled);
        clickRecord(page, QStringLiteral("c2"));
        RecordComparisonView *view = page->comparison();
        QCOMPARE(view->cellText(QStringLiteral("Label"), 0), QStringLiteral("cat"));
        QCOMPARE(view->cellText(QStringLiteral("Label"), 1), QStringLiteral("dog"));
        QCOMPARE(view->imageCount(), 2);
    }

    void choosingOtherVersionsRecomputes()
    {
        MainWindow w;
        ComparePage *page = compareFrom(w, m_v2);
        QVERIFY(page);
        QSignalSpy ready(page, &ComparePage::deltaReady);
        auto *b = page->findChild<QComboBox *>(QStringLiteral("compareVersionB"));
        b->setCurrentIndex(b->findData(m_v1)); // A == B: nothing changed
        QVERIFY(ready.wait(20000));
        QCOMPARE(page->countText(ComparePage::Kind::Added), QStringLiteral("0"));
        QCOMPARE(page->countText(ComparePage::Kind::Relabelled), QStringLiteral("0"));
        // Swapping shows the reverse delta: what v2 added, v1 lacks.
        b->setCurrentIndex(b->findData(m_v2));
        QVERIFY(ready.wait(20000));
        QTest::mouseClick(page->findChild<QPushButton *>(QStringLiteral("compareSwapButton")), Qt::LeftButton);
        QVERIFY(ready.wait(20000));
        QCOMPARE(page->versionA(), m_v2);
        QCOMPARE(page->countText(ComparePage::Kind::Removed), QStringLiteral("12"));
        QCOMPARE(page->countText(ComparePage::Kind::Added), QStringLiteral("5"));
    }
};

QTEST_MAIN(TestComparePage)
#include "TestComparePage.moc"
