#include "shell/ActionRegistry.h"
#include "GuiTestHelpers.h"
#include "shell/MainWindow.h"
#include "widgets/MessageBar.h"
#include "shell/RecentWorkspaces.h"
#include "versions/VersionsPage.h"
#include "shell/WelcomePage.h"
#include "WorkspaceFixture.h"
#include "session/WorkspaceSession.h"
#include "storage/Database.h"
#include "storage/Workspace.h"

#include <QAction>
#include <QLabel>
#include <QListWidget>
#include <QMimeData>
#include <QPushButton>
#include <QStackedWidget>
#include <QTest>
#include <QUrl>

using namespace custody;
using namespace custody::test;

class TestMainWindow : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<WorkspaceFixture> m_fixture;

    static QAction *action(MainWindow &w, const char *name)
    {
        QAction *a = w.findChild<QAction *>(QLatin1String(name));
        if (!a)
            qWarning("no action %s", name);
        return a;
    }

    static QString statusText(MainWindow &w, const char *name)
    {
        auto *label = w.findChild<QLabel *>(QLatin1String(name));
        return label ? label->text() : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        isolateSettings();
        m_fixture = std::make_unique<WorkspaceFixture>();
        QVERIFY2(m_fixture->isValid(), qPrintable(m_fixture->error()));
        QVERIFY2(m_fixture->ingestCsv(QStringLiteral("animals"), QStringLiteral("v1"), numberedRecords(50)),
                 qPrintable(m_fixture->error()));
        m_fixture->release();
    }

    void init() { RecentWorkspaces().clear(); }

    void everyActionIsNamedWithStandardShortcuts()
    {
        MainWindow w;
        for (QAction *a : w.actionRegistry()->actions())
            QVERIFY2(a->objectName().startsWith(QLatin1String("action_")), qPrintable(a->text()));
        QCOMPARE(action(w, "action_open_workspace")->shortcut(), QKeySequence(QKeySequence::Open));
        QCOMPARE(action(w, "action_new_workspace")->shortcut(), QKeySequence(QKeySequence::New));
        QCOMPARE(action(w, "action_quit")->shortcut(), QKeySequence(QKeySequence::Quit));
        QCOMPARE(action(w, "action_find")->shortcut(), QKeySequence(QKeySequence::Find));
        QCOMPARE(action(w, "action_ingest")->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_I));
        QCOMPARE(action(w, "action_compare")->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_D));
        QCOMPARE(action(w, "action_reload")->shortcut(), QKeySequence(Qt::Key_F5));
        // Nothing that needs a workspace is offered before one is open.
        QVERIFY(!action(w, "action_ingest")->isEnabled());
        QVERIFY(!action(w, "action_compare")->isEnabled());
        QCOMPARE(w.pages()->currentWidget(), w.welcomePage());
    }

    void opensAWorkspaceFromTheRecentList()
    {
        const QString other = m_fixture->filePath(QStringLiteral("elsewhere"));
        QVERIFY(QDir().mkpath(other));
        RecentWorkspaces().add(m_fixture->path());
        RecentWorkspaces().add(other); // most recent first
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QListWidget *recent = w.welcomePage()->recentList();
        QCOMPARE(recent->count(), 2);
        QVERIFY(recent->item(0)->text().contains(QLatin1String("elsewhere")));
        QListWidgetItem *item = recent->item(1);
        QVERIFY(item->text().contains(QDir::toNativeSeparators(m_fixture->path())));

        recent->setCurrentItem(item);
        QTest::keyClick(recent, Qt::Key_Return);
        QCOMPARE(w.pages()->currentWidget(), w.page<VersionsPage>());
        QCOMPARE(statusText(w, "statusWorkspacePath"), QDir::toNativeSeparators(m_fixture->path()));
        QCOMPARE(statusText(w, "statusVersionCount"), QStringLiteral("1 version"));
        QVERIFY(action(w, "action_ingest")->isEnabled());
        QVERIFY(!w.messageBar()->isVisible());
        QCOMPARE(RecentWorkspaces().paths().constFirst(), m_fixture->path());
    }

    void recentListDropsMissingFolders()
    {
        const QString gone = m_fixture->filePath(QStringLiteral("gone"));
        QVERIFY(QDir().mkpath(gone));
        RecentWorkspaces().add(m_fixture->path());
        RecentWorkspaces().add(gone);
        QVERIFY(QDir(gone).removeRecursively());
        MainWindow w;
        QCOMPARE(w.welcomePage()->recentList()->count(), 1);
        QCOMPARE(RecentWorkspaces().paths(), QStringList{m_fixture->path()});
    }

    void opensThroughTheOpenActionAndFileDialog()
    {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto *open = w.welcomePage()->findChild<QPushButton *>(QStringLiteral("welcomeOpenButton"));
        QVERIFY(open);
        QTest::mouseClick(open, Qt::LeftButton);
        QVERIFY(chooseInFileDialog(QStringLiteral("openWorkspaceDialog"), m_fixture->path()));
        QTRY_COMPARE(w.pages()->currentWidget(), w.page<VersionsPage>());
        QCOMPARE(w.session()->path(), m_fixture->path());
    }

    void showsWhyAFolderCannotBeOpened_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain folder") << "folder" << "is not a Custody workspace (it has no custody.db)";
        QTest::newRow("not a database") << "text" << "not an SQLite database";
        QTest::newRow("newer schema") << "newer" << "written by a newer Custody";
        QTest::newRow("missing") << "missing" << "no such folder";
    }

    void showsWhyAFolderCannotBeOpened()
    {
        QFETCH(QString, kind);
        QFETCH(QString, expected);
        QTemporaryDir tmp;
        QString dir = tmp.path();
        if (kind == QLatin1String("text")) {
            QFile f(Workspace::databasePath(dir));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray("this is not a database at all\n").repeated(200));
        } else if (kind == QLatin1String("newer")) {
            Database db;
            QString e;
            QVERIFY(db.open(Workspace::databasePath(dir), Database::Mode::Create, &e));
            QVERIFY(db.exec("PRAGMA application_id = 1129665364; PRAGMA user_version = 99;", &e));
        } else if (kind == QLatin1String("missing")) {
            dir += QStringLiteral("/nowhere");
        }
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(!w.openWorkspace(dir));
        QVERIFY(w.messageBar()->isVisible());
        QCOMPARE(w.messageBar()->kind(), MessageBar::Kind::Error);
        QVERIFY2(w.messageBar()->text().contains(expected), qPrintable(w.messageBar()->text()));
        QCOMPARE(w.pages()->currentWidget(), w.welcomePage());
        QVERIFY(!w.session()->isOpen());
        QVERIFY(RecentWorkspaces().paths().isEmpty());
        // Opening a real one afterwards clears the message.
        QVERIFY(w.openWorkspace(m_fixture->path()));
        QVERIFY(!w.messageBar()->isVisible());
    }

    void droppingAFolderOpensIt()
    {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(m_fixture->path())});
        const QPoint at = w.rect().center();
        QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&w, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&w, &drop);
        QCOMPARE(w.pages()->currentWidget(), w.page<VersionsPage>());
        QCOMPARE(w.session()->path(), m_fixture->path());
    }

    void createsANewWorkspace()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("fresh"));
        QVERIFY(QDir().mkpath(dir));
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        action(w, "action_new_workspace")->trigger();
        QVERIFY(chooseInFileDialog(QStringLiteral("newWorkspaceDialog"), dir));
        QTRY_VERIFY(w.session()->isOpen());
        QVERIFY(Workspace::looksLikeWorkspace(dir));
        QCOMPARE(w.pages()->currentWidget(), w.page<VersionsPage>());
        QCOMPARE(statusText(w, "statusVersionCount"), QStringLiteral("0 versions"));
        // An empty workspace says how to make its first version.
        auto *ingest = w.page<VersionsPage>()->findChild<QPushButton *>(QStringLiteral("emptyIngestButton"));
        QVERIFY(ingest && ingest->isVisible());
        QVERIFY(!action(w, "action_compare")->isEnabled());
        // A second workspace in the same folder is refused with the core's reason.
        QVERIFY(!w.createWorkspace(dir));
        QVERIFY(w.messageBar()->text().contains(QLatin1String("already holds a workspace")));
    }

    void closingReturnsToTheWelcomePage()
    {
        MainWindow w;
        QVERIFY(w.openWorkspace(m_fixture->path()));
        action(w, "action_close_workspace")->trigger();
        QVERIFY(!w.session()->isOpen());
        QCOMPARE(w.pages()->currentWidget(), w.welcomePage());
        QCOMPARE(w.welcomePage()->recentList()->count(), 1);
        QCOMPARE(statusText(w, "statusWorkspacePath"), QStringLiteral("No workspace open"));
    }
};

QTEST_MAIN(TestMainWindow)
#include "TestMainWindow.moc"
