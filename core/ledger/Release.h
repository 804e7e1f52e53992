#pragma once

#include "ledger/SignOff.h"

namespace custody {

// Builds the curated version a release produces: the batch's records without the excluded ones and with
// relabels applied, parent = the batch. Contents are unchanged, so the new version shares the batch's record
// pack; only labels, the Merkle root and the manifest are new. Also writes the release attestation: an in-toto
// Statement v1 in a DSSE envelope signed by the releasing curator. Runs inside the caller's transaction.
class Release
{
public:
    static constexpr const char *kPredicateType = "https://custody.dev/attestation/release/v1";

    static bool build(Workspace &ws, StateStore &state, const SigningKey &curator, const VersionRef &batch,
                      const QString &newLabel, const QString &batchDigest, ReleaseResult *result, QString *error);
};

} // namespace custody
