#include "GuiSigning.h"
#include "identity/Identity.h"
#include "identity/IdentitySetupDialog.h"
#include "ledger/LedgerEventModel.h"
#include "ledger/LedgerPage.h"
#include "shell/MainWindow.h"
#include "identity/PassphraseDialog.h"
#include "ledger/PrincipalsDialog.h"
#include "signoff/SignOffPage.h"
#include "workflow/OpenWorkspace.h"

#include <QAction>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace custody;
using namespace custody::test;

// Renders the sign-off and ledger pages and their dialogs for a small signed workspace, as TestScreenshots
// does for the other pages: with CUSTODY_SCREENSHOT_DIR set the pictures are saved there.
class TestSignOffScreenshots : public QObject
{
    Q_OBJECT

private:
    TestKeys m_keys;
    QTemporaryDir m_checkpoints;
    std::unique_ptr<WorkspaceFixture> m_fixture;

    void shoot(QWidget *widget, const QString &name)
    {
        QTest::qWait(50);
        const QImage image = widget->grab().toImage();
        QVERIFY(!image.isNull());
        const QString dir = qEnvironmentVariable("CUSTODY_SCREENSHOT_DIR");
        if (!dir.isEmpty())
            QVERIFY(saveScreenshot(widget, dir + QLatin1Char('/') + name + QStringLiteral(".png")));
    }

private Q_SLOTS:
    void initTestCase()
    {
        isolateSettingsFor("TestSignOffScreenshots");
        setRememberedCheckpointDirectory(m_checkpoints.path());
        QString error;
        QVERIFY2(addTeam(m_keys, {QStringLiteral("abe"), QStringLiteral("root")}, &error), qPrintable(error));
        m_fixture = std::make_unique<WorkspaceFixture>();
        QVERIFY2(buildSignedWorkspace(*m_fixture, m_keys, &error), qPrintable(error));
        // cole took one decision too, so the policy keeps him from approving.
        SignOff signOff(m_fixture->workspace());
        const VersionRef v2{QStringLiteral("animals"), QStringLiteral("v2")};
        QVERIFY(signOff.decide(m_keys.key(QStringLiteral("cole")), v2, QStringLiteral("r104"), QStringLiteral("exclude"), {},
                               QStringLiteral("near-duplicate of r4 with a different label"), &error));
        QVERIFY(signOff.submit(m_keys.key(QStringLiteral("cora")), v2, &error));
        QVERIFY(signOff.approve(m_keys.key(QStringLiteral("ada")), v2, &error));
        m_fixture->release();
    }

    void pages()
    {
        MainWindow w(m_keys.directory());
        w.resize(1280, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QString error;
        QVERIFY(w.identity()->choose(QStringLiteral("abe"), &error));
        QVERIFY(w.openWorkspace(m_fixture->path()));
        w.findChild<QAction *>(QStringLiteral("action_show_signoff"))->trigger();
        QVERIFY(w.page<SignOffPage>()->selectVersion(QStringLiteral("animals@v2")));
        QTRY_VERIFY(!w.page<SignOffPage>()->isComputingChanges());
        shoot(&w, QStringLiteral("signoff"));

        QVERIFY(w.identity()->choose(QStringLiteral("root"), &error));
        QTRY_VERIFY(w.page<SignOffPage>()->approveButton()->toolTip().contains(QLatin1String("rule 'role'")));
        shoot(&w, QStringLiteral("signoff-not-allowed"));

        QVERIFY(w.identity()->choose(QStringLiteral("abe"), &error));
        QSignalSpy verified(w.page<LedgerPage>(), &LedgerPage::verified);
        w.findChild<QAction *>(QStringLiteral("action_verify"))->trigger();
        QVERIFY(verified.wait(20000));
        LedgerEventModel *model = w.page<LedgerPage>()->model();
        QTRY_VERIFY(!w.page<LedgerPage>()->isLoading() && model->rowCount() > 0);
        w.page<LedgerPage>()->table()->setCurrentIndex(model->index(model->rowCount() - 1, 0));
        shoot(&w, QStringLiteral("ledger"));

        w.page<SignOffPage>()->approveButton()->click();
        auto *passphrase = waitForTopLevel<PassphraseDialog>(QStringLiteral("passphraseDialog"));
        QVERIFY(passphrase);
        shoot(passphrase, QStringLiteral("passphrase"));
        passphrase->reject();
    }

    void dialogs()
    {
        QTemporaryDir keys;
        Identity identity(keys.path());
        IdentitySetupDialog setup(&identity);
        setup.show();
        QVERIFY(QTest::qWaitForWindowExposed(&setup));
        setup.findChild<QLineEdit *>(QStringLiteral("identityName"))->setText(QStringLiteral("ada"));
        setup.findChild<QLineEdit *>(QStringLiteral("identityPassphrase"))->setText(QStringLiteral("Tr0ub4dor&3x"));
        shoot(&setup, QStringLiteral("identity-setup"));

        MainWindow w(m_keys.directory());
        QString error;
        QVERIFY(w.identity()->choose(QStringLiteral("root"), &error));
        QVERIFY(w.openWorkspace(m_fixture->path()));
        w.show();
        w.findChild<QAction *>(QStringLiteral("action_manage_principals"))->trigger();
        auto *principals = waitForTopLevel<PrincipalsDialog>(QStringLiteral("principalsDialog"));
        QVERIFY(principals);
        shoot(principals, QStringLiteral("principals"));
    }
};

QTEST_MAIN(TestSignOffScreenshots)
#include "TestSignOffScreenshots.moc"
