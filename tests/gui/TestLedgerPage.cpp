#include "GuiSigning.h"
#include "identity/Identity.h"
#include "ledger/LedgerEventModel.h"
#include "ledger/LedgerPage.h"
#include "shell/MainWindow.h"
#include "widgets/MessageBar.h"
#include "TestSupport.h"
#include "ledger/VerifyPanel.h"
#include "session/WorkspaceSession.h"
#include "ledger/CheckpointNote.h"
#include "storage/Database.h"
#include "workflow/OpenWorkspace.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTableView>
#include <QTest>

using namespace custody;
using namespace custody::test;

// The ledger page of real workspaces: the events, their filters, Verify on a clean and on a tampered ledger,
// the exports signed with the person's key, and making an unsigned workspace signed.
class TestLedgerPage : public QObject
{
    Q_OBJECT

private:
    TestKeys m_keys;
    QTemporaryDir m_checkpoints;
    QTemporaryDir m_out;
    std::unique_ptr<WorkspaceFixture> m_fixture;

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

    std::unique_ptr<MainWindow> openLedger(const QString &who)
    {
        auto w = std::make_unique<MainWindow>(m_keys.directory());
        w->show();
        if (!QTest::qWaitForWindowExposed(w.get()) || !w->openWorkspace(m_fixture->path()))
            return nullptr;
        QString error;
        if (!who.isEmpty() && !w->identity()->choose(who, &error))
            return nullptr;
        w->findChild<QAction *>(QStringLiteral("action_show_ledger"))->trigger();
        if (!QTest::qWaitFor([&] { return !w->page<LedgerPage>()->isLoading() && w->page<LedgerPage>()->model()->rowCount() > 0; }))
            return nullptr;
        return w;
    }

    static QAction *action(MainWindow &w, const char *name) { return w.findChild<QAction *>(QLatin1String(name)); }

private Q_SLOTS:
    void initTestCase()
    {
        isolateSettingsFor("TestLedgerPage");
        setRememberedCheckpointDirectory(m_checkpoints.path());
        QString error;
        QVERIFY2(addTeam(m_keys, {QStringLiteral("ada"), QStringLiteral("cora")}, &error), qPrintable(error));
    }

    void listsAndFiltersTheEvents()
    {
        prepare({QStringLiteral("submit:cora"), QStringLiteral("approve:ada")});
        auto w = openLedger(QStringLiteral("ada"));
        QVERIFY(w);
        QCOMPARE(w->pages()->currentWidget(), w->page<LedgerPage>());
        LedgerEventModel *model = w->page<LedgerPage>()->model();
        // v1 (unsigned), genesis, 4 principals, v2, 4 decisions, submission, approval.
        QCOMPARE(model->rowCount(), 13);
        const LedgerRow *first = model->rowAt(0);
        QCOMPARE(first->actorName, LedgerEventModel::kUnsigned);
        QCOMPARE(first->type, EventType::VersionIngested);
        QCOMPARE(model->rowAt(1)->type, EventType::Genesis);
        QCOMPARE(model->rowAt(1)->actorName, QStringLiteral("root"));
        QCOMPARE(model->index(12, LedgerEventModel::HashColumn).data().toString().size(), LedgerEventModel::kHashPrefix);

        auto *type = w->page<LedgerPage>()->findChild<QComboBox *>(QStringLiteral("ledgerTypeFilter"));
        type->setCurrentIndex(type->findData(EventType::DecisionMade));
        QCOMPARE(model->rowCount(), 4);
        auto *actor = w->page<LedgerPage>()->findChild<QComboBox *>(QStringLiteral("ledgerActorFilter"));
        actor->setCurrentIndex(actor->findData(QStringLiteral("ada")));
        QCOMPARE(model->rowCount(), 0);
        type->setCurrentIndex(0);
        QCOMPARE(model->rowCount(), 1);
        actor->setCurrentIndex(0);
        auto *text = w->page<LedgerPage>()->findChild<QLineEdit *>(QStringLiteral("ledgerTextFilter"));
        QTest::keyClicks(text, QStringLiteral("r103"));
        QCOMPARE(model->rowCount(), 1);
        QVERIFY(model->rowAt(0)->summary.contains(QStringLiteral("relabel → fox")));
        // Selecting an event shows what was signed.
        w->page<LedgerPage>()->table()->setCurrentIndex(model->index(0, 0));
        auto *detail = w->page<LedgerPage>()->findChild<QPlainTextEdit *>(QStringLiteral("ledgerEventDetail"));
        QVERIFY(detail->toPlainText().contains(QLatin1String("\"record\": \"r103\"")));
        QVERIFY(detail->toPlainText().contains(QLatin1String("Ed25519")));
    }

