#include "shell/AboutDialog.h"
#include "compare/ComparePage.h"
#include "GuiTestHelpers.h"
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
#include <QTest>

using namespace custody;
using namespace custody::test;

// Renders each page of a small workspace at a usual window size. With CUSTODY_SCREENSHOT_DIR set, the
// pictures are saved there so a person can check that the layouts read well.
class TestScreenshots : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<WorkspaceFixture> m_fixture;
    qint64 m_v2 = 0, m_pets2 = 0;

    void shoot(QWidget *widget, const QString &name)
    {
        QTest::qWait(50); // let queued chunk deliveries paint
        const QImage image = widget->grab().toImage();
        QVERIFY(!image.isNull());
        const QString dir = qEnvironmentVariable("CUSTODY_SCREENSHOT_DIR");
        if (!dir.isEmpty())
            QVERIFY(saveScreenshot(widget, dir + QLatin1Char('/') + name + QStringLiteral(".png")));
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
        shoot(&w, QStringLiteral("welcome"));

        QVERIFY(w.openWorkspace(m_fixture->path()));
        w.page<VersionsPage>()->selectVersion(m_v2);
        RecordTableModel *model = w.page<VersionsPage>()->records()->model();
        QTRY_VERIFY(model->isRowLoaded(0));
        shoot(&w, QStringLiteral("versions"));

        w.page<VersionsPage>()->selectVersion(m_pets2);
        QTRY_VERIFY(w.page<VersionsPage>()->records()->model()->isRowLoaded(0));
        shoot(&w, QStringLiteral("versions-images"));

        w.page<VersionsPage>()->selectVersion(m_v2);
        QSignalSpy ready(w.page<ComparePage>(), &ComparePage::deltaReady);
        w.findChild<QAction *>(QStringLiteral("action_compare"))->trigger();
        QVERIFY(ready.wait(10000));
        ComparePage *page = w.page<ComparePage>();
        page->categories()->setCurrentRow(int(ComparePage::Kind::Relabelled));
        page->records()->setCurrentIndex(page->records()->model()->index(0, 0));
        shoot(&w, QStringLiteral("compare"));

        w.page<VersionsPage>()->selectVersion(m_pets2);
        w.findChild<QAction *>(QStringLiteral("action_compare"))->trigger();
        QVERIFY(ready.wait(10000));
        page->categories()->setCurrentRow(int(ComparePage::Kind::Relabelled));
        page->records()->setCurrentIndex(page->records()->model()->index(0, 0));
        shoot(&w, QStringLiteral("compare-images"));
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
        shoot(&w, QStringLiteral("workspace-versions"));
        QSignalSpy ready(w.page<ComparePage>(), &ComparePage::deltaReady);
        w.findChild<QAction *>(QStringLiteral("action_compare"))->trigger();
        QVERIFY(ready.wait(60000));
        ComparePage *page = w.page<ComparePage>();
        page->categories()->setCurrentRow(int(ComparePage::Kind::Duplicates));
        page->records()->setCurrentIndex(page->records()->model()->index(0, 0));
        shoot(&w, QStringLiteral("workspace-compare-duplicates"));
        page->categories()->setCurrentRow(int(ComparePage::Kind::Relabelled));
        page->records()->setCurrentIndex(page->records()->model()->index(0, 0));
        shoot(&w, QStringLiteral("workspace-compare"));
    }

    void aboutDialog()
    {
        AboutDialog dialog;
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        shoot(&dialog, QStringLiteral("about"));
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
        shoot(&dialog, QStringLiteral("ingest"));
    }
};

QTEST_MAIN(TestScreenshots)
#include "TestScreenshots.moc"
