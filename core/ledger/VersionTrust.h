#pragma once

#include "storage/DatasetVersion.h"
#include "storage/VerifyReport.h"

namespace custody {

class StateStore;
class Workspace;

// A version as the signed ledger recorded it: its digest is the one its event recorded (in `verified`, the
// replayed state), and its records, record pack and manifest re-hash to that digest; with `files`, the files
// it was made from re-hash to their names too. Run before a signature vouches for the version: an approval, a
// release, a scan recorded on it or against it, an ingest naming it as parent. Returns the problems found
// (empty when it holds); false only when the database cannot be read.
bool checkVersionAgainstLedger(Workspace &workspace, StateStore &verified, const DatasetVersion &version, bool files,
                               QList<VerifyProblem> *problems, QString *error);

// Before a write that a signature will vouch for: each of `versions` (NAME@LABEL; empty ones skipped) checked
// against the verified state of `ledger`. False with *refusal (rule verified-records, or the verified-state /
// verified-ledger refusal of the state itself) and *error naming the first problem; the workspace location is
// then marked as needing verify. Call inside the write's transaction.
class Ledger;
struct Refusal;
bool versionsHoldForWrite(Workspace &workspace, Ledger &ledger, const QStringList &versions, bool files, QString *error,
                          Refusal *refusal);

// One line for a refusal: the first problem, and how many more.
QString describeProblems(const QList<VerifyProblem> &problems);

} // namespace custody