    void verifySucceedsOnACleanWorkspace()
    {
        prepare({});
        auto w = openLedger(QStringLiteral("ada"));
        QVERIFY(w);
        QSignalSpy verified(w->page<LedgerPage>(), &LedgerPage::verified);
        action(*w, "action_verify")->trigger();
        QVERIFY(verified.wait(20000));
        QCOMPARE(verified.constFirst().constFirst().toBool(), true);
        QVERIFY2(w->page<LedgerPage>()->verifyResult().startsWith(QLatin1String("Verified: 11 events, 10 signed, 2 versions, all hashes match")),
                 qPrintable(w->page<LedgerPage>()->verifyResult()));
    }

    void verifyNamesTheTamperedEvent()
    {
        prepare({});
        {
            // Someone with write access edits a decision's payload behind Custody's back.
            Database db;
            QString error;
            QVERIFY(db.open(Workspace::databasePath(m_fixture->path()), Database::Mode::ReadWrite, &error));
            QVERIFY2(db.exec("UPDATE event SET payload = replace(payload, '\"exclude\"', '\"keep\"') WHERE seq = 8", &error),
                     qPrintable(error));
        }
        auto w = openLedger(QStringLiteral("ada"));
        QVERIFY(w);
        QSignalSpy verified(w->page<LedgerPage>(), &LedgerPage::verified);
        action(*w, "action_verify")->trigger();
        QVERIFY(verified.wait(20000));
        QCOMPARE(verified.constFirst().constFirst().toBool(), false);
        const QString result = w->page<LedgerPage>()->verifyResult();
        QVERIFY2(result.contains(QLatin1String("Ledger event 8: ")), qPrintable(result));
        QCOMPARE(w->page<LedgerPage>()->model()->brokenSeq(), qint64(8));
        const QModelIndex current = w->page<LedgerPage>()->table()->currentIndex();
        QCOMPARE(current.data(LedgerEventModel::SeqRole).toLongLong(), qint64(8));
        QVERIFY(!current.data(Qt::ToolTipRole).toString().isEmpty());
    }

    void exportsACheckpointThatChecks()
    {
        prepare({});
        auto w = openLedger(QStringLiteral("ada"));
        QVERIFY(w);
        QVERIFY(action(*w, "action_export_checkpoint")->isEnabled());
        action(*w, "action_export_checkpoint")->trigger();
        QVERIFY(typePassphrase(kPassphrase));
        const QString path = m_out.filePath(QStringLiteral("checkpoint.txt"));
        QVERIFY2(saveInFileDialog(QStringLiteral("exportCheckpointDialog"), path), qPrintable(w->messageBar()->text()));
        QTRY_VERIFY2_WITH_TIMEOUT(QFile::exists(path), qPrintable(w->messageBar()->text()), kSigningTimeoutMs);
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QString error;
        auto ws = openWorkspace(m_fixture->path(), &error, Workspace::Access::ReadOnly);
        QVERIFY(ws);
        Ledger ledger(*ws);
        qint64 size = 0;
        const QString why = CheckpointNote::check(ledger, f.readAll(), &size);
        QVERIFY2(why.isEmpty(), qPrintable(why));
        QCOMPARE(size, qint64(11));
        QVERIFY(w->messageBar()->text().contains(QLatin1String("Saved a signed checkpoint of 11 events")));

        // custody-cli checkpoint, run by the same principal on the same ledger, signs the very same note: both
        // front ends go through one core call (and Ed25519 signatures are deterministic).
        const CliHome home(m_keys);
        QVERIFY(home.isValid());
        const auto cli = runCli({QStringLiteral("checkpoint"), QStringLiteral("-w"), m_fixture->path(), QStringLiteral("--as"),
                                 QStringLiteral("ada"), QStringLiteral("--passphrase-file"), home.passphraseFile()},
                                home.environment());
        QVERIFY2(cli.exitCode == 0, cli.err.constData());
        f.seek(0);
        QCOMPARE(cli.out, f.readAll());
    }

