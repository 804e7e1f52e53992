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
class StateStore;

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

    // The events alone, replayed into `state` (an empty StateStore over its own database): each event's
    // signature, chain link and policy checked. Returns the sequence number of the first event that does not
    // hold (0 when all do; the replay of later events is then not proof) with its problem in *problem.
    // -1 when the ledger cannot be read.
    static qint64 firstUnprovenEvent(Workspace &workspace, StateStore &state, QString *problem, QString *error);
};

} // namespace custody
