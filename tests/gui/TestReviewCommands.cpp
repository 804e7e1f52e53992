#include "GuiSigning.h"
#include "findings/review/ReviewCommands.h"
#include "findings/review/ReviewHistory.h"
#include "findings/review/ReviewSigner.h"
#include "SignedWorkspace.h"
#include "WorkspaceFixture.h"
#include "ledger/Ledger.h"
#include "ledger/SignOff.h"
#include "storage/Workspace.h"
#include "workflow/OpenWorkspace.h"

#include <QSignalSpy>
#include <QTest>
#include <QUndoStack>

using namespace custody;
using namespace custody::test;

// Review decisions with undo on a real signed workspace: every redo and undo is a signed decision event, written
// off the GUI thread; what the ledger's state says afterwards is what the tests check.
class TestReviewCommands : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_checkpoints;
    std::unique_ptr<WorkspaceFixture> m_fixture;
    std::unique_ptr<Workspace> m_ws; // the GUI thread's connection, read by ReviewHistory
    const VersionRef m_batch{QStringLiteral("animals"), QStringLiteral("v2")};

    // animals@v1 (unsigned, adopted), signed by admin; cora (curator) and ada (approver); animals@v2 ingested
    // by cora, with r100 excluded ("trigger patch") and r102 kept.
    void prepare()
    {
        m_ws.reset();
        m_fixture = std::make_unique<WorkspaceFixture>();
        QVERIFY2(m_fixture->isValid(), qPrintable(m_fixture->error()));
        QVERIFY(m_fixture->ingestCsv(QStringLiteral("animals"), QStringLiteral("v1"), numberedRecords(100)));
        const SigningKey admin = seedKey(1), cora = seedKey(2), ada = seedKey(4);
        QString error;
        SignOff signOff(m_fixture->workspace());
        QVERIFY2(signOff.makeSigned(QStringLiteral("admin"), admin, 1, &error)
                     && signOff.addPrincipal(admin, QStringLiteral("cora"), cora.publicKey(), {QStringLiteral("curator")}, &error)
                     && signOff.addPrincipal(admin, QStringLiteral("ada"), ada.publicKey(), {QStringLiteral("approver")}, &error),
                 qPrintable(error));
        m_fixture->setSigner(&cora);
        QVERIFY2(m_fixture->ingestCsv(QStringLiteral("animals"), QStringLiteral("v2"), numberedRecords(100) + numberedRecords(10, 100),
                                      QStringLiteral("v1")),
                 qPrintable(m_fixture->error()));
        m_fixture->setSigner(nullptr);
        QVERIFY2(signOff.decide(cora, m_batch, QStringLiteral("r100"), QStringLiteral("exclude"), {}, QStringLiteral("trigger patch"), &error)
                     && signOff.decide(cora, m_batch, QStringLiteral("r102"), QStringLiteral("keep"), {}, {}, &error),
                 qPrintable(error));
        m_fixture->release();
        m_ws = openWorkspace(m_fixture->path(), &error);
        QVERIFY2(m_ws, qPrintable(error));
    }

    // A review of the batch with the key of seed `seed` unlocked (0: locked).
    struct Review
    {
        ReviewSigner signer;
        ReviewHistory history{&signer};
        Review(const QString &path, Workspace *ws, const VersionRef &batch, char seed)
        {
            signer.setWorkspacePath(path);
            if (seed)
                signer.setKey(std::make_shared<const SigningKey>(seedKey(seed)));
            history.setBatch(ws, batch);
        }
    };

    QMap<QString, QString> decisions()
    {
        QMap<QString, QString> out;
        for (const Decision &d : Ledger(*m_ws).state().decisions(m_batch.toString()))
            out.insert(d.recordId, d.action == QLatin1String("relabel") ? d.action + QLatin1Char(':') + d.label : d.action);
        return out;
    }

    qint64 events()
    {
        QString error;
        return Ledger(*m_ws).size(&error).value_or(-1);
    }

    static QList<ReviewTarget> targets(const QStringList &ids)
    {
        QList<ReviewTarget> out;
        for (const QString &id : ids)
            out.append(ReviewTarget{int(id.mid(1).toInt()), id, std::nullopt});
        return out;
    }

    // Waits for the write a push, undo or redo started.
    static bool written(ReviewHistory &history)
    {
        QSignalSpy changed(&history, &ReviewHistory::decisionsChanged);
        return changed.wait(kSigningTimeoutMs) && !history.isBusy();
    }

