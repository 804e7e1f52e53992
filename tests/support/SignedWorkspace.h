#pragma once

#include "identity/SigningKey.h"
#include "storage/VerifyReport.h"

#include <QString>

#include <memory>

namespace custody {
class Workspace;
}

namespace custody::test {

// Deterministic keys for ledger tests (from fixed RFC 8032 seeds: no scrypt, no key store).
SigningKey seedKey(char byte);

// A signed workspace with history: an unsigned ingest adopted by genesis, principals admin(1), cora(2,
// curator), ada(4, approver), abe(5, approver), a signed ingest of t@v2, decisions, a submission, two
// approvals, a veto-free release of t@v3. About a dozen events of every common type.
std::unique_ptr<Workspace> makeSignedWorkspace(const QString &dir, const QString &scratch, QString *error);

// A signed workspace whose releases need `approvals`: principals admin(1), cora(2, curator), ada(4, approver),
// abe(5, approver); t@v1 (200 records r1..r200, labels p/q, one number) ingested by cora, who excluded r2 and
// submitted it.
// Runs one SQL statement on the workspace's database behind Custody's back, as a forger would.
bool forgeSql(const QString &dir, const char *statement);
// A whole-workspace verify on a read-only open (problems in the report; a failure to run is logged).
VerifyReport verifyWorkspace(const QString &dir);

// Ingests `file` (a CSV with columns id and label) as DATASET@VERSION, child of `parent` when given, signed by
// `signer`.
bool ingestSignedCsv(Workspace &ws, const QString &dataset, const QString &version, const QString &parent, const QString &file,
                     const SigningKey &signer, QString *error);

std::unique_ptr<Workspace> makeSubmittedBatch(const QString &dir, const QString &scratch, int approvals, QString *error);

} // namespace custody::test
