#pragma once

#include "storage/VerifyReport.h"

#include <atomic>
#include <functional>

namespace custody {

class Workspace;

struct VerifyOptions
{
    QString checkpointFile; // an exported signed checkpoint the ledger must extend
};

// Recomputes every object hash, every record hash, every Merkle root, manifest hash and version digest from
// the stored bytes and names each mismatch. Reads only; safe on a read-only workspace.
class Verifier
{
public:
    using Progress = std::function<void(qint64 done, qint64 total)>;
    static bool run(Workspace &workspace, VerifyReport *report, QString *error, const Progress &progress = {},
                    const std::atomic_bool *cancel = nullptr, const VerifyOptions &options = {});
};

} // namespace custody
