#pragma once

#include "ledger/EventReplay.h"
#include "ledger/StateStore.h"
#include "storage/Database.h"

namespace custody {

class Workspace;

// The principals, roles, policy and sign-off state as the signed ledger proves them, for writes to rely on
// instead of the derived tables (which anyone holding the database file can edit). Built by replaying the
// events with every check verify makes (EventReplay), and kept between processes in this user's checkpoint
// folder, outside the workspace, next to the workspace location's remembered checkpoint: a write replays only
// the events since the head verified last, so it stays fast on a long ledger. Without a checkpoint folder the
// replay is kept for the life of the process.
class VerifiedState
{
public:
    explicit VerifiedState(Workspace &workspace);
    ~VerifiedState();

    // Brings the replay up to the ledger's head. False only when it cannot be read; what the new events
    // break is problem().
    bool refresh(QString *error);
    // The first thing the events since the last verified head break ("" when they verify).
    QString problem() const { return m_problem; }
    StateStore &state() { return m_state; }
    const EventReplay::Head &head() const { return m_head; }
    // A sentence naming the first row where the derived tables hold something the signed ledger does not
    // (every table but the decisions when `allTables`, and the decisions of `version` when given); empty when
    // they agree.
    QString divergence(bool allTables, const QString &version);
    // An event this process has just appended (in a transaction that may still roll back; refresh() notices).
    bool applyOwn(const LedgerEvent &event, const QJsonObject &body, QString *error);
    // Keeps the replay, with this process's own events, once their transaction has committed. (Never from a
    // destructor: the workspace may be gone by then. Events not kept are replayed by the next write.)
    void persist();

private:
    bool load(QString *error);
    bool reset(QString *error);
    void save();
    bool headMatches();

    Workspace &m_ws;
    QString m_location;
    Database m_db;
    StateStore m_state;
    EventReplay::Head m_head;
    QString m_problem;
    bool m_loaded = false;
    qint64 m_savedSeq = -1;
};

} // namespace custody
