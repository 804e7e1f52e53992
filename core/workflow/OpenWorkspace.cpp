#include "workflow/OpenWorkspace.h"

#include "identity/KeyStore.h"
#include "ledger/CheckpointStore.h"
#include "ledger/Ledger.h"
#include "ledger/StateStore.h"

#include <QFileInfo>
#include <QJsonObject>

namespace custody {

namespace {

// How the ledger here relates to what another location holding the same identity last showed.
QString copyNotice(Ledger &ledger, qint64 size, const CheckpointStore::Checkpoint &copy)
{
    QString error;
    bool forked = false;
    if (copy.treeSize <= size) {
        const auto root = ledger.root(copy.treeSize, &error);
        forked = root && *root != copy.root;
    }
    const QString adopt = QStringLiteral("if one of them is an intended copy, an admin gives it its own identity with "
                                         "'custody-cli init DIR --adopt-copy --admin KEY'");
    if (forked)
        return QStringLiteral("this workspace and its copy at %1 (same identity) have diverged: they are a fork, not one "
                              "workspace; %2").arg(copy.location, adopt);
    return QStringLiteral("a copy of this workspace (same identity) is at %1; %2").arg(copy.location, adopt);
}

class LedgerLifecycle : public WorkspaceLifecycle
{
public:
    // `adopting`: opened to be adopted as a copy, so an older copy is not refused (its own location still is).
    explicit LedgerLifecycle(bool adopting = false) : m_adopting(adopting) { }

    bool migrated(Workspace &workspace, int schema, QString *error) override
    {
        // Schema 3 added who was involved in each version, filled from the events already signed.
        if (schema == 3)
            return workspace.db().exec(StateStore::involvedSql(), error)
                && workspace.db().exec("INSERT OR IGNORE INTO involved SELECT json_extract(payload, '$.body.version'), actor FROM event "
                                       "WHERE type IN ('version.ingested', 'decision.made', 'batch.submitted') AND actor != ''",
                                       error);
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
        const CheckpointStore store;
        if (!store.isEnabled())
            return;
        Ledger ledger(workspace);
        const QString id = ledger.workspaceId();
        const QString location = CheckpointStore::locationOf(workspace.path());
        // What this location showed before: the same identity with fewer or other events is a roll-back or a
        // rewrite here; another identity means the folder now holds another workspace, which starts afresh.
        const auto remembered = store.load(location, id);
        if (const QString unreadable = store.unreadable(location); !unreadable.isEmpty())
            workspace.addNotice(unreadable);
        if (remembered && remembered->workspaceId == id) {
            if (const QString problem = CheckpointStore::inconsistency(ledger, *remembered); !problem.isEmpty()) {
                workspace.refuseWrites(problem);
                return;
            }
            if (!remembered->needsVerify.isEmpty()) {
                workspace.refuseWrites(QStringLiteral("a write was refused because %1; it needs 'custody-cli verify' to "
                                                      "come out clean before it takes writes again").arg(remembered->needsVerify), true);
                return;
            }
        }
        // This folder held another identity: if the ledger here descends from it by an adoption, the adoption
        // must not be of an older point than was seen here (an older copy adopted and put in its place).
        if (remembered && remembered->workspaceId != id) {
            QList<CheckpointStore::Checkpoint> seen = remembered->previous;
            seen.prepend(*remembered);
            for (const CheckpointStore::Checkpoint &before : seen) {
                if (const QString problem = CheckpointStore::adoptedTooEarly(ledger, before); !problem.isEmpty()) {
                    workspace.refuseWrites(QStringLiteral("this folder now holds another copy of the workspace it held: %1").arg(problem));
                    return;
                }
            }
            // Not an adoption of what was here: another workspace was put in its place. Say so, once per open,
            // until this open is remembered (the next open then knows the new one).
            if (!CheckpointStore::adoptedFrom(ledger, remembered->workspaceId))
                workspace.addNotice(QStringLiteral("this folder held another workspace (id %1, %2 events, last seen %3); the one here now "
                                                   "(id %4) is a different workspace that was put in its place")
                                        .arg(remembered->workspaceId.left(12)).arg(remembered->treeSize).arg(remembered->time, id.left(12)));
        }
        // Other locations holding this identity are copies. Seen here for the first time, a ledger that does not
        // extend what another location showed is an older copy (or a doctored one): writing to it would fork the
        // history without a trace (a veto left behind, say), so it takes no writes until an admin adopts it as
        // a workspace of its own. Otherwise say that copies exist, and when they have become a fork.
        const bool firstHere = !remembered || remembered->workspaceId != id;
        QString error;
        const qint64 size = ledger.size(&error).value_or(0);
        const QList<CheckpointStore::Checkpoint> copies = store.copiesOf(id, location);
        if (firstHere && !m_adopting) {
            for (const CheckpointStore::Checkpoint &copy : copies) {
                if (const QString problem = CheckpointStore::inconsistency(ledger, copy); !problem.isEmpty()) {
                    workspace.refuseWrites(QStringLiteral("this is an older or altered copy of the workspace last seen at %1%2 (%3); "
                                                          "writing here would fork its history. If the copy is intended, an admin "
                                                          "gives it its own identity with 'custody-cli init %4 --adopt-copy --admin KEY'")
                                               .arg(copy.location, QFileInfo::exists(copy.location) ? QString() : QStringLiteral(", which is gone"),
                                                    problem, workspace.path()));
                    return;
                }
            }
        }
        int shown = 0;
        for (const CheckpointStore::Checkpoint &copy : copies)
            if (!copy.isPrevious && QFileInfo::exists(copy.location) && ++shown <= 3)
                workspace.addNotice(copyNotice(ledger, size, copy));
        if (shown > 3)
            workspace.addNotice(QStringLiteral("and %1 more copies of this workspace elsewhere").arg(shown - 3));
    }

