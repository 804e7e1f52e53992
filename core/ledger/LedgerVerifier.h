#pragma once

#include "hashing/Sha256.h"
#include "storage/VerifyReport.h"

#include <atomic>

namespace custody {

class Workspace;

// What verify says of the ledger, added to the workspace's VerifyReport. Checks, in order: the hash chain
// and every event hash; that each payload agrees with its columns and names this workspace; every Ed25519
// signature over its DSSE encoding (checked on all cores); the policy, replayed event by event into an empty
// in-memory state; that the derived tables equal that replay; and that every stored version has the
// ingest or release event that binds its digest, and no event names a version that is gone.
class LedgerVerifier
{
public:
    struct Result
    {
        qint64 events = 0;
        qint64 signedEvents = 0;
        Digest root{};
    };
    static bool run(Workspace &workspace, VerifyReport *report, Result *result, QString *error,
                    const std::atomic_bool *cancel = nullptr);
};

} // namespace custody
