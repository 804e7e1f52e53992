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
        // Asked of the state the signed ledger proves, not of tables anyone could edit.
        StateStore *verified = m_ledger.verifiedState(QString(), error, m_refusal);
        if (!verified)
            return false;
        const auto refused = Policy::authorize(*verified, EventType::VersionIngested, {}, actor());
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
    if (!Ingest::run(workspace, request, result, error, progress, cancel, &journal))
        return false;
    journal.ledger().committed();
    return true;
}

} // namespace custody
