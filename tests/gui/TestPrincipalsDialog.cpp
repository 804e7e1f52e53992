#include "GuiSigning.h"
#include "identity/Identity.h"
#include "shell/MainWindow.h"
#include "ledger/PrincipalsDialog.h"
#include "TestSupport.h"
#include "session/WorkspaceSession.h"
#include "workflow/OpenWorkspace.h"

#include <QAction>
#include <QCheckBox>
#include <QTest>
#include <QTreeWidget>

using namespace custody;
using namespace custody::test;

// The principals of a signed workspace: an admin adds and revokes them through signed events; anyone else
// sees why they may not.
class TestPrincipalsDialog : public QObject
{
    Q_OBJECT

private:
    TestKeys m_keys;
    QTemporaryDir m_checkpoints;

    std::unique_ptr<WorkspaceFixture> signedWorkspace()
    {
        auto fixture = std::make_unique<WorkspaceFixture>();
        QString error;
        if (!buildSignedWorkspace(*fixture, m_keys, &error))
            qWarning("%s", qPrintable(error));
        fixture->release();
        return fixture;
    }

    static PrincipalsDialog *openDialog(MainWindow &w, const QString &who)
    {
        QString error;
        if (!w.identity()->choose(who, &error))
            return nullptr;
        w.findChild<QAction *>(QStringLiteral("action_manage_principals"))->trigger();
        return waitForTopLevel<PrincipalsDialog>(QStringLiteral("principalsDialog"));
    }

    static QTreeWidgetItem *row(PrincipalsDialog *dialog, const QString &name)
    {
        for (int i = 0; i < dialog->list()->topLevelItemCount(); ++i)
            if (dialog->list()->topLevelItem(i)->text(PrincipalsDialog::NameColumn).startsWith(name))
                return dialog->list()->topLevelItem(i);
        return nullptr;
    }

private Q_SLOTS:
    void initTestCase()
    {
        isolateSettingsFor("TestPrincipalsDialog");
        setRememberedCheckpointDirectory(m_checkpoints.path());
        QString error;
        QVERIFY2(addTeam(m_keys, {QStringLiteral("root"), QStringLiteral("ada")}, &error), qPrintable(error));
        QVERIFY(m_keys.add(QStringLiteral("dana"), false, &error));
    }

    void anAdminAddsAndRevokes()
    {
        auto fixture = signedWorkspace();
        MainWindow w(m_keys.directory());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.openWorkspace(fixture->path()));
        PrincipalsDialog *dialog = openDialog(w, QStringLiteral("root"));
        QVERIFY(dialog);
        QCOMPARE(dialog->list()->topLevelItemCount(), 5);
        QVERIFY(row(dialog, QStringLiteral("root (you)")));
        QCOMPARE(row(dialog, QStringLiteral("cole"))->text(PrincipalsDialog::RolesColumn), QStringLiteral("curator, approver"));

        auto *add = dialog->findChild<QPushButton *>(QStringLiteral("principalsAddButton"));
        QVERIFY(!add->isEnabled());
        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("principalsKeyFile")), m_keys.publicKeyFile(QStringLiteral("dana")));
        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("principalsName")), QStringLiteral("dana"));
        QVERIFY(add->toolTip().contains(QLatin1String("role")));
        dialog->findChild<QCheckBox *>(QStringLiteral("principalsRole_analyst"))->click();
        QVERIFY(add->isEnabled());
        QTest::mouseClick(add, Qt::LeftButton);
        QVERIFY(typePassphrase(kPassphrase));
        QTRY_VERIFY_WITH_TIMEOUT(row(dialog, QStringLiteral("dana")), kSigningTimeoutMs);
        QCOMPARE(row(dialog, QStringLiteral("dana"))->text(PrincipalsDialog::RolesColumn), QStringLiteral("analyst"));
        QVERIFY(dialog->messageText().contains(QLatin1String("Added dana")));

        dialog->list()->setCurrentItem(row(dialog, QStringLiteral("dana")));
        auto *revoke = dialog->findChild<QPushButton *>(QStringLiteral("principalsRevokeButton"));
        QVERIFY(revoke->isEnabled());
        QTest::mouseClick(revoke, Qt::LeftButton);
        QVERIFY(typePassphrase(kPassphrase));
        QTRY_VERIFY_WITH_TIMEOUT(row(dialog, QStringLiteral("dana"))->text(PrincipalsDialog::StateColumn).startsWith(QLatin1String("revoked")),
                                 kSigningTimeoutMs);
        QVERIFY(!revoke->isEnabled());
        const auto dana = Ledger(*w.session()->workspace()).state().principalByName(QStringLiteral("dana"));
        QVERIFY(dana && !dana->isActive());
    }

    void aBadKeyFileIsSaidInline()
    {
        auto fixture = signedWorkspace();
        MainWindow w(m_keys.directory());
        QVERIFY(w.openWorkspace(fixture->path()));
        PrincipalsDialog *dialog = openDialog(w, QStringLiteral("root"));
        QVERIFY(dialog);
        QTemporaryDir tmp;
        const QString bogus = tmp.filePath(QStringLiteral("bogus.pub"));
        QVERIFY(writeFile(bogus, "not a key\n"));
        dialog->findChild<QLineEdit *>(QStringLiteral("principalsKeyFile"))->setText(bogus);
        dialog->findChild<QLineEdit *>(QStringLiteral("principalsName"))->setText(QStringLiteral("eve"));
        dialog->findChild<QCheckBox *>(QStringLiteral("principalsRole_curator"))->click();
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("principalsAddButton")), Qt::LeftButton);
        QVERIFY(!dialog->messageText().isEmpty());
        QVERIFY(!findTopLevel<QDialog>(QStringLiteral("passphraseDialog")));
    }

    void othersSeeTheRule()
    {
        auto fixture = signedWorkspace();
        MainWindow w(m_keys.directory());
        QVERIFY(w.openWorkspace(fixture->path()));
        PrincipalsDialog *dialog = openDialog(w, QStringLiteral("ada"));
        QVERIFY(dialog);
        auto *add = dialog->findChild<QPushButton *>(QStringLiteral("principalsAddButton"));
        QVERIFY(!add->isEnabled());
        QVERIFY2(add->toolTip().contains(QLatin1String("rule 'role'")), qPrintable(add->toolTip()));
        QVERIFY(!dialog->findChild<QLineEdit *>(QStringLiteral("principalsName"))->isEnabled());
        dialog->list()->setCurrentItem(row(dialog, QStringLiteral("cora")));
        auto *revoke = dialog->findChild<QPushButton *>(QStringLiteral("principalsRevokeButton"));
        QVERIFY(!revoke->isEnabled());
        QVERIFY(revoke->toolTip().contains(QLatin1String("does not hold the admin role")));
    }
};

QTEST_MAIN(TestPrincipalsDialog)
#include "TestPrincipalsDialog.moc"
