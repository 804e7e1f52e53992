#include "GuiSigning.h"
#include "identity/Identity.h"
#include "identity/IdentitySetupDialog.h"
#include "ledger/LedgerEventModel.h"
#include "ledger/LedgerPage.h"
#include "shell/MainWindow.h"
#include "identity/PassphraseDialog.h"
#include "ledger/PrincipalsDialog.h"
#include "ScreenshotChecks.h"
#include "signoff/SignOffPage.h"
#include "workflow/OpenWorkspace.h"

#include <QAction>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace custody;
using namespace custody::test;

// Renders the sign-off and ledger pages and their dialogs for a small signed workspace, as TestScreenshots
// does for the other pages, and checks each picture shows what it must (the policy's texts, a refusal in red, a
// disabled button drawn as such, the selected event, a passphrase never in clear): with CUSTODY_SCREENSHOT_DIR set
// the pictures are saved there.
class TestSignOffScreenshots : public QObject
{
    Q_OBJECT

private:
    TestKeys m_keys;
    QTemporaryDir m_checkpoints;
    std::unique_ptr<WorkspaceFixture> m_fixture;

    static Screenshot shoot(QWidget *widget, const QString &name)
    {
        QTest::qWait(50);
        const QString dir = qEnvironmentVariable("CUSTODY_SCREENSHOT_DIR");
        const QString path = dir + QLatin1Char('/') + name + QStringLiteral(".png");
        if (!dir.isEmpty() && !saveScreenshot(widget, path))
            QTest::qFail(qPrintable(QStringLiteral("cannot save %1").arg(path)), __FILE__, __LINE__);
        return Screenshot(widget);
    }

