#pragma once

#include "ledger/LedgerEvent.h"

#include <QList>

#include <map>
#include <memory>
#include <vector>

namespace custody {

class Ledger;
class PublicKey;
class StateStore;

// Replays ledger events, one at a time and in order, into a StateStore, checking each as verify does: its
// place in the hash chain, its hash, that its payload agrees with its columns and names the workspace
// identity in effect, that a registered key signed it (or that the workspace is unsigned), and the policy at
// that point of history. Signatures are queued and checked by finish(), on all cores. Verify replays every
// event into an empty state; a write replays only the events since the head it last verified.
class EventReplay
{
public:
    struct Head
    {
        qint64 seq = 0;      // the last event replayed (0: none)
        Digest hash{};       // its hash (zeros: none)
        QString workspaceId; // the workspace identity in effect after it (changed only by workspace.adopted)
    };
    struct Problem
    {
        qint64 seq;
        QString message;
    };

    EventReplay(StateStore &target, const Head &from);
    ~EventReplay();
    EventReplay(const EventReplay &) = delete;
    EventReplay &operator=(const EventReplay &) = delete;

    // The identity the first event of `ledger` must name: the one before its first adoption, if any.
    static QString initialWorkspaceId(Ledger &ledger);

    void add(const LedgerEvent &event);
    void finish(); // checks the queued signatures
    const Head &head() const { return m_head; }
    const QList<Problem> &problems() const { return m_problems; }
    qint64 signedEvents() const { return m_signedEvents; }

private:
    struct PendingSignature
    {
        qint64 seq;
        QByteArray message;
        QByteArray signature;
        const PublicKey *key;
        bool valid = false;
    };
    const PublicKey *keyFor(const QString &pem);
    void problem(qint64 seq, const QString &message) { m_problems.append(Problem{seq, message}); }

    StateStore &m_state;
    Head m_head;
    QList<Problem> m_problems;
    std::vector<PendingSignature> m_signatures;
    // OpenSSL 3 decodes a PEM key slowly and under locks: each principal's key is decoded once.
    std::map<QString, std::unique_ptr<PublicKey>> m_keys;
    qint64 m_signedEvents = 0;
};

} // namespace custody
