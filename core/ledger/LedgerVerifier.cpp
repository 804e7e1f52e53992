#include "ledger/LedgerVerifier.h"
#include "job/Cancel.h"

#include "hashing/MerkleTree.h"
#include "ledger/EventReplay.h"
#include "ledger/Ledger.h"
#include "storage/Database.h"
#include "storage/Workspace.h"


namespace custody {

bool LedgerVerifier::run(Workspace &ws, VerifyReport *report, Result *result, QString *error,
                         const std::atomic_bool *cancel)
{
    Ledger ledger(ws);
    const QString workspaceId = ledger.workspaceId();

    // The replay target: the derived tables rebuilt from nothing but the events.
    Database replayDb;
    if (!replayDb.open(QStringLiteral(":memory:"), Database::Mode::Create, error) || !replayDb.exec(StateStore::schemaSql(), error))
        return false;
    StateStore replayState(replayDb);
    EventReplay replay(replayState, EventReplay::Head{0, Digest{}, EventReplay::initialWorkspaceId(ledger)});
    MerkleTreeBuilder tree;
    const bool ok = ledger.forEach([&](const LedgerEvent &e) {
        if (cancel && cancel->load())
            return false;
        tree.addLeaf(e.hash);
        replay.add(e);
        return true;
    }, error);
    if (!ok)
        return error->isEmpty() ? (*error = cancelledMessage(QStringLiteral("verification")), false) : false;
    replay.finish();
    for (const EventReplay::Problem &p : replay.problems())
        report->problems.append(VerifyProblem{QStringLiteral("ledger event %1").arg(p.seq), p.message});
    if (replay.head().workspaceId != workspaceId)
        report->problems.append(VerifyProblem{QStringLiteral("ledger"),
            QStringLiteral("the workspace's identity %1 is not the one its ledger ends with (%2)").arg(workspaceId, replay.head().workspaceId)});

    for (const QString &table : StateStore::tableNames()) {
        const QStringList stored = StateStore::tableRows(ws.db(), table);
        const QStringList rebuilt = StateStore::tableRows(replayDb, table);
        if (const QString d = StateStore::firstDifference(table, stored, rebuilt); !d.isEmpty())
            report->problems.append(VerifyProblem{QStringLiteral("derived state"), d});
    }

    // Every stored version is bound by its event, and every bound version is still stored.
    QSet<QString> bound;
    Statement ingested(replayDb, "SELECT version, digest FROM ingested");
    QHash<QString, QString> digests;
    while (ingested.step())
        digests.insert(ingested.columnText(0), ingested.columnText(1));
    for (const DatasetVersion &v : ws.versions(error)) {
        const QString name = v.ref.toString();
        bound.insert(name);
        if (!digests.contains(name))
            report->problems.append(VerifyProblem{name, QStringLiteral("no ledger event records this version (it was inserted behind Custody's back)")});
        else if (digests.value(name) != toHex(v.digest))
            report->problems.append(VerifyProblem{name, QStringLiteral("its digest differs from the one its ledger event recorded")});
    }
    for (auto it = digests.constBegin(); it != digests.constEnd(); ++it)
        if (!bound.contains(it.key()))
            report->problems.append(VerifyProblem{it.key(), QStringLiteral("the ledger recorded this version but it is no longer stored")});

    result->events = replay.head().seq;
    result->signedEvents = replay.signedEvents();
    result->root = tree.root();
    if (result->events > 0 && result->signedEvents == 0)
        report->warnings.append(QStringLiteral("the ledger is unsigned: its %1 events are hash-chained but not signed "
                                               "(make it signed with 'custody-cli init DIR --admin KEY')").arg(result->events));
    return true;
}

qint64 LedgerVerifier::firstUnprovenEvent(Workspace &ws, StateStore &state, QString *problem, QString *error)
{
    Ledger ledger(ws);
    EventReplay replay(state, EventReplay::Head{0, Digest{}, EventReplay::initialWorkspaceId(ledger)});
    if (!ledger.forEach([&](const LedgerEvent &e) { replay.add(e); return true; }, error))
        return -1;
    replay.finish();
    qint64 first = 0;
    for (const EventReplay::Problem &p : replay.problems()) {
        if (first == 0 || p.seq < first) {
            first = p.seq;
            *problem = p.message;
        }
    }
    return first;
}

} // namespace custody
