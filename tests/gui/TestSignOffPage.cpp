#include "signoff/BatchSummaryView.h"
#include "GuiSigning.h"
#include "identity/Identity.h"
#include "ledger/LedgerEventModel.h"
#include "ledger/LedgerPage.h"
#include "shell/MainWindow.h"
#include "widgets/MessageBar.h"
#include "signoff/SignOffPage.h"
#include "session/WorkspaceSession.h"
#include "storage/Workspace.h"
#include "widgets/IntegrityBanner.h"
#include "workflow/OpenWorkspace.h"

#include <QSignalSpy>

#include <QAction>
#include <QStackedWidget>
#include <QTest>

using namespace custody;
using namespace custody::test;

// The sign-off page of a real signed workspace, driven as its people would: each test builds a fresh workspace
// (cheap: set-up steps are signed in memory) and signs through the page with keys from a temporary key store.
class TestSignOffPage : public QObject
{
    Q_OBJECT

private:
    TestKeys m_keys;
    QTemporaryDir m_checkpoints;
    std::unique_ptr<WorkspaceFixture> m_fixture;

    // A fresh workspace; `steps` run through the core first ("submit:cole", "approve:ada", …).
    void prepare(const QStringList &steps)
    {
        m_fixture = std::make_unique<WorkspaceFixture>();
        QString error;
        QVERIFY2(buildSignedWorkspace(*m_fixture, m_keys, &error), qPrintable(error));
        for (const QString &step : steps) {
            const QStringList parts = step.split(QLatin1Char(':'));
            QVERIFY2(signAs(*m_fixture, m_keys.key(parts.at(1)), parts.at(0), &error, parts.value(2)), qPrintable(error));
        }
        m_fixture->release();
    }

    // The window opened on the workspace, signing as `who`, showing animals@v2 on the sign-off page.
    std::unique_ptr<MainWindow> openAs(const QString &who)
    {
        auto w = std::make_unique<MainWindow>(m_keys.directory());
        w->show();
        if (!QTest::qWaitForWindowExposed(w.get()) || !w->openWorkspace(m_fixture->path()))
            return nullptr;
        QString error;
        if (!w->identity()->choose(who, &error))
            return nullptr;
        w->findChild<QAction *>(QStringLiteral("action_show_signoff"))->trigger();
        w->page<SignOffPage>()->selectVersion(QStringLiteral("animals@v2"));
        return w;
    }

private Q_SLOTS:
    void initTestCase()
    {
        isolateSettingsFor("TestSignOffPage");
        setRememberedCheckpointDirectory(m_checkpoints.path());
        QString error;
        QVERIFY2(addTeam(m_keys, {QStringLiteral("cora"), QStringLiteral("cole"), QStringLiteral("ada"), QStringLiteral("abe")}, &error),
                 qPrintable(error));
    }

