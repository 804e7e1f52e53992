#pragma once

#include "storage/DatasetVersion.h"
#include "storage/VerifyReport.h"

#include <functional>

namespace custody {

class Workspace;

// Recomputes one version from its stored bytes: every record's content hash from the record pack, the Merkle
// root over the records, the manifest hash, the digest that binds them, and the manifest's facts against the
// workspace; each mismatch is a problem naming its subject. Verify runs it on every version; an approval and a
// release run it on their batch, so that a signature never vouches for records that no longer match the digest
// the ledger recorded.
class VersionCheck
{
public:
    // Called every few thousand records with how many were checked since the last call; false stops (cancel).
    using Tick = std::function<bool(qint64 records)>;
    // False only when the database cannot be read or `tick` stopped it (then *error says so).
    static bool run(Workspace &workspace, const DatasetVersion &version, VerifyReport *report, QString *error,
                    const Tick &tick = {});
};

} // namespace custody