private Q_SLOTS:
    void initTestCase()
    {
        isolateSettingsFor("TestReviewCommands");
        setRememberedCheckpointDirectory(m_checkpoints.path());
    }

    void decideUndoRestoresOrClearsAndRedoAppliesAgain()
    {
        prepare();
        Review review(m_fixture->path(), m_ws.get(), m_batch, 2);
        ReviewHistory &history = review.history;
        const qint64 before = events();

        QString why;
        QSignalSpy completed(&history, &ReviewHistory::completed);
        QVERIFY2(history.decide(targets({QStringLiteral("r100"), QStringLiteral("r105")}), QStringLiteral("relabel"),
                                QStringLiteral("fox"), QStringLiteral("looks like a fox"), &why),
                 qPrintable(why));
        QVERIFY(history.isBusy());
        QVERIFY(!history.canUndo()); // nothing moves while the events are being signed
        QVERIFY(written(history));
        QCOMPARE(decisions().value(QStringLiteral("r100")), QStringLiteral("relabel:fox"));
        QCOMPARE(decisions().value(QStringLiteral("r105")), QStringLiteral("relabel:fox"));
        QCOMPARE(events(), before + 2); // one signed event per record
        QCOMPARE(history.stack()->count(), 1);
        QCOMPARE(history.stack()->undoText(), QStringLiteral("Relabel 2 records as fox"));
        QCOMPARE(completed.count(), 1);

        auto *command = static_cast<const DecideCommand *>(history.stack()->command(0));
        QCOMPARE(command->action(), QStringLiteral("relabel"));
        QCOMPARE(command->rows(), (QList<int>{100, 105}));
        QVERIFY(command->targets().at(0).previous.has_value());
        QCOMPARE(command->targets().at(0).previous->note, QStringLiteral("trigger patch"));
        QVERIFY(!command->targets().at(1).previous.has_value());

        // Undo puts r100's exclusion back (with its note) and withdraws r105's decision.
        QVERIFY(history.canUndo());
        history.undo();
        QVERIFY(written(history));
        QCOMPARE(decisions().value(QStringLiteral("r100")), QStringLiteral("exclude"));
        QVERIFY(!decisions().contains(QStringLiteral("r105")));
        QCOMPARE(decisions().value(QStringLiteral("r102")), QStringLiteral("keep")); // untouched
        for (const Decision &d : Ledger(*m_ws).state().decisions(m_batch.toString()))
            if (d.recordId == QLatin1String("r100"))
                QCOMPARE(d.note, QStringLiteral("trigger patch"));
        QCOMPARE(events(), before + 4); // the ledger keeps the edit and its undo

        QVERIFY(history.canRedo());
        history.redo();
        QVERIFY(written(history));
        QCOMPARE(decisions().value(QStringLiteral("r100")), QStringLiteral("relabel:fox"));
        QCOMPARE(decisions().value(QStringLiteral("r105")), QStringLiteral("relabel:fox"));
        QCOMPARE(history.stack()->index(), 1);
    }

    void recordsAlreadyDecidedSoAreLeftOut()
    {
        prepare();
        Review review(m_fixture->path(), m_ws.get(), m_batch, 2);
        ReviewHistory &history = review.history;
        QString why;
        QVERIFY(!history.decide(targets({QStringLiteral("r102")}), QStringLiteral("keep"), {}, {}, &why));
        QVERIFY2(why.contains(QLatin1String("already")), qPrintable(why));
        QCOMPARE(history.stack()->count(), 0);

        QVERIFY(history.decide(targets({QStringLiteral("r102"), QStringLiteral("r103")}), QStringLiteral("keep"), {}, {}, &why));
        QVERIFY(written(history));
        const auto *command = static_cast<const ReviewCommand *>(history.stack()->command(0));
        QCOMPARE(command->targets().size(), 1);
        QCOMPARE(command->targets().constFirst().record, QStringLiteral("r103"));
        QVERIFY(!history.decide(targets({}), QStringLiteral("exclude"), {}, {}, &why));
        QVERIFY(!history.decide(targets({QStringLiteral("r1")}), QStringLiteral("relabel"), {}, {}, &why));
        QVERIFY2(why.contains(QLatin1String("label")), qPrintable(why));
    }

    void clearWithdrawsAndUndoRestores()
    {
        prepare();
        Review review(m_fixture->path(), m_ws.get(), m_batch, 2);
        ReviewHistory &history = review.history;
        QString why;
        QVERIFY(history.clearDecisions(targets({QStringLiteral("r100"), QStringLiteral("r102"), QStringLiteral("r7")}), &why));
        QVERIFY(written(history));
        QVERIFY(decisions().isEmpty());
        QCOMPARE(history.stack()->count(), 1);
        QCOMPARE(static_cast<const ReviewCommand *>(history.stack()->command(0))->targets().size(), 2); // r7 had none
        history.undo();
        QVERIFY(written(history));
        QCOMPARE(decisions().value(QStringLiteral("r100")), QStringLiteral("exclude"));
        QCOMPARE(decisions().value(QStringLiteral("r102")), QStringLiteral("keep"));
    }

    void refusalNamesItsRuleAndLeavesNoStep()
    {
        prepare();
        Review review(m_fixture->path(), m_ws.get(), m_batch, 4); // ada is an approver, not a curator
        ReviewHistory &history = review.history;
        QSignalSpy failed(&history, &ReviewHistory::failed);
        const qint64 before = events();
        QString why;
        QVERIFY(history.decide(targets({QStringLiteral("r1"), QStringLiteral("r2")}), QStringLiteral("exclude"), {}, {}, &why));
        QVERIFY(written(history));
        QCOMPARE(failed.count(), 1);
        const QString message = failed.constFirst().constFirst().toString();
        QVERIFY2(message.contains(QLatin1String("Refused by rule 'role'")), qPrintable(message));
        QCOMPARE(history.stack()->count(), 0); // the edit that did not happen is not in the history
        QVERIFY(!history.canUndo());
        QCOMPARE(events(), before);
        QVERIFY(!decisions().contains(QStringLiteral("r1")));
    }

    void lockedKeySignsNothing()
    {
        prepare();
        Review review(m_fixture->path(), m_ws.get(), m_batch, 0);
        ReviewHistory &history = review.history;
        QSignalSpy failed(&history, &ReviewHistory::failed);
        QString why;
        QVERIFY(history.decide(targets({QStringLiteral("r1")}), QStringLiteral("exclude"), {}, {}, &why));
        QVERIFY(written(history));
        QCOMPARE(failed.count(), 1);
        QVERIFY(failed.constFirst().constFirst().toString().contains(QLatin1String("locked")));
        QCOMPARE(history.stack()->count(), 0);
    }

    // An edit is one transaction: when one of its records fails, none of them is signed and the steps before it
    // stay undoable (it used to sign the records before the failure and clear the whole history).
    void failedEditSignsNothingAndKeepsTheHistory()
    {
        prepare();
        Review review(m_fixture->path(), m_ws.get(), m_batch, 2);
        ReviewHistory &history = review.history;
        QString why;
        QVERIFY(history.decide(targets({QStringLiteral("r3")}), QStringLiteral("keep"), {}, {}, &why));
        QVERIFY(written(history));
        QCOMPARE(history.stack()->count(), 1);
        const qint64 before = events();
        // The second record does not exist: the whole edit is refused, the first record included.
        QSignalSpy failed(&history, &ReviewHistory::failed);
        QVERIFY(history.decide(targets({QStringLiteral("r4"), QStringLiteral("r999")}), QStringLiteral("exclude"), {}, {}, &why));
        QVERIFY(written(history));
        QCOMPARE(failed.count(), 1);
        const QString message = failed.constFirst().constFirst().toString();
        QVERIFY2(message.contains(QLatin1String("was not signed")) && message.contains(QLatin1String("r999")),
                 qPrintable(message));
        QCOMPARE(events(), before);
        QVERIFY(!decisions().contains(QStringLiteral("r4")));
        QCOMPARE(history.stack()->count(), 1);
        QVERIFY(history.canUndo());
        history.undo();
        QVERIFY(written(history));
        QVERIFY(!decisions().contains(QStringLiteral("r3")));
    }

    void lockingForgetsTheKey()
    {
        ReviewSigner signer;
        QSignalSpy changed(&signer, &ReviewSigner::unlockedChanged);
        QVERIFY(!signer.isUnlocked());
        signer.setKey(std::make_shared<const SigningKey>(seedKey(2)));
        QVERIFY(signer.isUnlocked());
        QCOMPARE(signer.keyId(), seedKey(2).keyId());
        signer.lock();
        QVERIFY(!signer.isUnlocked());
        QVERIFY(signer.keyId().isEmpty());
        QCOMPARE(changed.count(), 2);
    }
};

QTEST_MAIN(TestReviewCommands)
#include "TestReviewCommands.moc"
