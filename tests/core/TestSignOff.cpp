#include "SignedWorkspace.h"
#include "TestSupport.h"
#include "identity/Dsse.h"
#include "identity/SigningKey.h"
#include "ledger/LedgerVerifier.h"
#include "ledger/SignOff.h"
#include "storage/Ingest.h"
#include "workflow/IngestVersion.h"
#include "storage/RecordQuery.h"
#include "storage/Workspace.h"
#include "workflow/OpenWorkspace.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace custody;

// The separation-of-duties rules, each attacked the ways a person might try to get around it.
class TestSignOff : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    int m_n = 0;
    std::unique_ptr<Workspace> m_ws;
    std::unique_ptr<SignOff> m_signOff;
    SigningKey admin = test::seedKey(1);
    SigningKey cora = test::seedKey(2);   // curator
    SigningKey cole = test::seedKey(3);   // curator and approver
    SigningKey ada = test::seedKey(4);    // approver
    SigningKey abe = test::seedKey(5);    // approver
    SigningKey ann = test::seedKey(6);    // analyst
    SigningKey stranger = test::seedKey(7);
    const VersionRef v1{QStringLiteral("t"), QStringLiteral("v1")};

    void expectRefusal(bool ok, const QString &error, const char *rule)
    {
        QVERIFY2(!ok, "the action should have been refused");
        QVERIFY2(m_signOff->lastRefusal().rule == QLatin1String(rule) || error.contains(QLatin1String(rule)),
                 qPrintable(QStringLiteral("expected rule %1, got: %2").arg(QLatin1String(rule), error)));
        QVERIFY2(error.contains(QStringLiteral("refused by rule '%1'").arg(QLatin1String(rule))), qPrintable(error));
    }

    bool ingest(const QString &label, const SigningKey *signer, QString *error)
    {
        const QString csv = m_tmp.filePath(QStringLiteral("v.csv"));
        test::writeFile(csv, "id,label,x\nr1,p,1\nr2,p,2\nr3,q,3\nr4,q,4\n");
        IngestRequest req;
        req.dataset = QStringLiteral("t");
        req.version = label;
        req.paths = {csv};
        req.reader.idColumn = QStringLiteral("id");
        req.reader.labelColumn = QStringLiteral("label");
        req.signer = signer;
        IngestResult r;
        return ingestVersion(*m_ws, req, &r, error);
    }

    // Genesis by admin with K approvals, then cora (curator), ada and abe (approvers).
    void registerTeam(int approvalsRequired)
    {
        QString e;
        QVERIFY2(m_signOff->makeSigned(QStringLiteral("root"), admin, approvalsRequired, &e), qPrintable(e));
        QVERIFY(m_signOff->addPrincipal(admin, QStringLiteral("cora"), cora.publicKey(), {QStringLiteral("curator")}, &e));
        QVERIFY(m_signOff->addPrincipal(admin, QStringLiteral("ada"), ada.publicKey(), {QStringLiteral("approver")}, &e));
        QVERIFY(m_signOff->addPrincipal(admin, QStringLiteral("abe"), abe.publicKey(), {QStringLiteral("approver")}, &e));
    }

    void verifyLedger(bool expectOk = true)
    {
        VerifyReport report;
        LedgerVerifier::Result result;
        QString e;
        QVERIFY2(LedgerVerifier::run(*m_ws, &report, &result, &e), qPrintable(e));
        if (expectOk)
            QVERIFY2(report.ok(), qPrintable(report.problems.value(0).subject + QStringLiteral(": ") + report.problems.value(0).message));
    }

