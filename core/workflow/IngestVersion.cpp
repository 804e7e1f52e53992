#include "workflow/IngestVersion.h"

#include "identity/SigningKey.h"
#include "ledger/Ledger.h"
#include "storage/Workspace.h"

namespace custody {

namespace {

class LedgerJournal : public IngestJournal
{
public:
    LedgerJournal(Workspace &workspace, const IngestRequest &request, Refusal *refusal)
        : m_ws(workspace), m_request(request), m_ledger(workspace), m_signer(request.signer), m_refusal(refusal)
    {
    }

    bool admit(QString *error) override
    {
        // Asked of the state the signed ledger proves, not of tables anyone could edit.
        StateStore *verified = m_ledger.verifiedState(QString(), error, m_refusal);
        if (!verified)
            return false;
        const auto refused = Policy::authorize(*verified, EventType::VersionIngested, {}, actor());
        if (!refused)
            return parentIsTheLedgers(*verified, error);
        if (m_refusal)
            *m_refusal = *refused;
        *error = refused->toString();
        return false;
    }

    QString ingestedBy() override
    {
        // The signing principal once identities exist; the operating-system user in an unsigned workspace.
        QString error;
        StateStore *verified = m_signer ? m_ledger.verifiedState(QString(), &error) : nullptr;
        const auto principal = verified ? verified->principalByKey(actor()) : std::nullopt;
        return principal ? principal->name : QString();
    }

    bool recordIngested(const VersionRef &version, const Digest &digest, QString *error) override
    {
        const QJsonObject event{{QStringLiteral("version"), version.toString()}, {QStringLiteral("digest"), toHex(digest)}};
        return m_ledger.append(EventType::VersionIngested, event, m_signer, nullptr, error, m_refusal);
    }

    Ledger &ledger() { return m_ledger; }

private:
    // The new version's manifest commits to its parent's digest: it must be the one the signed ledger recorded.
    bool parentIsTheLedgers(StateStore &verified, QString *error)
    {
        if (m_request.parentLabel.isEmpty())
            return true;
        const VersionRef ref{m_request.dataset, m_request.parentLabel};
        QString e;
        const auto parent = m_ws.version(ref, &e);
        if (!parent)
            return true; // the ingest says the parent does not exist
        const auto recorded = verified.ingestedDigest(ref.toString());
        if (recorded && *recorded == toHex(parent->digest))
            return true;
        const Refusal r{QStringLiteral("verified-state"),
                        QStringLiteral("the parent %1 %2; nothing was stored. Run 'custody-cli verify'")
                            .arg(ref.toString(), recorded ? QStringLiteral("has a digest other than the one the signed ledger recorded")
                                                          : QStringLiteral("is not recorded in the signed ledger"))};
        if (m_refusal)
            *m_refusal = r;
        *error = r.toString();
        return false;
    }

    QString actor() const { return m_signer ? m_signer->keyId() : QString(); }

    Workspace &m_ws;
    const IngestRequest &m_request;
    Ledger m_ledger;
    const SigningKey *m_signer;
    Refusal *m_refusal;
};

} // namespace

bool ingestVersion(Workspace &workspace, const IngestRequest &request, IngestResult *result, QString *error,
                   const ProgressFn &progress, const std::atomic_bool *cancel, Refusal *refusal)
{
    LedgerJournal journal(workspace, request, refusal);
    if (!Ingest::run(workspace, request, result, error, progress, cancel, &journal))
        return false;
    journal.ledger().committed();
    return true;
}

} // namespace custody
