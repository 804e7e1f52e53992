#include "workflow/OpenWorkspace.h"

#include "ledger/CheckpointStore.h"
#include "ledger/Ledger.h"
#include "ledger/StateStore.h"

#include <QJsonObject>

namespace custody {

namespace {

QString &checkpointDirectoryStorage()
{
    static QString dir = CheckpointStore::defaultDirectory();
    return dir;
}

class LedgerLifecycle : public WorkspaceLifecycle
{
public:
    bool migrated(Workspace &workspace, int schema, QString *error) override
    {
        // Schema 2 brought the ledger: its derived tables, and versions that already existed enter it as
        // unsigned events, in the order they were made.
        if (schema != 2)
            return true;
        if (!workspace.db().exec(StateStore::schemaSql(), error))
            return false;
        Ledger ledger(workspace);
        Statement st(workspace.db(), "SELECT d.name || '@' || v.label, v.digest FROM version v "
                                     "JOIN dataset d ON d.id = v.dataset_id ORDER BY v.id");
        while (st.step()) {
            const QJsonObject body{{QStringLiteral("version"), st.columnText(0)},
                                   {QStringLiteral("digest"), QString::fromLatin1(st.columnBlob(1).toHex())}};
            if (!ledger.append(EventType::VersionIngested, body, nullptr, nullptr, error))
                return false;
        }
        return !st.failed();
    }

    void opened(Workspace &workspace) override
    {
        const QString dir = rememberedCheckpointDirectory();
        if (dir.isEmpty())
            return;
        Ledger ledger(workspace);
        const auto remembered = CheckpointStore(dir).load(ledger.workspaceId());
        if (!remembered)
            return;
        if (const QString problem = CheckpointStore::inconsistency(ledger, *remembered); !problem.isEmpty())
            workspace.refuseWrites(problem);
    }

    void closing(Workspace &workspace) override
    {
        // What this user has now seen of the ledger becomes the baseline the next open is checked against.
        const QString dir = rememberedCheckpointDirectory();
        if (workspace.isReadOnly() || !workspace.integrityProblem().isEmpty() || dir.isEmpty())
            return;
        Ledger ledger(workspace);
        QString e;
        CheckpointStore(dir).rememberCurrent(ledger, &e);
    }
};

std::shared_ptr<WorkspaceLifecycle> ledgerLifecycle()
{
    static const auto lifecycle = std::make_shared<LedgerLifecycle>();
    return lifecycle;
}

} // namespace

std::unique_ptr<Workspace> openWorkspace(const QString &dir, QString *error, Workspace::Access access)
{
    return Workspace::open(dir, ledgerLifecycle(), error, access);
}

std::unique_ptr<Workspace> createWorkspace(const QString &dir, QString *error)
{
    return Workspace::create(dir, ledgerLifecycle(), error);
}

void setRememberedCheckpointDirectory(const QString &directory)
{
    checkpointDirectoryStorage() = directory;
}

QString rememberedCheckpointDirectory()
{
    return checkpointDirectoryStorage();
}

} // namespace custody
