#include "SignedWorkspace.h"

#include "TestSupport.h"
#include "ledger/SignOff.h"
#include "storage/Ingest.h"
#include "workflow/IngestVersion.h"
#include "storage/Workspace.h"
#include "workflow/OpenWorkspace.h"
#include "workflow/Verifier.h"
#include "storage/Database.h"

namespace custody::test {

SigningKey seedKey(char byte)
{
    QString e;
    return *SigningKey::fromSeed(QByteArray(32, byte), &e);
}

std::unique_ptr<Workspace> makeSignedWorkspace(const QString &dir, const QString &scratch, QString *error)
{
    auto ws = createWorkspace(dir, error);
    if (!ws)
        return nullptr;
    const QString csv = scratch + QStringLiteral("/signed-ws.csv");
    writeFile(csv, "id,label,x\nr1,p,1\nr2,p,2\nr3,q,3\nr4,q,4\nr5,p,5\n");
    const SigningKey admin = seedKey(1), cora = seedKey(2), ada = seedKey(4), abe = seedKey(5);
    auto ingest = [&](const QString &label, const SigningKey *signer) {
        IngestRequest req;
        req.dataset = QStringLiteral("t");
        req.version = label;
        req.paths = {csv};
        req.reader.idColumn = QStringLiteral("id");
        req.reader.labelColumn = QStringLiteral("label");
        req.signer = signer;
        IngestResult r;
        return ingestVersion(*ws, req, &r, error);
    };
    SignOff s(*ws);
    const VersionRef v2{QStringLiteral("t"), QStringLiteral("v2")};
    ReleaseResult released;
    const bool ok = ingest(QStringLiteral("v1"), nullptr) && s.makeSigned(QStringLiteral("admin"), admin, 2, error)
        && s.addPrincipal(admin, QStringLiteral("cora"), cora.publicKey(), {QStringLiteral("curator")}, error)
        && s.addPrincipal(admin, QStringLiteral("ada"), ada.publicKey(), {QStringLiteral("approver")}, error)
        && s.addPrincipal(admin, QStringLiteral("abe"), abe.publicKey(), {QStringLiteral("approver")}, error)
        && ingest(QStringLiteral("v2"), &cora)
        && s.decide(cora, v2, QStringLiteral("r2"), QStringLiteral("exclude"), {}, QStringLiteral("stamped"), error)
        && s.decide(cora, v2, QStringLiteral("r3"), QStringLiteral("relabel"), QStringLiteral("p"), {}, error)
        && s.submit(cora, v2, error) && s.approve(ada, v2, error) && s.approve(abe, v2, error)
        && s.release(cora, v2, QStringLiteral("v3"), &released, error);
    return ok ? std::move(ws) : nullptr;
}

bool forgeSql(const QString &dir, const char *statement)
{
    Database db;
    QString e;
    const bool ok = db.open(Workspace::databasePath(dir), Database::Mode::ReadWrite, &e) && db.exec(statement, &e);
    if (!ok)
        qWarning("%s", qPrintable(e));
    return ok;
}

VerifyReport verifyWorkspace(const QString &dir)
{
    QString e;
    auto ws = openWorkspace(dir, &e, Workspace::Access::ReadOnly);
    VerifyReport report;
    if (!ws || !Verifier::run(*ws, &report, &e))
        qWarning("verify failed to run: %s", qPrintable(e));
    return report;
}

bool ingestSignedCsv(Workspace &ws, const QString &dataset, const QString &version, const QString &parent, const QString &file,
                     const SigningKey &signer, QString *error)
{
    IngestRequest req;
    req.dataset = dataset;
    req.version = version;
    req.parentLabel = parent;
    req.paths = {file};
    req.reader.idColumn = QStringLiteral("id");
    req.reader.labelColumn = QStringLiteral("label");
    req.signer = &signer;
    IngestResult r;
    return ingestVersion(ws, req, &r, error);
}

std::unique_ptr<Workspace> makeSubmittedBatch(const QString &dir, const QString &scratch, int approvals, QString *error)
{
    auto ws = createWorkspace(dir, error);
    if (!ws)
        return nullptr;
    const SigningKey admin = seedKey(1), cora = seedKey(2), ada = seedKey(4), abe = seedKey(5);
    QByteArray csv = "id,label,x\n";
    for (int i = 1; i <= 200; ++i)
        csv += QStringLiteral("r%1,%2,%3\n").arg(i).arg(i % 2 ? QStringLiteral("p") : QStringLiteral("q")).arg(i * 7).toUtf8();
    const QString file = scratch + QStringLiteral("/submitted-batch.csv");
    writeFile(file, csv);
    SignOff s(*ws);
    const VersionRef v1{QStringLiteral("t"), QStringLiteral("v1")};
    const bool ok = s.makeSigned(QStringLiteral("root"), admin, approvals, error)
                    && s.addPrincipal(admin, QStringLiteral("cora"), cora.publicKey(), {QStringLiteral("curator")}, error)
                    && s.addPrincipal(admin, QStringLiteral("ada"), ada.publicKey(), {QStringLiteral("approver")}, error)
                    && s.addPrincipal(admin, QStringLiteral("abe"), abe.publicKey(), {QStringLiteral("approver")}, error)
                    && ingestSignedCsv(*ws, QStringLiteral("t"), QStringLiteral("v1"), {}, file, cora, error)
                    && s.decide(cora, v1, QStringLiteral("r2"), QStringLiteral("exclude"), {}, {}, error)
                    && s.submit(cora, v1, error);
    return ok ? std::move(ws) : nullptr;
}

} // namespace custody::test