private Q_SLOTS:
    void init()
    {
        QString e;
        m_signOff.reset();
        m_ws = createWorkspace(m_tmp.filePath(QStringLiteral("ws%1").arg(++m_n)), &e);
        QVERIFY2(m_ws, qPrintable(e));
        QVERIFY2(ingest(QStringLiteral("v1"), nullptr, &e), qPrintable(e)); // unsigned history, adopted below
        m_signOff = std::make_unique<SignOff>(*m_ws);
    }

    void unsignedWorkspaceRefusesSignOffButIngests()
    {
        QString e;
        expectRefusal(m_signOff->decide(cora, v1, QStringLiteral("r1"), QStringLiteral("keep"), {}, {}, &e), e, "signed-workspace");
        QVERIFY2(ingest(QStringLiteral("v2"), nullptr, &e), qPrintable(e));
        verifyLedger();
    }

    void genesisAdoptsHistoryAndSetsPolicy()
    {
        QString e;
        QVERIFY2(m_signOff->makeSigned(QStringLiteral("root"), admin, 2, &e), qPrintable(e));
        const auto genesis = m_signOff->ledger().event(2, &e);
        QVERIFY(genesis);
        QCOMPARE(genesis->type, EventType::Genesis);
        QCOMPARE(genesis->body().value(QStringLiteral("adopts")).toObject().value(QStringLiteral("tree_size")).toInt(), 1);
        QCOMPARE(genesis->body().value(QStringLiteral("adopts")).toObject().value(QStringLiteral("root")).toString(),
                 toHex(*m_signOff->ledger().root(1, &e)));
        QCOMPARE(m_signOff->ledger().state().approvalsRequired(), 2);
        // A second genesis, by anyone, is refused.
        expectRefusal(m_signOff->makeSigned(QStringLiteral("other"), stranger, 1, &e), e, "unique-principal");
        // After signing, an unsigned ingest is refused.
        QVERIFY(!ingest(QStringLiteral("v2"), nullptr, &e));
        QVERIFY2(e.contains(QStringLiteral("registered-key")), qPrintable(e));
        verifyLedger();
    }

    void fullWorkflowReleasesACuratedVersion()
    {
        QString e;
        registerTeam(2);
        QVERIFY2(ingest(QStringLiteral("v2"), &cora, &e), qPrintable(e));
        const VersionRef v2{QStringLiteral("t"), QStringLiteral("v2")};
        QVERIFY2(m_signOff->decide(cora, v2, QStringLiteral("r2"), QStringLiteral("exclude"), {}, QStringLiteral("trigger patch"), &e), qPrintable(e));
        QVERIFY(m_signOff->decide(cora, v2, QStringLiteral("r3"), QStringLiteral("relabel"), QStringLiteral("p"), {}, &e));
        QVERIFY(m_signOff->decide(cora, v2, QStringLiteral("r4"), QStringLiteral("keep"), {}, {}, &e));
        QVERIFY(m_signOff->submit(cora, v2, &e));
        expectRefusal(m_signOff->release(cora, v2, QStringLiteral("v3"), nullptr, &e), e, "approvals-required");
        QVERIFY2(m_signOff->approve(ada, v2, &e), qPrintable(e));
        QVERIFY(m_signOff->approve(abe, v2, &e));
        ReleaseResult r;
        QVERIFY2(m_signOff->release(cora, v2, QStringLiteral("v3"), &r, &e), qPrintable(e));
        QCOMPARE(r.recordCount, qint64(3));

        QCOMPARE(m_ws->version(v2, &e)->provenance.ingestedBy, QStringLiteral("cora")); // the signer, not the OS user
        const auto v3 = m_ws->version(VersionRef{QStringLiteral("t"), QStringLiteral("v3")}, &e);
        QVERIFY(v3);
        QCOMPARE(v3->parentLabel, QStringLiteral("v2"));
        RecordQuery q(*m_ws);
        QVERIFY(!q.byId(v3->id, QStringLiteral("r2"), &e));            // excluded
        QCOMPARE(q.byId(v3->id, QStringLiteral("r3"), &e)->label, QStringLiteral("p")); // relabelled
        QCOMPARE(q.byId(v3->id, QStringLiteral("r1"), &e)->label, QStringLiteral("p"));

        // The attestation: an in-toto Statement in a DSSE envelope the releaser signed, naming v3's digest.
        const auto envelope = Dsse::Envelope::fromJson(*m_signOff->ledger().state().attestation(QStringLiteral("t@v3")), &e);
        QVERIFY2(envelope, qPrintable(e));
        QVERIFY(Dsse::verifyEnvelope(*envelope, cora.publicKey(), &e));
        const QJsonObject statement = QJsonDocument::fromJson(envelope->payload).object();
        QCOMPARE(statement.value(QStringLiteral("_type")).toString(), QStringLiteral("https://in-toto.io/Statement/v1"));
        QCOMPARE(statement.value(QStringLiteral("subject")).toArray().first().toObject().value(QStringLiteral("digest")).toObject()
                     .value(QStringLiteral("sha256")).toString(), toHex(v3->digest));
        QCOMPARE(statement.value(QStringLiteral("predicate")).toObject().value(QStringLiteral("approvals")).toArray().size(), 2);
        QCOMPARE(statement.value(QStringLiteral("predicate")).toObject().value(QStringLiteral("decisions")).toObject()
                     .value(QStringLiteral("exclude")).toInt(), 1);

        // A released batch is closed.
        expectRefusal(m_signOff->decide(cora, v2, QStringLiteral("r1"), QStringLiteral("exclude"), {}, {}, &e), e, "batch-open");
        verifyLedger();
    }

    void separationOfDuties()
    {
        QString e;
        QVERIFY(m_signOff->makeSigned(QStringLiteral("root"), admin, 2, &e));
        QVERIFY(m_signOff->addPrincipal(admin, QStringLiteral("cora"), cora.publicKey(), {QStringLiteral("curator")}, &e));
        QVERIFY(m_signOff->addPrincipal(admin, QStringLiteral("cole"), cole.publicKey(), {QStringLiteral("curator"), QStringLiteral("approver")}, &e));
        QVERIFY(m_signOff->addPrincipal(admin, QStringLiteral("ada"), ada.publicKey(), {QStringLiteral("approver")}, &e));
        QVERIFY(m_signOff->addPrincipal(admin, QStringLiteral("abe"), abe.publicKey(), {QStringLiteral("approver")}, &e));
        QVERIFY(m_signOff->addPrincipal(admin, QStringLiteral("ann"), ann.publicKey(), {QStringLiteral("analyst")}, &e));

        // Roles: an approver cannot decide, an analyst cannot approve, a curator cannot add principals.
        expectRefusal(m_signOff->decide(ada, v1, QStringLiteral("r1"), QStringLiteral("keep"), {}, {}, &e), e, "role");
        expectRefusal(m_signOff->addPrincipal(cora, QStringLiteral("x"), stranger.publicKey(), {QStringLiteral("admin")}, &e), e, "role");
        // A key nobody registered.
        expectRefusal(m_signOff->decide(stranger, v1, QStringLiteral("r1"), QStringLiteral("keep"), {}, {}, &e), e, "registered-key");
        // Nothing to approve before a submission.
        expectRefusal(m_signOff->approve(ada, v1, &e), e, "batch-submitted");

        QVERIFY(m_signOff->decide(cole, v1, QStringLiteral("r1"), QStringLiteral("exclude"), {}, {}, &e));
        QVERIFY(m_signOff->submit(cora, v1, &e));
        expectRefusal(m_signOff->approve(ann, v1, &e), e, "role");
        // cole decided a record, cora submitted (and cora is no approver anyway).
        expectRefusal(m_signOff->approve(cole, v1, &e), e, "no-decider-approval");
        QVERIFY2(m_signOff->approve(ada, v1, &e), qPrintable(e));
        expectRefusal(m_signOff->approve(ada, v1, &e), e, "one-approval-per-key");
        expectRefusal(m_signOff->release(cora, v1, QStringLiteral("r"), nullptr, &e), e, "approvals-required");

        // Self-approval: a curator-approver submits, then tries to approve.
        QVERIFY(m_signOff->submit(cole, v1, &e));
        expectRefusal(m_signOff->approve(cole, v1, &e), e, "no-self-approval");
        verifyLedger();
    }

    void decisionAfterApprovalVoidsApprovals()
    {
        QString e;
        registerTeam(2);
        QVERIFY(m_signOff->submit(cora, v1, &e));
        QVERIFY(m_signOff->approve(ada, v1, &e));
        QCOMPARE(m_signOff->summary(v1).approvals.size(), 1);
        QVERIFY(m_signOff->decide(cora, v1, QStringLiteral("r4"), QStringLiteral("exclude"), {}, {}, &e));
        const BatchSummary s = m_signOff->summary(v1);
        QCOMPARE(s.approvals.size(), 0);
        QCOMPARE(s.status.state, QStringLiteral("open"));
        expectRefusal(m_signOff->approve(abe, v1, &e), e, "batch-submitted");
        verifyLedger();
    }

    void approvalReplayedOntoAnotherBatchIsRefused()
    {
        QString e;
        registerTeam(1);
        QVERIFY2(ingest(QStringLiteral("v2"), &cora, &e), qPrintable(e));
        const VersionRef v2{QStringLiteral("t"), QStringLiteral("v2")};
        QVERIFY(m_signOff->submit(cora, v1, &e));
        QVERIFY(m_signOff->approve(ada, v1, &e));
        QVERIFY(m_signOff->submit(cora, v2, &e));
        // Take ada's approval body for v1's batch and point it at v2: the digest no longer matches.
        const QString v1Digest = m_signOff->ledger().state().batch(v1.toString()).digest;
        const QJsonObject replayed{{QStringLiteral("version"), v2.toString()}, {QStringLiteral("batch_digest"), v1Digest}};
        Refusal refusal;
        QVERIFY(!m_signOff->ledger().commit(EventType::BatchApproved, replayed, &ada, nullptr, &e, &refusal));
        QCOMPARE(refusal.rule, QStringLiteral("approval-binds-batch"));
        verifyLedger();
    }

    void vetoBlocksUntilResubmitted()
    {
        QString e;
        registerTeam(1);
        QVERIFY(m_signOff->submit(cora, v1, &e));
        QVERIFY(m_signOff->approve(ada, v1, &e));
        QVERIFY(!m_signOff->veto(abe, v1, QString(), &e)); // a veto needs a reason
        QVERIFY(m_signOff->veto(abe, v1, QStringLiteral("r3 looks stamped"), &e));
        expectRefusal(m_signOff->release(cora, v1, QStringLiteral("v9"), nullptr, &e), e, "veto-blocks");
        QVERIFY(m_signOff->submit(cora, v1, &e));
        QCOMPARE(m_signOff->summary(v1).approvals.size(), 0); // a new submission needs new approvals
        QVERIFY(m_signOff->approve(ada, v1, &e));
        ReleaseResult r;
        QVERIFY2(m_signOff->release(cora, v1, QStringLiteral("v9"), &r, &e), qPrintable(e));
        verifyLedger();
    }

    void revokedKeysCannotActAndTheirApprovalsStopCounting()
    {
        QString e;
        registerTeam(2);
        QVERIFY(m_signOff->submit(cora, v1, &e));
        QVERIFY(m_signOff->approve(ada, v1, &e));
        QVERIFY(m_signOff->approve(abe, v1, &e));
        QVERIFY(m_signOff->revokePrincipal(admin, QStringLiteral("abe"), &e));
        expectRefusal(m_signOff->release(cora, v1, QStringLiteral("v5"), nullptr, &e), e, "approvals-required");
        expectRefusal(m_signOff->veto(abe, v1, QStringLiteral("late"), &e), e, "not-revoked");
        QVERIFY(m_signOff->revokePrincipal(admin, QStringLiteral("cora"), &e));
        expectRefusal(m_signOff->decide(cora, v1, QStringLiteral("r1"), QStringLiteral("keep"), {}, {}, &e), e, "not-revoked");
        // Their earlier events stay valid: the whole ledger still verifies.
        verifyLedger();
        // Adding the same key again under another name is refused.
        expectRefusal(m_signOff->addPrincipal(admin, QStringLiteral("ada2"), ada.publicKey(), {QStringLiteral("approver")}, &e), e, "unique-principal");
    }

    void analystsRollBack()
    {
        QString e;
        registerTeam(1);
        QVERIFY(m_signOff->addPrincipal(admin, QStringLiteral("ann"), ann.publicKey(), {QStringLiteral("analyst")}, &e));
        const VersionRef released{QStringLiteral("t"), QStringLiteral("v1-released")};
        expectRefusal(m_signOff->rollBack(ann, released, QStringLiteral("incident 7"), &e), e, "known-version");
        // Only a released version can be trusted again: the batch it came from never passed sign-off as it is.
        QVERIFY(m_signOff->submit(cora, v1, &e));
        QVERIFY(m_signOff->approve(ada, v1, &e));
        ReleaseResult r;
        QVERIFY2(m_signOff->release(cora, v1, released.label, &r, &e), qPrintable(e));
        expectRefusal(m_signOff->rollBack(ann, v1, QStringLiteral("incident 7"), &e), e, "rollback-to-release");
        expectRefusal(m_signOff->rollBack(cora, released, QStringLiteral("incident 7"), &e), e, "role");
        QVERIFY(!m_signOff->rollBack(ann, released, QString(), &e)); // a reason is required
        QVERIFY2(m_signOff->rollBack(ann, released, QStringLiteral("incident 7: model regressed"), &e), qPrintable(e));
        QCOMPARE(m_signOff->ledger().state().rolledBackTo(QStringLiteral("t")).value_or(QString()), released.toString());
        expectRefusal(m_signOff->rollBack(ann, VersionRef{QStringLiteral("t"), QStringLiteral("nope")}, QStringLiteral("x"), &e), e,
                      "known-version");
        verifyLedger();
    }

    void badDecisionsAreRefusedClearly()
    {
        QString e;
        QVERIFY(m_signOff->makeSigned(QStringLiteral("root"), admin, 1, &e));
        QVERIFY(m_signOff->addPrincipal(admin, QStringLiteral("cora"), cora.publicKey(), {QStringLiteral("curator")}, &e));
        QVERIFY(!m_signOff->decide(cora, v1, QStringLiteral("nope"), QStringLiteral("keep"), {}, {}, &e));
        QVERIFY2(e.contains(QStringLiteral("no record 'nope'")), qPrintable(e));
        QVERIFY(!m_signOff->decide(cora, v1, QStringLiteral("r1"), QStringLiteral("burn"), {}, {}, &e));
        QVERIFY2(e.contains(QStringLiteral("unknown decision")), qPrintable(e));
        QVERIFY(!m_signOff->decide(cora, v1, QStringLiteral("r1"), QStringLiteral("relabel"), {}, {}, &e));
        QVERIFY2(e.contains(QStringLiteral("relabel needs")), qPrintable(e));
        QVERIFY(!m_signOff->decide(cora, v1, QStringLiteral("r1"), QStringLiteral("relabel"), QStringLiteral("  "), {}, &e));
        QVERIFY2(e.contains(QStringLiteral("relabel needs")), qPrintable(e));
        QVERIFY(!m_signOff->decide(cora, v1, QStringLiteral("r1"), QStringLiteral("relabel"), QStringLiteral(" cat"), {}, &e));
        QCOMPARE(e, QStringLiteral("the new label ' cat' begins or ends with white space"));
        QVERIFY(!m_signOff->addPrincipal(admin, QStringLiteral("x"), stranger.publicKey(), {QStringLiteral("wizard")}, &e));
        QVERIFY2(e.contains(QStringLiteral("unknown role 'wizard'")), qPrintable(e));
        QVERIFY(!m_signOff->addPrincipal(admin, QStringLiteral("x"), stranger.publicKey(), {QStringLiteral("curator"), QStringLiteral("curator")}, &e));
        QCOMPARE(e, QStringLiteral("the role 'curator' is given twice"));
        QVERIFY(!m_signOff->changeRoles(admin, QStringLiteral("cora"), {}, &e));
        QVERIFY2(e.startsWith(QStringLiteral("a principal needs at least one role")), qPrintable(e));
    }

    // Many decisions at once land whole or not at all: a missing record or a refusal after some of the events
    // were appended leaves none of them.
    void decisionsOnManyRecordsAreAllOrNothing()
    {
        QString e;
        registerTeam(1);
        const qint64 before = m_signOff->ledger().size(&e).value_or(-1);
        QList<DecisionChange> changes;
        for (const char *r : {"r1", "r2", "r3"})
            changes.append(DecisionChange{QLatin1String(r), QStringLiteral("exclude"), {}, QStringLiteral("n")});
        changes.append(DecisionChange{QStringLiteral("r404"), QStringLiteral("keep"), {}, {}});
        int appended = 0;
        QVERIFY(!m_signOff->decideAll(cora, v1, changes, &e, [&appended](int done) { appended = done; }));
        QVERIFY2(e.contains(QStringLiteral("no record 'r404'")), qPrintable(e));
        QCOMPARE(appended, 3); // three events were appended before the failure, then rolled back
        QCOMPARE(m_signOff->ledger().size(&e).value_or(-1), before);
        QVERIFY(m_signOff->ledger().state().decisions(v1.toString()).isEmpty());

        // An approver may not decide: refused on the first event, nothing written.
        changes.removeLast();
        expectRefusal(m_signOff->decideAll(ada, v1, changes, &e), e, "role");
        QCOMPARE(m_signOff->ledger().size(&e).value_or(-1), before);

        QVERIFY2(m_signOff->decideAll(cora, v1, changes, &e), qPrintable(e));
        QCOMPARE(m_signOff->ledger().size(&e).value_or(-1), before + 3);
        QCOMPARE(m_signOff->ledger().state().decisions(v1.toString()).size(), 3);
        verifyLedger();
    }
};

QTEST_GUILESS_MAIN(TestSignOff)
#include "TestSignOff.moc"
