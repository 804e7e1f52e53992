#include "GuiTestHelpers.h"
#include "shell/MainWindow.h"
#include "versions/RecordTableModel.h"
#include "versions/RecordsPanel.h"
#include "versions/VersionDetailsView.h"
#include "versions/VersionTimeline.h"
#include "versions/VersionsPage.h"
#include "WorkspaceFixture.h"
#include "session/WorkspaceSession.h"
#include "storage/Workspace.h"

#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QStackedWidget>
#include <QTableView>
#include <QTest>
#include <QTreeWidget>

using namespace custody;
using namespace custody::test;

class TestVersionsPage : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<WorkspaceFixture> m_fixture;
    qint64 m_v1 = 0, m_v2 = 0, m_birds = 0;

    static void clickItem(QTreeWidget *tree, QTreeWidgetItem *item)
    {
        tree->scrollToItem(item);
        QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, tree->visualItemRect(item).center());
    }

private Q_SLOTS:
    void initTestCase()
    {
        isolateSettings();
        m_fixture = std::make_unique<WorkspaceFixture>();
        QVERIFY2(m_fixture->isValid(), qPrintable(m_fixture->error()));
        Provenance p;
        p.source = QStringLiteral("https://example.org/animals.csv");
        p.supplier = QStringLiteral("Example Vendor");
        p.license = QStringLiteral("CC-BY-4.0");
        p.acquiredAt = QStringLiteral("2025-11-20T09:30:00Z");
        p.note = QStringLiteral("first delivery");
        m_v1 = m_fixture->ingestCsv(QStringLiteral("animals"), QStringLiteral("v1"), numberedRecords(100), {}, &p);
        QVERIFY2(m_v1, qPrintable(m_fixture->error()));
        m_v2 = m_fixture->ingestCsv(QStringLiteral("animals"), QStringLiteral("v2"), numberedRecords(120),
                                    QStringLiteral("v1"));
        QVERIFY2(m_v2, qPrintable(m_fixture->error()));
        m_birds = m_fixture->ingestCsv(QStringLiteral("birds"), QStringLiteral("2025-11"), numberedRecords(7));
        QVERIFY2(m_birds, qPrintable(m_fixture->error()));
        m_fixture->release();
    }

    void timelineGroupsVersionsByDataset()
    {
        MainWindow w;
        QVERIFY(w.openWorkspace(m_fixture->path()));
        VersionTimeline *timeline = w.page<VersionsPage>()->timeline();
        QCOMPARE(timeline->topLevelItemCount(), 2);
        QTreeWidgetItem *animals = timeline->topLevelItem(0);
        QCOMPARE(animals->text(VersionTimeline::LabelColumn), QStringLiteral("animals"));
        QCOMPARE(animals->childCount(), 2);
        QCOMPARE(animals->child(0)->text(VersionTimeline::LabelColumn), QStringLiteral("v1")); // creation order
        QCOMPARE(animals->child(1)->text(VersionTimeline::LabelColumn), QStringLiteral("v2"));
        QCOMPARE(animals->child(1)->text(VersionTimeline::RecordsColumn), QStringLiteral("120"));
        QCOMPARE(animals->child(0)->text(VersionTimeline::LineageColumn), QStringLiteral("first version"));
        QCOMPARE(animals->child(1)->text(VersionTimeline::LineageColumn), QStringLiteral("v1 → v2"));
        const DatasetVersion v2 = *w.session()->findVersion(m_v2);
        QCOMPARE(animals->child(1)->text(VersionTimeline::DigestColumn), toHex(v2.digest).left(12));
        QCOMPARE(timeline->topLevelItem(1)->child(0)->text(VersionTimeline::LabelColumn), QStringLiteral("2025-11"));
        // It starts on the newest version of the first dataset.
        QCOMPARE(w.page<VersionsPage>()->currentVersionId(), m_v2);
    }

    void selectingAVersionShowsItsProvenance()
    {
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.openWorkspace(m_fixture->path()));
        VersionTimeline *timeline = w.page<VersionsPage>()->timeline();
        clickItem(timeline, timeline->itemForVersion(m_v1));
        QCOMPARE(w.page<VersionsPage>()->currentVersionId(), m_v1);

        VersionDetailsView *details = w.page<VersionsPage>()->details();
        const DatasetVersion v1 = *w.session()->findVersion(m_v1);
        QCOMPARE(details->findChild<QLabel *>(QStringLiteral("versionTitle"))->text(), QStringLiteral("animals@v1"));
        QCOMPARE(details->fieldText(QStringLiteral("source")), QStringLiteral("https://example.org/animals.csv"));
        QCOMPARE(details->fieldText(QStringLiteral("supplier")), QStringLiteral("Example Vendor"));
        QCOMPARE(details->fieldText(QStringLiteral("license")), QStringLiteral("CC-BY-4.0"));
        QCOMPARE(details->fieldText(QStringLiteral("acquired")), QStringLiteral("2025-11-20T09:30:00Z"));
        QCOMPARE(details->fieldText(QStringLiteral("note")), QStringLiteral("first delivery"));
        QVERIFY(!details->fieldText(QStringLiteral("ingestedBy")).isEmpty());
        QCOMPARE(details->fieldText(QStringLiteral("records")), QStringLiteral("100"));
        QCOMPARE(details->fieldText(QStringLiteral("format")), QStringLiteral("csv"));
        QVERIFY2(details->fieldText(QStringLiteral("schema")).contains(QLatin1String("colour (category)")),
                 qPrintable(details->fieldText(QStringLiteral("schema"))));
        QCOMPARE(details->fieldText(QStringLiteral("digest")), toHex(v1.digest));
        QCOMPARE(details->fieldText(QStringLiteral("merkleRoot")), toHex(v1.merkleRoot));
        // The digests are selectable text a person can copy.
        auto *digest = details->findChild<QLineEdit *>(QStringLiteral("detail_digest"));
        QVERIFY(digest && digest->isReadOnly());
        auto *files = details->findChild<QTreeWidget *>(QStringLiteral("versionFiles"));
        QVERIFY(files->topLevelItemCount() >= 1);
        QCOMPARE(files->topLevelItem(0)->text(0), QStringLiteral("data"));
        QVERIFY(files->topLevelItem(0)->text(1).endsWith(QLatin1String(".csv")));

        // Its records are below, 100 of them, the first one r0.
        RecordsPanel *records = w.page<VersionsPage>()->records();
        QCOMPARE(records->model()->rowCount(), 100);
        QTRY_COMPARE(records->model()->data(records->model()->index(0, RecordTableModel::IdColumn)).toString(),
                     QStringLiteral("r0"));
        QVERIFY(records->table()->isVisible());

        // Selecting the child shows the parent in the lineage.
        clickItem(timeline, timeline->itemForVersion(m_v2));
        QCOMPARE(details->fieldText(QStringLiteral("parent")), QStringLiteral("animals@v1"));
        QCOMPARE(records->model()->rowCount(), 120);
    }

    void findFocusesTheRecordFilter()
    {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QVERIFY(w.openWorkspace(m_fixture->path()));
        QTest::keySequence(&w, QKeySequence(QKeySequence::Find));
        QLineEdit *filter = w.page<VersionsPage>()->records()->filterEdit();
        QTRY_COMPARE(QApplication::focusWidget(), filter);
        QTest::keyClicks(filter, QStringLiteral("r11"));
        QTRY_COMPARE(w.page<VersionsPage>()->records()->model()->rowCount(), 11); // r11, r110..r119
    }

    void reloadPicksUpVersionsMadeElsewhere()
    {
        MainWindow w;
        QVERIFY(w.openWorkspace(m_fixture->path()));
        QCOMPARE(w.session()->versions().size(), 3);
        // Another process (the CLI, a pipeline) adds a version while the window is open.
        WorkspaceFixture &f = *m_fixture;
        const qint64 v3 = f.ingestCsv(QStringLiteral("animals"), QStringLiteral("v3"), numberedRecords(5),
                                      QStringLiteral("v2"));
        QVERIFY2(v3, qPrintable(f.error()));
        f.release();
        w.findChild<QAction *>(QStringLiteral("action_reload"))->trigger();
        QCOMPARE(w.session()->versions().size(), 4);
        QVERIFY(w.page<VersionsPage>()->timeline()->itemForVersion(v3));
        QCOMPARE(w.findChild<QLabel *>(QStringLiteral("statusVersionCount"))->text(), QStringLiteral("4 versions"));
    }
};

QTEST_MAIN(TestVersionsPage)
#include "TestVersionsPage.moc"
