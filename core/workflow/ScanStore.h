#pragma once

#include "detection/ScanResult.h"
#include "ledger/Policy.h"

#include <QString>

namespace custody {

class SigningKey;
class Workspace;
struct LedgerEvent;
struct Decision;

// Keeps scan results in the workspace: the findings document and the per-row arrays go to the object store
// (content-addressed, write-once) and a scan.recorded ledger event names the version, baseline, configuration
// and result digest. The latest recorded scan of a version is what `custody-cli findings` and the desktop's
// findings page read back.
class ScanStore
{
public:
    explicit ScanStore(Workspace &workspace) : m_ws(workspace) { }

    // `signer` is required in a signed workspace (a curator's key) and must be null in an unsigned one.
    bool record(const ScanResult &result, const SigningKey *signer, LedgerEvent *event, QString *error,
                Refusal *refusal = nullptr);
    // The newest recorded detector scan of `version` (NAME@LABEL), as the signed ledger proves it: the events are
    // replayed (signatures, chain, policy) and a ledger that does not verify is refused, since an edited
    // scan event could point at planted findings. `decisions`, when given, receives the version's decisions
    // from that replay (not from the derived table, which SQL can edit). False with a message when there is no
    // scan or it is not proven.
    bool latest(const QString &version, ScanResult *result, QString *error, QList<Decision> *decisions = nullptr);

private:
    Workspace &m_ws;
};

} // namespace custody