    void exportsTheAttestationOfARelease()
    {
        prepare({QStringLiteral("submit:cora"), QStringLiteral("approve:ada"), QStringLiteral("approve:abe"),
                 QStringLiteral("release:cora:v3")});
        auto w = openLedger(QStringLiteral("ada"));
        QVERIFY(w);
        QVERIFY(!action(*w, "action_export_attestation")->isEnabled());
        LedgerEventModel *model = w->page<LedgerPage>()->model();
        const int last = model->rowCount() - 1;
        QCOMPARE(model->rowAt(last)->type, EventType::VersionReleased);
        w->page<LedgerPage>()->table()->setCurrentIndex(model->index(last, 0));
        QVERIFY(action(*w, "action_export_attestation")->isEnabled());
        action(*w, "action_export_attestation")->trigger();
        const QString path = m_out.filePath(QStringLiteral("release.json"));
        QVERIFY(saveInFileDialog(QStringLiteral("exportAttestationDialog"), path));
        QTRY_VERIFY(QFile::exists(path));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject envelope = QJsonDocument::fromJson(f.readAll()).object();
        QCOMPARE(envelope.value(QStringLiteral("payloadType")).toString(), QStringLiteral("application/vnd.in-toto+json"));
    }

    void checkpointNeedsARegisteredKey()
    {
        prepare({});
        QString error;
        QVERIFY(m_keys.add(QStringLiteral("stranger"), true, &error));
        auto w = openLedger(QStringLiteral("stranger"));
        QVERIFY(w);
        QVERIFY(!action(*w, "action_export_checkpoint")->isEnabled());
        QVERIFY(action(*w, "action_export_checkpoint")->toolTip().contains(QLatin1String("not a registered principal")));
        QVERIFY(!action(*w, "action_make_signed")->isEnabled());
    }

    void makesAnUnsignedWorkspaceSigned()
    {
        m_fixture = std::make_unique<WorkspaceFixture>();
        QVERIFY(m_fixture->ingestCsv(QStringLiteral("animals"), QStringLiteral("v1"), numberedRecords(20)));
        m_fixture->release();
        auto w = openLedger(QStringLiteral("cora"));
        QVERIFY(w);
        auto *notice = w->page<LedgerPage>()->findChild<QWidget *>(QStringLiteral("ledgerUnsignedNotice"));
        QVERIFY(notice->isVisible());
        QVERIFY(!action(*w, "action_manage_principals")->isEnabled());
        QVERIFY(action(*w, "action_make_signed")->isEnabled());
        action(*w, "action_make_signed")->trigger();
        auto *choices = waitForTopLevel<QDialog>(QStringLiteral("makeSignedDialog"));
        QVERIFY(choices);
        choices->findChild<QSpinBox *>(QStringLiteral("makeSignedApprovals"))->setValue(1);
        QTest::mouseClick(choices->findChild<QPushButton *>(QStringLiteral("makeSignedOkButton")), Qt::LeftButton);
        QDialog *passphrase = typePassphrase(kPassphrase);
        QVERIFY(passphrase);
        QVERIFY(passphrase->findChild<QLabel *>(QStringLiteral("passphraseDescription"))->text().contains(QLatin1String("cora as its admin")));
        QTRY_VERIFY_WITH_TIMEOUT(!notice->isVisible(), kSigningTimeoutMs);
        QTRY_COMPARE(w->page<LedgerPage>()->model()->rowAt(w->page<LedgerPage>()->model()->rowCount() - 1)->type, EventType::Genesis);
        QVERIFY(action(*w, "action_manage_principals")->isEnabled());
        QVERIFY(!action(*w, "action_make_signed")->isEnabled());
        QCOMPARE(Ledger(*w->session()->workspace()).state().approvalsRequired(), 1);
    }
};

QTEST_MAIN(TestLedgerPage)
#include "TestLedgerPage.moc"
