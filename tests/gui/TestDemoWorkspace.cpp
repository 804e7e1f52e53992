#include "shell/DemoBuildDialog.h"
#include "GuiTestHelpers.h"
#include "shell/MainWindow.h"
#include "widgets/MessageBar.h"
#include "versions/VersionsPage.h"
#include "session/WorkspaceSession.h"
#include "demo/DemoWorkspace.h"
#include "storage/Workspace.h"

#include <QPointer>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QStackedWidget>
#include <QTest>
#include <QTimer>

using namespace custody;
using namespace custody::test;

// custody --demo: the demo workspace is built on a worker thread behind a progress dialog while the window
// keeps handling events, then opened; Cancel stops it and leaves nothing behind.
class TestDemoWorkspace : public QObject
{
    Q_OBJECT

private:
    static DemoOptions smallOptions()
    {
        DemoOptions options;
        options.baselineSize = 400;
        options.newCleanSize = 60;
        options.flippedLabels = 6;
        options.conflictingCopies = 4;
        return options;
    }

private Q_SLOTS:
    void initTestCase()
    {
        isolateSettings();
        if (!QFileInfo(DemoOptions().fashionMnistDir).isDir())
            QSKIP("the Fashion-MNIST files are not installed");
    }

    void buildsInTheBackgroundThenOpens()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("demo"));
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        // The GUI thread keeps turning while the demo is built: timer ticks arrive while the build runs.
        QPointer<DemoBuildDialog> dialog;
        int ticksWhileBuilding = 0;
        QTimer tick;
        connect(&tick, &QTimer::timeout, this, [&] {
            if (dialog && dialog->isRunning())
                ++ticksWhileBuilding;
        });
        tick.start(5);
        w.openDemoWorkspace(dir, smallOptions());
        dialog = waitForTopLevel<DemoBuildDialog>(QStringLiteral("demoBuildDialog"));
        QVERIFY(dialog);
        QVERIFY(dialog->isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(w.session()->isOpen(), 120000);
        tick.stop();
        QVERIFY(ticksWhileBuilding > 0);
        QCOMPARE(w.session()->path(), dir);
        QCOMPARE(w.pages()->currentWidget(), w.page<VersionsPage>());
        QVERIFY(w.session()->findVersion(VersionRef{QStringLiteral("fashion"), QStringLiteral("v1")}));
        QVERIFY(w.session()->findVersion(VersionRef{QStringLiteral("fashion"), QStringLiteral("v2")}));
        QTRY_VERIFY(!findTopLevel<DemoBuildDialog>(QStringLiteral("demoBuildDialog")));

        // A second --demo opens what exists instead of building again.
        MainWindow again;
        again.openDemoWorkspace(dir, smallOptions());
        QVERIFY(again.session()->isOpen());
        QVERIFY(!findTopLevel<DemoBuildDialog>(QStringLiteral("demoBuildDialog")));
    }

    void cancelLeavesNothing()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("demo"));
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.openDemoWorkspace(dir, DemoOptions()); // full size: long enough to cancel
        auto *dialog = waitForTopLevel<DemoBuildDialog>(QStringLiteral("demoBuildDialog"));
        QVERIFY(dialog);
        auto *phase = dialog->findChild<QLabel *>(QStringLiteral("demoPhase"));
        QTRY_VERIFY(phase->text() != QStringLiteral("Starting…"));
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("demoCancelButton")), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!findTopLevel<DemoBuildDialog>(QStringLiteral("demoBuildDialog")), 60000);
        QVERIFY(!w.session()->isOpen());
        QVERIFY(w.messageBar()->isVisible());
        QVERIFY2(w.messageBar()->text().contains(QLatin1String("cancelled")), qPrintable(w.messageBar()->text()));
        QVERIFY(!Workspace::looksLikeWorkspace(dir));
    }
};

QTEST_MAIN(TestDemoWorkspace)
#include "TestDemoWorkspace.moc"
