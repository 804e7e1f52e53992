#pragma once

#include "ledger/Policy.h"
#include "storage/Ingest.h"

namespace custody {

// Ingest with its ledger event: the policy is asked before any record is read (a signed workspace needs a
// curator's request.signer), and the version.ingested event, signed by that curator, is appended in the
// ingest's own transaction. Every front end and the demo ingest through this call. `refusal`, when given, is
// set when the policy said no (the error names the rule too).
bool ingestVersion(Workspace &workspace, const IngestRequest &request, IngestResult *result, QString *error,
                   const ProgressFn &progress = {}, const std::atomic_bool *cancel = nullptr,
                   Refusal *refusal = nullptr);

} // namespace custody
