#include "GuiSigning.h"
#include "identity/Identity.h"
#include "widgets/IntegrityBanner.h"
#include "ledger/LedgerPage.h"
#include "shell/MainWindow.h"
#include "ledger/PrincipalsDialog.h"
#include "signoff/SignOffPage.h"
#include "session/WorkspaceSession.h"
#include "widgets/MessageBar.h"
#include "workflow/OpenWorkspace.h"

#include <QAction>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

using namespace custody;
using namespace custody::test;

// A workspace whose ledger no longer extends the checkpoint this user remembered (an older copy of the
// database put back) is shown as such, prominently, and nothing that writes can be started.
class TestReadOnlyWorkspace : public QObject
{
    Q_OBJECT

private:
    TestKeys m_keys;
    QTemporaryDir m_checkpoints;
    std::unique_ptr<WorkspaceFixture> m_fixture;

    static QAction *action(MainWindow &w, const char *name) { return w.findChild<QAction *>(QLatin1String(name)); }

private Q_SLOTS:
    void initTestCase()
    {
        isolateSettingsFor("TestReadOnlyWorkspace");
        setRememberedCheckpointDirectory(m_checkpoints.path());
        QString error;
        QVERIFY2(addTeam(m_keys, {QStringLiteral("cora")}, &error), qPrintable(error));
        m_fixture = std::make_unique<WorkspaceFixture>();
        QVERIFY2(buildSignedWorkspace(*m_fixture, m_keys, &error), qPrintable(error));
        m_fixture->release(); // closing remembers the ledger as it is (11 events)

        const QString db = Workspace::databasePath(m_fixture->path());
        const QString backup = m_fixture->filePath(QStringLiteral("custody.db.bak"));
        QVERIFY(!QFile::exists(db + QStringLiteral("-wal")) || QFile(db + QStringLiteral("-wal")).size() == 0);
        QVERIFY(QDir().mkpath(QFileInfo(backup).path()));
        QVERIFY(QFile::copy(db, backup));
        QVERIFY2(signAs(*m_fixture, m_keys.key(QStringLiteral("cora")), QStringLiteral("submit"), &error), qPrintable(error));
        m_fixture->release(); // now 12 events are remembered
        for (const char *suffix : {"", "-wal", "-shm"})
            QFile::remove(db + QLatin1String(suffix));
        QVERIFY(QFile::copy(backup, db)); // the older copy is put back
    }

    void showsTheProblemAndDisablesWriting()
    {
        MainWindow w(m_keys.directory());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QString error;
        QVERIFY(w.identity()->choose(QStringLiteral("cora"), &error));
        QVERIFY(w.openWorkspace(m_fixture->path()));
        QVERIFY(!w.session()->integrityProblem().isEmpty());
        QVERIFY(w.session()->isReadOnly());
        IntegrityBanner *banner = w.integrityBanner();
        QVERIFY(banner->isVisible());
        QVERIFY2(banner->text().contains(QLatin1String("read-only")), qPrintable(banner->text()));
        QVERIFY(banner->text().contains(QLatin1String("truncated or rolled back")));

        QVERIFY(!action(w, "action_ingest")->isEnabled());
        QVERIFY(!action(w, "action_make_signed")->isEnabled());
        QVERIFY(!action(w, "action_export_checkpoint")->isEnabled());
        QVERIFY(action(w, "action_export_checkpoint")->toolTip().contains(QLatin1String("read-only")));

        action(w, "action_show_signoff")->trigger();
        SignOffPage *page = w.page<SignOffPage>();
        QVERIFY(page->selectVersion(QStringLiteral("animals@v2")));
        if (const QString dir = qEnvironmentVariable("CUSTODY_SCREENSHOT_DIR"); !dir.isEmpty()) {
            QTest::qWait(100); // layouts and the delta settle as they would on screen
            QVERIFY(saveScreenshot(&w, dir + QStringLiteral("/signoff-read-only.png")));
        }
        for (QPushButton *button : {page->submitButton(), page->approveButton(), page->vetoButton(), page->releaseButton()}) {
            QVERIFY(!button->isEnabled());
            QVERIFY2(button->toolTip().contains(QLatin1String("read-only")), qPrintable(button->toolTip()));
        }

        action(w, "action_manage_principals")->trigger();
        auto *principals = waitForTopLevel<PrincipalsDialog>(QStringLiteral("principalsDialog"));
        QVERIFY(principals);
        auto *add = principals->findChild<QPushButton *>(QStringLiteral("principalsAddButton"));
        QVERIFY(!add->isEnabled());
        QVERIFY(add->toolTip().contains(QLatin1String("read-only")));
        principals->reject();

        // Looking is still allowed, and verification says the same.
        QVERIFY(action(w, "action_verify")->isEnabled());
        QSignalSpy verified(w.page<LedgerPage>(), &LedgerPage::verified);
        action(w, "action_verify")->trigger();
        QVERIFY(verified.wait(20000));
        QCOMPARE(verified.constFirst().constFirst().toBool(), false);
        QVERIFY2(w.page<LedgerPage>()->verifyResult().contains(QLatin1String("truncated or rolled back")), qPrintable(w.page<LedgerPage>()->verifyResult()));

        // Another workspace clears the banner.
        action(w, "action_close_workspace")->trigger();
        QVERIFY(!banner->isVisible());
    }

    // A copy (cp -a) is neither a roll-back nor silent: the window says where the other copy is, and writes.
    void aCopyIsNamedAndStaysWritable()
    {
        WorkspaceFixture original;
        QString error;
        QVERIFY2(buildSignedWorkspace(original, m_keys, &error), qPrintable(error));
        original.release();
        const QString copy = m_checkpoints.filePath(QStringLiteral("copy-of-workspace"));
        QCOMPARE(QProcess::execute(QStringLiteral("cp"), {QStringLiteral("-a"), original.path(), copy}), 0);
        MainWindow w(m_keys.directory());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.openWorkspace(copy));
        QVERIFY(w.session()->integrityProblem().isEmpty());
        QVERIFY(!w.session()->isReadOnly());
        QVERIFY(!w.integrityBanner()->isVisible());
        QVERIFY(w.messageBar()->isVisible());
        QVERIFY2(w.messageBar()->text().contains(QStringLiteral("a copy of this workspace (same identity) is at %1")
                                                     .arg(QFileInfo(original.path()).canonicalFilePath()))
                     && w.messageBar()->text().contains(QLatin1String("--adopt-copy")),
                 qPrintable(w.messageBar()->text()));
        QVERIFY(action(w, "action_ingest")->isEnabled());
    }
};

QTEST_MAIN(TestReadOnlyWorkspace)
#include "TestReadOnlyWorkspace.moc"