    // The label showing exactly `text` is drawn in red (the refusal colour): enough of its pixels are reddish.
    static void verifyRed(const Screenshot &shot, QWidget *root, const QString &text)
    {
        QLabel *label = nullptr;
        for (QLabel *l : root->findChildren<QLabel *>())
            if (l->isVisible() && l->text() == text)
                label = l;
        QVERIFY2(label, qPrintable(text));
        const QImage part = shot.part(label);
        int red = 0;
        for (int y = 0; y < part.height(); ++y)
            for (int x = 0; x < part.width(); ++x)
                red += qRed(part.pixel(x, y)) > 140 && qGreen(part.pixel(x, y)) < 100 && qBlue(part.pixel(x, y)) < 100;
        QVERIFY2(red > 20, qPrintable(QStringLiteral("'%1': %2 red pixels").arg(text).arg(red)));
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
        QPushButton *approve = w.page<SignOffPage>()->approveButton();
        const Screenshot signoff = shoot(&w, QStringLiteral("signoff"));
        VERIFY_SHOT(verifyShows(signoff, QStringLiteral("You are abe here (approver).")));
        VERIFY_SHOT(verifyShows(signoff, QStringLiteral("Submitted for approval by cora")));
        VERIFY_SHOT(verifyShows(signoff, QStringLiteral("5 decisions: 1 keep · 3 exclude · 1 relabel")));
        VERIFY_SHOT(verifyShows(signoff, QStringLiteral("1 of 2 required approvals: ada")));
        VERIFY_SHOT(verifyShows(signoff, QStringLiteral("Refused by rule 'no-decider-approval'")));
        VERIFY_SHOT(verifyRed(signoff, &w, QStringLiteral("may not approve")));
        QVERIFY(approve->isEnabled());
        VERIFY_SHOT(verifyDrawn(signoff, approve, 8));
        const QImage enabledButton = signoff.part(approve);

        QVERIFY(w.identity()->choose(QStringLiteral("root"), &error));
        QTRY_VERIFY(approve->toolTip().contains(QLatin1String("rule 'role'")));
        const Screenshot notAllowed = shoot(&w, QStringLiteral("signoff-not-allowed"));
        VERIFY_SHOT(verifyShows(notAllowed, QStringLiteral("You are root here (admin).")));
        VERIFY_SHOT(verifyShows(notAllowed, QStringLiteral("Why you (root) may not approve: Refused by rule 'role'")));
        // The same button, disabled, is drawn differently: its text greyed out.
        QVERIFY(!approve->isEnabled());
        VERIFY_SHOT(verifyDrawn(notAllowed, approve, 8));
        QVERIFY(notAllowed.part(approve) != enabledButton);

        QVERIFY(w.identity()->choose(QStringLiteral("abe"), &error));
        QSignalSpy verified(w.page<LedgerPage>(), &LedgerPage::verified);
        w.findChild<QAction *>(QStringLiteral("action_verify"))->trigger();
        QVERIFY(verified.wait(20000));
        LedgerEventModel *model = w.page<LedgerPage>()->model();
        QTRY_VERIFY(!w.page<LedgerPage>()->isLoading() && model->rowCount() > 0);
        w.page<LedgerPage>()->table()->setCurrentIndex(model->index(model->rowCount() - 1, 0));
        const Screenshot ledger = shoot(&w, QStringLiteral("ledger"));
        VERIFY_SHOT(verifyShows(ledger, QStringLiteral("Verified: 14 events, 13 signed, 2 versions, all hashes match")));
        VERIFY_SHOT(verifySelectionPainted(ledger, w.page<LedgerPage>()->table()));
        const QModelIndex lastEvent = model->index(model->rowCount() - 1, columnTitled(model, QStringLiteral("Event")));
        VERIFY_SHOT(verifyCellShows(ledger, w.page<LedgerPage>()->table(), lastEvent, QStringLiteral("batch.approved")));
        VERIFY_SHOT(verifyShows(ledger, QStringLiteral("\"type\": \"batch.approved\""))); // the selected event's payload

        approve->click();
        auto *passphrase = waitForTopLevel<PassphraseDialog>(QStringLiteral("passphraseDialog"));
        QVERIFY(passphrase);
        QTest::keyClicks(passphrase->findChild<QLineEdit *>(QStringLiteral("passphraseField")), QStringLiteral("s3cret-pass"));
        const Screenshot asked = shoot(passphrase, QStringLiteral("passphrase"));
        VERIFY_SHOT(verifyShows(asked, QStringLiteral("Approve animals@v2 as abe")));
        VERIFY_SHOT(verifyDrawn(asked, passphrase->findChild<QLineEdit *>(QStringLiteral("passphraseField")), 4));
        QVERIFY(asked.whereShown(QStringLiteral("s3cret")).isEmpty()); // typed, drawn as bullets only
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
        const Screenshot identitySetup = shoot(&setup, QStringLiteral("identity-setup"));
        VERIFY_SHOT(verifyShows(identitySetup, QStringLiteral("Create a new key")));
        auto *name = setup.findChild<QLineEdit *>(QStringLiteral("identityName"));
        QCOMPARE(name->displayText(), QStringLiteral("ada"));
        VERIFY_SHOT(verifyDrawn(identitySetup, name, 4));
        VERIFY_SHOT(verifyDrawn(identitySetup, setup.findChild<QLineEdit *>(QStringLiteral("identityPassphrase")), 4));
        QVERIFY(identitySetup.whereShown(QStringLiteral("Tr0ub4dor")).isEmpty());

        MainWindow w(m_keys.directory());
        QString error;
        QVERIFY(w.identity()->choose(QStringLiteral("root"), &error));
        QVERIFY(w.openWorkspace(m_fixture->path()));
        w.show();
        w.findChild<QAction *>(QStringLiteral("action_manage_principals"))->trigger();
        auto *principals = waitForTopLevel<PrincipalsDialog>(QStringLiteral("principalsDialog"));
        QVERIFY(principals);
        const Screenshot people = shoot(principals, QStringLiteral("principals"));
        auto *list = principals->findChild<QAbstractItemView *>(QStringLiteral("principalsList"));
        QVERIFY(list);
        const QStringList names{QStringLiteral("root (you)"), QStringLiteral("cora"), QStringLiteral("cole"), QStringLiteral("ada"), QStringLiteral("abe")};
        for (int row = 0; row < names.size(); ++row)
            VERIFY_SHOT(verifyCellShows(people, list, list->model()->index(row, 0), names[row]));
        VERIFY_SHOT(verifyCellShows(people, list, list->model()->index(2, 1), QStringLiteral("curator, approver")));
    }
};

QTEST_MAIN(TestSignOffScreenshots)
#include "TestSignOffScreenshots.moc"
