#include "workflow/DriftRecording.h"

#include "analysis/DriftReport.h"
#include "ledger/Ledger.h"

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
    if (Ledger(workspace).commit(EventType::ScanRecorded, body, signer, event, &message, &refusal))
        return true;
    *error = refusal.rule.isEmpty() ? Error::of(Error::Kind::Io, message) : Error::refused(refusal);
    return false;
}

} // namespace custody