    void submittedBatchShowsItsSummaryAndWhoMayNotApprove()
    {
        prepare({QStringLiteral("submit:cole")});
        auto w = openAs(QStringLiteral("cole"));
        QVERIFY(w);
        SignOffPage *page = w->page<SignOffPage>();
        QCOMPARE(w->pages()->currentWidget(), page);
        QCOMPARE(page->currentVersion(), QStringLiteral("animals@v2"));
        BatchSummaryView *summary = page->summaryView();
        QVERIFY2(summary->stateText().contains(QLatin1String("Submitted for approval by cole")), qPrintable(summary->stateText()));
        QVERIFY2(summary->decisionsText().contains(QStringLiteral("4 decisions: 1 keep · 2 exclude · 1 relabel")),
                 qPrintable(summary->decisionsText()));
        QVERIFY(summary->decisionsText().contains(QLatin1String("cora: 4")));
        QVERIFY2(summary->approvalsText().startsWith(QLatin1String("0 of 2 required approvals")), qPrintable(summary->approvalsText()));
        // What changed against the parent comes from a worker thread.
        QTRY_VERIFY_WITH_TIMEOUT(summary->changesText().contains(QStringLiteral("Against animals@v1: 10 added · 5 removed")), 10000);
        QVERIFY(summary->changesText().contains(QLatin1String("2 relabelled")));

        // cole submitted, so the core's rule stops him; the button says which rule.
        QVERIFY(!page->approveButton()->isEnabled());
        QVERIFY2(page->approveButton()->toolTip().contains(QLatin1String("no-self-approval")), qPrintable(page->approveButton()->toolTip()));
        QVERIFY(summary->youText().contains(QLatin1String("no-self-approval")));
        // Every approver is listed, with the rule for those who may not approve.
        QCOMPARE(summary->approverNames(), (QStringList{QStringLiteral("abe"), QStringLiteral("ada"), QStringLiteral("cole")}));
        QVERIFY2(summary->approverStatus(QStringLiteral("cole")).startsWith(QLatin1String("may not approve: Refused by rule 'no-self-approval'")),
                 qPrintable(summary->approverStatus(QStringLiteral("cole"))));
        QCOMPARE(summary->approverStatus(QStringLiteral("ada")), QStringLiteral("may approve"));
        // A curator may not release before the approvals are in.
        page->findChild<QLineEdit *>(QStringLiteral("signOffReleaseLabel"))->setText(QStringLiteral("v3"));
        QTRY_VERIFY(page->releaseButton()->toolTip().contains(QLatin1String("approvals-required")));
        QVERIFY(!page->releaseButton()->isEnabled());
    }

    void approvingAddsTheApprovalAndTheLedgerEvent()
    {
        prepare({QStringLiteral("submit:cora")});
        auto w = openAs(QStringLiteral("ada"));
        QVERIFY(w);
        SignOffPage *page = w->page<SignOffPage>();
        QTRY_VERIFY(page->approveButton()->isEnabled());
        QVERIFY(page->summaryView()->youText().contains(QLatin1String("You (ada) may approve")));
        QTest::mouseClick(page->approveButton(), Qt::LeftButton);
        QDialog *dialog = typePassphrase(kPassphrase);
        QVERIFY(dialog);
        QVERIFY(dialog->findChild<QLabel *>(QStringLiteral("passphraseDescription"))->text() == QLatin1String("Approve animals@v2 as ada"));
        QTRY_VERIFY_WITH_TIMEOUT(page->summaryView()->approvalsText().startsWith(QLatin1String("1 of 2 required approvals: ada")), kSigningTimeoutMs);
        QCOMPARE(w->messageBar()->kind(), MessageBar::Kind::Positive);
        // Approving twice is what the rule forbids now.
        QVERIFY(!page->approveButton()->isEnabled());
        QVERIFY(page->approveButton()->toolTip().contains(QLatin1String("one-approval-per-key")));

        w->findChild<QAction *>(QStringLiteral("action_show_ledger"))->trigger();
        LedgerEventModel *events = w->page<LedgerPage>()->model();
        QTRY_VERIFY(!w->page<LedgerPage>()->isLoading() && events->rowCount() > 0);
        const LedgerRow *last = events->rowAt(events->rowCount() - 1);
        QCOMPARE(last->type, EventType::BatchApproved);
        QCOMPARE(last->actorName, QStringLiteral("ada"));
    }

    void aRefusalAppearsInlineWithItsRule()
    {
        prepare({QStringLiteral("submit:cora")});
        auto w = openAs(QStringLiteral("ada"));
        QVERIFY(w);
        QTRY_VERIFY(w->page<SignOffPage>()->approveButton()->isEnabled());
        // Meanwhile ada approves from the command line; the page has not re-read yet.
        QString error;
        auto ws = openWorkspace(m_fixture->path(), &error);
        QVERIFY(ws && SignOff(*ws).approve(m_keys.key(QStringLiteral("ada")), {QStringLiteral("animals"), QStringLiteral("v2")}, &error));
        ws.reset();
        QTest::mouseClick(w->page<SignOffPage>()->approveButton(), Qt::LeftButton);
        QVERIFY(typePassphrase(kPassphrase));
        QTRY_VERIFY_WITH_TIMEOUT(w->messageBar()->isVisible() && w->messageBar()->kind() == MessageBar::Kind::Error,
                                 kSigningTimeoutMs);
        QVERIFY2(w->messageBar()->text().contains(QLatin1String("one-approval-per-key")), qPrintable(w->messageBar()->text()));
        QTRY_VERIFY(w->page<SignOffPage>()->summaryView()->approvalsText().startsWith(QLatin1String("1 of 2")));
    }

