#include "workflow/IngestVersion.h"

#include "identity/SigningKey.h"
#include "ledger/Ledger.h"

namespace custody {

namespace {

class LedgerJournal : public IngestJournal
{
public:
    LedgerJournal(Workspace &workspace, const SigningKey *signer, Refusal *refusal)
        : m_ledger(workspace), m_signer(signer), m_refusal(refusal)
    {
    }

    bool admit(QString *error) override
    {
        const auto refused = Policy::authorize(m_ledger.state(), EventType::VersionIngested, {}, actor());
        if (!refused)
            return true;
        if (m_refusal)
            *m_refusal = *refused;
        *error = refused->toString();
        return false;
    }

    QString ingestedBy() override
    {
        // The signing principal once identities exist; the operating-system user in an unsigned workspace.
        const auto principal = m_signer ? m_ledger.state().principalByKey(actor()) : std::nullopt;
        return principal ? principal->name : QString();
    }

    bool recordIngested(const VersionRef &version, const Digest &digest, QString *error) override
    {
        const QJsonObject event{{QStringLiteral("version"), version.toString()}, {QStringLiteral("digest"), toHex(digest)}};
        return m_ledger.append(EventType::VersionIngested, event, m_signer, nullptr, error, m_refusal);
    }

private:
    QString actor() const { return m_signer ? m_signer->keyId() : QString(); }

    Ledger m_ledger;
    const SigningKey *m_signer;
    Refusal *m_refusal;
};

} // namespace

bool ingestVersion(Workspace &workspace, const IngestRequest &request, IngestResult *result, QString *error,
                   const ProgressFn &progress, const std::atomic_bool *cancel, Refusal *refusal)
{
    LedgerJournal journal(workspace, request.signer, refusal);
    return Ingest::run(workspace, request, result, error, progress, cancel, &journal);
}

} // namespace custody
