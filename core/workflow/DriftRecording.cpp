#include "workflow/DriftRecording.h"

#include "analysis/DriftReport.h"
#include "ledger/Ledger.h"
#include "ledger/VersionTrust.h"
#include "storage/Workspace.h"

namespace custody {

bool recordDriftRun(Workspace &workspace, const DriftReport &report, const SigningKey *signer, LedgerEvent *event,
                    Error *error)
{
    const QJsonObject body{{QStringLiteral("version"), report.batch},
                           {QStringLiteral("baseline"), report.baseline},
                           {QStringLiteral("kind"), QStringLiteral("drift")},
                           {QStringLiteral("config"), report.options.toJson()},
                           {QStringLiteral("result_digest"), report.resultDigest()}};
    QString message;
    Refusal refusal;
    // Signed evidence about the batch and its baseline: both must be what the signed ledger recorded.
    Ledger ledger(workspace);
    Transaction tx(workspace.db());
    if (tx.begin(&message) && versionsHoldForWrite(workspace, ledger, {report.batch, report.baseline}, false, &message, &refusal)
        && ledger.append(EventType::ScanRecorded, body, signer, event, &message, &refusal) && tx.commit(&message)) {
        ledger.committed();
        return true;
    }
    *error = refusal.rule.isEmpty() ? Error::of(Error::Kind::Io, message) : Error::refused(refusal);
    return false;
}

} // namespace custody