    void closing(Workspace &workspace) override
    {
        // What this user has now seen of the ledger becomes the baseline the next open is checked against.
        const CheckpointStore store;
        if (workspace.isReadOnly() || !workspace.integrityProblem().isEmpty() || !store.isEnabled())
            return;
        Ledger ledger(workspace);
        const QString location = CheckpointStore::locationOf(workspace.path());
        // Opened for adoption and not adopted: nothing is remembered, so the next open still sees the copy.
        if (m_adopting && !store.copiesOf(ledger.workspaceId(), location).isEmpty())
            return;
        QString e;
        store.rememberCurrent(ledger, location, &e);
    }

private:
    const bool m_adopting;
};

std::shared_ptr<WorkspaceLifecycle> ledgerLifecycle(bool adopting = false)
{
    static const auto lifecycle = std::make_shared<LedgerLifecycle>();
    static const auto adoption = std::make_shared<LedgerLifecycle>(true);
    return adopting ? adoption : lifecycle;
}

} // namespace

std::unique_ptr<Workspace> openWorkspace(const QString &dir, QString *error, Workspace::Access access)
{
    return Workspace::open(dir, ledgerLifecycle(), error, access);
}

std::unique_ptr<Workspace> openCopyForAdoption(const QString &dir, QString *error)
{
    auto ws = Workspace::open(dir, ledgerLifecycle(true), error, Workspace::Access::ReadWrite);
    if (!ws)
        return nullptr;
    // Only a copy is adopted: an original given a new identity would let older copies of its old one be
    // written to elsewhere with nothing left to compare them with.
    const CheckpointStore store;
    Ledger ledger(*ws);
    if (store.isEnabled() && store.copiesOf(ledger.workspaceId(), CheckpointStore::locationOf(ws->path())).isEmpty()) {
        *error = QStringLiteral("%1 is not known as a copy: no other place was seen holding this workspace, so there is "
                                "nothing to adopt").arg(dir);
        return nullptr;
    }
    return ws;
}

std::unique_ptr<Workspace> createWorkspace(const QString &dir, QString *error)
{
    // Private keys are never kept inside a workspace, which is shared: nor is a workspace made around them.
    const QString keys = KeyStore::resolvedPath(KeyStore::defaultDirectory());
    const QString folder = KeyStore::resolvedPath(dir);
    if (keys == folder || keys.startsWith(folder + QLatin1Char('/')) || folder == QLatin1String("/")) {
        *error = QStringLiteral("refusing to create a workspace in %1: it holds your private key store %2, and a "
                                "workspace is shared with others").arg(dir, KeyStore::defaultDirectory());
        return nullptr;
    }
    // Nor inside another workspace (its objects folder, say), where the two would tangle.
    for (QString parent = QFileInfo(folder).path(); parent != QFileInfo(parent).path(); parent = QFileInfo(parent).path()) {
        if (Workspace::looksLikeWorkspace(parent)) {
            *error = QStringLiteral("refusing to create a workspace in %1: it is inside the workspace %2").arg(dir, parent);
            return nullptr;
        }
    }
    return Workspace::create(dir, ledgerLifecycle(), error);
}

void setRememberedCheckpointDirectory(const QString &directory)
{
    CheckpointStore::setDirectory(directory);
}

QString rememberedCheckpointDirectory()
{
    return CheckpointStore::directory();
}

} // namespace custody