    // An approval written into the derived tables with SQL (not a signed event): ada's real approval through
    // the page is refused, naming the table, and the workspace then opens read-only asking for verify, which
    // lifts the mark once the forgery is gone.
    void forgedStateIsRefusedAndTheWorkspaceAsksForVerify()
    {
        prepare({QStringLiteral("submit:cora")});
        {
            Database db;
            QString error;
            QVERIFY(db.open(Workspace::databasePath(m_fixture->path()), Database::Mode::ReadWrite, &error));
            const QString forged = QStringLiteral("INSERT INTO approval SELECT version, '%1', digest, 99, 'now' FROM batch "
                                                  "WHERE version = 'animals@v2'").arg(m_keys.key(QStringLiteral("abe")).keyId());
            QVERIFY2(db.exec(forged.toUtf8().constData(), &error), qPrintable(error));
        }
        {
            auto w = openAs(QStringLiteral("ada"));
            QVERIFY(w);
            QTRY_VERIFY(w->page<SignOffPage>()->approveButton()->isEnabled());
            QTest::mouseClick(w->page<SignOffPage>()->approveButton(), Qt::LeftButton);
            QVERIFY(typePassphrase(kPassphrase));
            QTRY_VERIFY_WITH_TIMEOUT(w->messageBar()->isVisible() && w->messageBar()->kind() == MessageBar::Kind::Error,
                                     kSigningTimeoutMs);
            QVERIFY2(w->messageBar()->text().contains(QLatin1String("verified-state"))
                         && w->messageBar()->text().contains(QLatin1String("approval")), qPrintable(w->messageBar()->text()));
        }
        auto w = openAs(QStringLiteral("ada"));
        QVERIFY(w);
        QVERIFY(w->integrityBanner()->isVisible());
        QVERIFY2(w->integrityBanner()->text().contains(QLatin1String("verify")), qPrintable(w->integrityBanner()->text()));
        QVERIFY(!w->page<SignOffPage>()->approveButton()->isEnabled());
        {
            Database db;
            QString error;
            QVERIFY(db.open(Workspace::databasePath(m_fixture->path()), Database::Mode::ReadWrite, &error));
            QVERIFY(db.exec("DELETE FROM approval", &error));
        }
        QSignalSpy verified(w->page<LedgerPage>(), &LedgerPage::verified);
        w->findChild<QAction *>(QStringLiteral("action_verify"))->trigger();
        QVERIFY(verified.wait(20000));
        QCOMPARE(verified.constFirst().constFirst().toBool(), true);
        w.reset();
        w = openAs(QStringLiteral("ada"));
        QVERIFY(w && !w->integrityBanner()->isVisible() && !w->session()->isReadOnly());
        QTRY_VERIFY(w->page<SignOffPage>()->approveButton()->isEnabled());
    }

