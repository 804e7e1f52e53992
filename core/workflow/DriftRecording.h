#pragma once

#include "workflow/Error.h"

namespace custody {

class SigningKey;
class Workspace;
struct DriftReport;
struct LedgerEvent;

// Records a finished drift run as a scan.recorded ledger event of kind "drift": the batch, its baseline, the
// options and the digest of the full result. The command line and the desktop's drift dashboard both record
// through this call, so the audit trail does not depend on which front end ran the check. A signed workspace
// needs `signer` (a curator's key; the policy says no otherwise); an unsigned one hash-chains the event unsigned.
bool recordDriftRun(Workspace &workspace, const DriftReport &report, const SigningKey *signer, LedgerEvent *event,
                    Error *error);

} // namespace custody
