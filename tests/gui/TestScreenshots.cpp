#include "shell/AboutDialog.h"
#include "compare/ComparePage.h"
#include "GuiTestHelpers.h"
#include "ScreenshotChecks.h"
#include "ingest/IngestDialog.h"
#include "ingest/IngestSourcePanel.h"
#include "shell/MainWindow.h"
#include "versions/RecordTableModel.h"
#include "versions/RecordsPanel.h"
#include "TestSupport.h"
#include "versions/VersionsPage.h"
#include "shell/WelcomePage.h"
#include "WorkspaceFixture.h"
#include "session/WorkspaceSession.h"

#include <QAction>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTableWidget>
#include <QTreeWidget>
#include <QTest>

using namespace custody;
using namespace custody::test;

// Renders each page of a small workspace at a usual window size and checks that each picture shows what the page
// must: its key texts drawn, its tables and images not blank, the selected rows in the selection colour. With
// CUSTODY_SCREENSHOT_DIR set, the pictures are saved there so a person can check that the layouts read well.
class TestScreenshots : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<WorkspaceFixture> m_fixture;
    qint64 m_v2 = 0, m_pets2 = 0;

    static Screenshot shoot(QWidget *widget, const QString &name)
    {
        QTest::qWait(50); // let queued chunk deliveries paint
        const QString dir = qEnvironmentVariable("CUSTODY_SCREENSHOT_DIR");
        const QString path = dir + QLatin1Char('/') + name + QStringLiteral(".png");
        if (!dir.isEmpty() && !saveScreenshot(widget, path))
            QTest::qFail(qPrintable(QStringLiteral("cannot save %1").arg(path)), __FILE__, __LINE__);
        return Screenshot(widget);
    }

    // The compare page's record table marks the row whose values differ (`changed`) in its warning colour, and
    // not a row whose values agree (`same`).
    static void verifyDifferenceMarked(const Screenshot &shot, ComparePage *page, const QString &changed, const QString &same)
    {
        auto *table = page->findChild<QTableWidget *>(QStringLiteral("comparisonTable"));
        QVERIFY(table && table->isVisible() && table->columnCount() == 2);
        const auto rowTitled = [&](const QString &title) {
            for (int row = 0; row < table->rowCount(); ++row)
                if (table->verticalHeaderItem(row)->text() == title)
                    return row;
            return -1;
        };
        const int marked = rowTitled(changed), plain = rowTitled(same);
        QVERIFY(marked >= 0 && plain >= 0);
        const QRgb warning = table->item(marked, 0)->background().color().rgb();
        QVERIFY(table->item(marked, 0)->background().style() != Qt::NoBrush);
        for (int side = 0; side < 2; ++side) {
            const double share = shareOf(shot.part(shot.rectOf(table, table->model()->index(marked, side))), warning);
            QVERIFY2(share > 0.5, qPrintable(QStringLiteral("side %1: %2 of the '%3' cell is marked").arg(side).arg(share).arg(changed)));
            QCOMPARE(shareOf(shot.part(shot.rectOf(table, table->model()->index(plain, side))), warning), 0.0);
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        isolateSettings();
        m_fixture = std::make_unique<WorkspaceFixture>();
        QVERIFY2(m_fixture->isValid(), qPrintable(m_fixture->error()));
        Provenance p;
        p.source = QStringLiteral("https://data.example.org/animals/2025-11/animals.csv");
        p.supplier = QStringLiteral("Example Data Co.");
        p.license = QStringLiteral("CC-BY-4.0");
        p.acquiredAt = QStringLiteral("2025-11-20T09:30:00Z");
        p.note = QStringLiteral("Quarterly delivery, checked against the vendor's SHA-256 list");
        QList<CsvRecord> v1 = numberedRecords(500);
        QVERIFY(m_fixture->ingestCsv(QStringLiteral("animals"), QStringLiteral("v1"), v1, {}, &p));
        QList<CsvRecord> v2 = v1.mid(5);
        for (int i = 10; i < 13; ++i)
            v2[i].label = QStringLiteral("fox");
        v2 += numberedRecords(40, 500);
        CsvRecord copy = v1[30];
        copy.id = QStringLiteral("dup-30");
        copy.label = QStringLiteral("fox");
        v2.append(copy);
        m_v2 = m_fixture->ingestCsv(QStringLiteral("animals"), QStringLiteral("v2"), v2, QStringLiteral("v1"), &p);
        QVERIFY2(m_v2, qPrintable(m_fixture->error()));

        const QString a = m_fixture->filePath(QStringLiteral("pets-v1"));
        const QString b = m_fixture->filePath(QStringLiteral("pets-v2"));
        for (int i = 0; i < 30; ++i) {
            const char *label = i % 2 ? "cat" : "dog";
            QVERIFY(writePng(QStringLiteral("%1/%2/p%3.png").arg(a, label).arg(i), 28, 28, i));
            QVERIFY(writePng(QStringLiteral("%1/%2/p%3.png").arg(b, i == 7 ? "dog" : label).arg(i), 28, 28, i));
        }
        QVERIFY(m_fixture->ingest(QStringLiteral("pets"), QStringLiteral("v1"), {a}, {}, {}, {}));
        m_pets2 = m_fixture->ingest(QStringLiteral("pets"), QStringLiteral("v2"), {b}, QStringLiteral("v1"), {}, {});
        QVERIFY2(m_pets2, qPrintable(m_fixture->error()));
        m_fixture->release();
    }

    void pages()
    {
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        const Screenshot welcome = shoot(&w, QStringLiteral("welcome"));
        VERIFY_SHOT(verifyShows(welcome, QStringLiteral("Keeps machine-learning training data trustworthy")));
        VERIFY_SHOT(verifyShows(welcome, QStringLiteral("New Workspace")));
        VERIFY_SHOT(verifyShows(welcome, QStringLiteral("Open Demo Workspace")));

        QVERIFY(w.openWorkspace(m_fixture->path()));
        w.page<VersionsPage>()->selectVersion(m_v2);
        RecordTableModel *model = w.page<VersionsPage>()->records()->model();
        QTRY_VERIFY(model->isRowLoaded(0));
        auto *records = w.findChild<QAbstractItemView *>(QStringLiteral("recordTable"));
        QVERIFY(records && records->model());
        const Screenshot versions = shoot(&w, QStringLiteral("versions"));
        VERIFY_SHOT(verifySelectionPainted(versions, w.findChild<QAbstractItemView *>(QStringLiteral("versionTimeline"))));
        VERIFY_SHOT(verifyShows(versions, QStringLiteral("animals@v2")));
        VERIFY_SHOT(verifyShows(versions, QStringLiteral("Example Data Co.")));
        VERIFY_SHOT(verifyShows(versions, QStringLiteral("536 records")));
        VERIFY_SHOT(verifyDrawn(versions, records, 50));
        // v2 dropped v1's first five records: its first row is r5, a bird.
        VERIFY_SHOT(verifyCellShows(versions, records, records->model()->index(0, columnTitled(records->model(), QStringLiteral("Id"))), QStringLiteral("r5")));
        VERIFY_SHOT(verifyCellShows(versions, records, records->model()->index(0, columnTitled(records->model(), QStringLiteral("Label"))), QStringLiteral("bird")));

        w.page<VersionsPage>()->selectVersion(m_pets2);
        QTRY_VERIFY(w.page<VersionsPage>()->records()->model()->isRowLoaded(0));
        const Screenshot images = shoot(&w, QStringLiteral("versions-images"));
        VERIFY_SHOT(verifyShows(images, QStringLiteral("pets@v2")));
        VERIFY_SHOT(verifyShows(images, QStringLiteral("30 records")));
        // The thumbnail cell holds the record's picture: a grey gradient of many levels.
        const int thumbnail = columnTitled(records->model(), QStringLiteral("Thumbnail"));
        QVERIFY(thumbnail >= 0);
        const QImage cell = images.part(images.rectOf(records, records->model()->index(0, thumbnail)));
        QSet<QRgb> greys;
        for (int y = 0; y < cell.height(); ++y)
            for (int x = 0; x < cell.width(); ++x)
                if (const QRgb c = cell.pixel(x, y); qRed(c) == qGreen(c) && qGreen(c) == qBlue(c))
                    greys.insert(c);
        QVERIFY2(greys.size() > 32, qPrintable(QString::number(greys.size())));

        w.page<VersionsPage>()->selectVersion(m_v2);
        QSignalSpy ready(w.page<ComparePage>(), &ComparePage::deltaReady);
        w.findChild<QAction *>(QStringLiteral("action_compare"))->trigger();
        QVERIFY(ready.wait(10000));
        ComparePage *page = w.page<ComparePage>();
        page->categories()->setCurrentRow(int(ComparePage::Kind::Relabelled));
        page->records()->setCurrentIndex(page->records()->model()->index(0, 0));
        const Screenshot compare = shoot(&w, QStringLiteral("compare"));
        VERIFY_SHOT(verifyShows(compare, QStringLiteral("5 removed")));
        VERIFY_SHOT(verifyShows(compare, QStringLiteral("3 relabelled")));
        VERIFY_SHOT(verifySelectionPainted(compare, page->categories()));
        VERIFY_SHOT(verifySelectionPainted(compare, page->records()));
        VERIFY_SHOT(verifyDifferenceMarked(compare, page, QStringLiteral("Label"), QStringLiteral("Id")));
        VERIFY_SHOT(verifyShows(compare, QStringLiteral("fox")));

        w.page<VersionsPage>()->selectVersion(m_pets2);
        w.findChild<QAction *>(QStringLiteral("action_compare"))->trigger();
        QVERIFY(ready.wait(10000));
        page->categories()->setCurrentRow(int(ComparePage::Kind::Relabelled));
        page->records()->setCurrentIndex(page->records()->model()->index(0, 0));
        const Screenshot compareImages = shoot(&w, QStringLiteral("compare-images"));
        VERIFY_SHOT(verifyShows(compareImages, QStringLiteral("1 relabelled")));
        VERIFY_SHOT(verifyDifferenceMarked(compareImages, page, QStringLiteral("Label"), QStringLiteral("Content hash")));
        // p7 only changed its label: both sides show the same picture, and it is not blank.
        QWidget *a = page->findChild<QWidget *>(QStringLiteral("comparisonImage0"));
        QWidget *b = page->findChild<QWidget *>(QStringLiteral("comparisonImage1"));
        VERIFY_SHOT(verifyDrawn(compareImages, a, 32));
        VERIFY_SHOT(verifyDrawn(compareImages, b, 32));
        QCOMPARE(compareImages.part(a), compareImages.part(b));
    }

    // CUSTODY_SCREENSHOT_WORKSPACE=DIR: the same pictures of an existing workspace (the demo, a real one),
    // its newest version against its parent.
    void existingWorkspace()
    {
        const QString dir = qEnvironmentVariable("CUSTODY_SCREENSHOT_WORKSPACE");
        if (dir.isEmpty())
            QSKIP("set CUSTODY_SCREENSHOT_WORKSPACE to a workspace folder");
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.openWorkspace(dir));
        const qint64 newest = w.session()->versions().constLast().id;
        w.page<VersionsPage>()->selectVersion(newest);
        QTRY_VERIFY(w.page<VersionsPage>()->records()->model()->isRowLoaded(0));
        VERIFY_SHOT(verifyDrawn(shoot(&w, QStringLiteral("workspace-versions")), w.findChild<QWidget *>(QStringLiteral("recordTable")), 20));
        QSignalSpy ready(w.page<ComparePage>(), &ComparePage::deltaReady);
        w.findChild<QAction *>(QStringLiteral("action_compare"))->trigger();
        QVERIFY(ready.wait(60000));
        ComparePage *page = w.page<ComparePage>();
        page->categories()->setCurrentRow(int(ComparePage::Kind::Duplicates));
        page->records()->setCurrentIndex(page->records()->model()->index(0, 0));
        VERIFY_SHOT(verifySelectionPainted(shoot(&w, QStringLiteral("workspace-compare-duplicates")), page->categories()));
        page->categories()->setCurrentRow(int(ComparePage::Kind::Relabelled));
        page->records()->setCurrentIndex(page->records()->model()->index(0, 0));
        VERIFY_SHOT(verifySelectionPainted(shoot(&w, QStringLiteral("workspace-compare")), page->categories()));
    }

    void aboutDialog()
    {
        AboutDialog dialog;
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        const Screenshot about = shoot(&dialog, QStringLiteral("about"));
        VERIFY_SHOT(verifyShows(about, QStringLiteral("Custody")));
        auto *libraries = dialog.findChild<QTreeWidget *>(QStringLiteral("libraryVersions"));
        QVERIFY(libraries);
        const QStringList names{QStringLiteral("Qt"), QStringLiteral("SQLite"), QStringLiteral("OpenSSL"), QStringLiteral("Eigen")};
        for (int row = 0; row < names.size(); ++row)
            VERIFY_SHOT(verifyCellShows(about, libraries, libraries->model()->index(row, 0), names[row]));
        VERIFY_SHOT(verifyCellShows(about, libraries, libraries->model()->index(0, 1), QString::fromLatin1(qVersion())));
    }

    void ingestDialog()
    {
        WorkspaceSession session;
        QString error;
        QVERIFY(session.open(m_fixture->path(), &error));
        IngestDialog dialog(&session);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        const QString csv = m_fixture->filePath(QStringLiteral("delivery.csv"));
        QVERIFY(writeCsv(csv, numberedRecords(80)));
        dialog.findChild<QLineEdit *>(QStringLiteral("ingestPaths"))->setText(csv);
        QTRY_VERIFY(dialog.findChild<QTableWidget *>(QStringLiteral("ingestPreview"))->rowCount() > 0);
        QTRY_VERIFY(!dialog.source()->isPreviewing());
        const Screenshot ingest = shoot(&dialog, QStringLiteral("ingest"));
        auto *preview = dialog.findChild<QTableWidget *>(QStringLiteral("ingestPreview"));
        VERIFY_SHOT(verifyDrawn(ingest, preview, 20));
        VERIFY_SHOT(verifyCellShows(ingest, preview, preview->model()->index(0, 0), QStringLiteral("r0")));
        VERIFY_SHOT(verifyCellShows(ingest, preview, preview->model()->index(1, 1), QStringLiteral("dog")));
        VERIFY_SHOT(verifyShows(ingest, QStringLiteral("showing the first 50 records")));
        VERIFY_SHOT(verifyShows(ingest, QStringLiteral("v3"))); // the version label it proposes after v1 and v2
    }
};

QTEST_MAIN(TestScreenshots)
#include "TestScreenshots.moc"