    void vetoWithAReasonBlocksTheRelease()
    {
        prepare({QStringLiteral("submit:cora"), QStringLiteral("approve:ada")});
        auto w = openAs(QStringLiteral("abe"));
        QVERIFY(w);
        SignOffPage *page = w->page<SignOffPage>();
        QTRY_VERIFY(page->approveButton()->isEnabled());
        QVERIFY(!page->vetoButton()->isEnabled()); // a veto needs its reason first
        QVERIFY(page->vetoButton()->toolTip().contains(QLatin1String("reason")));
        auto *reason = page->findChild<QLineEdit *>(QStringLiteral("signOffVetoReason"));
        reason->setFocus();
        QTest::keyClicks(reason, QStringLiteral("r104 carries a trigger patch"));
        QTRY_VERIFY(page->vetoButton()->isEnabled());
        QTest::mouseClick(page->vetoButton(), Qt::LeftButton);
        QVERIFY(typePassphrase(kPassphrase));
        QTRY_VERIFY_WITH_TIMEOUT(page->summaryView()->stateText().contains(QLatin1String("Vetoed by abe")), kSigningTimeoutMs);
        QVERIFY(page->summaryView()->stateText().contains(QLatin1String("r104 carries a trigger patch")));

        QString error;
        QVERIFY(w->identity()->choose(QStringLiteral("cora"), &error));
        page->findChild<QLineEdit *>(QStringLiteral("signOffReleaseLabel"))->setText(QStringLiteral("v3"));
        QTRY_VERIFY(page->releaseButton()->toolTip().contains(QLatin1String("veto-blocks")));
        QVERIFY(!page->releaseButton()->isEnabled());
    }

    void releaseCreatesTheCuratedVersion()
    {
        prepare({QStringLiteral("submit:cora"), QStringLiteral("approve:ada"), QStringLiteral("approve:abe")});
        auto w = openAs(QStringLiteral("cora"));
        QVERIFY(w);
        SignOffPage *page = w->page<SignOffPage>();
        QVERIFY(page->summaryView()->approvalsText().startsWith(QLatin1String("2 of 2 required approvals")));
        QVERIFY(!page->releaseButton()->isEnabled());
        auto *label = page->findChild<QLineEdit *>(QStringLiteral("signOffReleaseLabel"));
        label->setFocus();
        QTest::keyClicks(label, QStringLiteral("v3"));
        QTRY_VERIFY(page->releaseButton()->isEnabled());
        QTest::mouseClick(page->releaseButton(), Qt::LeftButton);
        QVERIFY(typePassphrase(kPassphrase));
        QTRY_VERIFY_WITH_TIMEOUT(w->session()->findVersion(VersionRef{QStringLiteral("animals"), QStringLiteral("v3")}), kSigningTimeoutMs);
        const auto v3 = w->session()->findVersion(VersionRef{QStringLiteral("animals"), QStringLiteral("v3")});
        QCOMPARE(v3->recordCount, qint64(103)); // 105 minus the two excluded
        QCOMPARE(v3->parentLabel, QStringLiteral("v2"));
        QTRY_VERIFY(page->summaryView()->stateText().contains(QLatin1String("Released as animals@v3")));
        QVERIFY2(w->messageBar()->text().startsWith(QLatin1String("Released animals@v3: 103 records")), qPrintable(w->messageBar()->text()));
        QVERIFY(!page->submitButton()->isEnabled());
        QVERIFY(page->submitButton()->toolTip().contains(QLatin1String("batch-open")));
    }

    void withoutIdentityEveryStepSaysWhy()
    {
        prepare({QStringLiteral("submit:cora")});
        auto w = std::make_unique<MainWindow>(m_keys.directory());
        w->identity()->forget();
        QVERIFY(!w->identity()->isSet()); // several keys: nothing chosen for the person
        QVERIFY(w->openWorkspace(m_fixture->path()));
        w->findChild<QAction *>(QStringLiteral("action_show_signoff"))->trigger();
        SignOffPage *page = w->page<SignOffPage>();
        QTRY_VERIFY(!page->approveButton()->isEnabled());
        QVERIFY(page->approveButton()->toolTip().contains(QLatin1String("identity")));
        QVERIFY(page->findChild<QLabel *>(QStringLiteral("signOffNotice"))->text().contains(QLatin1String("no signing identity")));
    }
};

QTEST_MAIN(TestSignOffPage)
#include "TestSignOffPage.moc"
