#include "ledger/EventReplay.h"

#include "identity/Dsse.h"
#include "identity/PublicKey.h"
#include "ledger/Ledger.h"
#include "ledger/Policy.h"
#include "ledger/StateStore.h"

#include <QJsonDocument>
#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>

namespace custody {

EventReplay::EventReplay(StateStore &target, const Head &from) : m_state(target), m_head(from) { }

EventReplay::~EventReplay() = default;

QString EventReplay::initialWorkspaceId(Ledger &ledger)
{
    QString error;
    QString first;
    ledger.forEach([&](const LedgerEvent &e) {
        if (e.type != EventType::WorkspaceAdopted)
            return true;
        first = e.body().value(QStringLiteral("previous_workspace")).toString();
        return false;
    }, &error, 1, EventType::WorkspaceAdopted);
    return first.isEmpty() ? ledger.workspaceId() : first;
}

const PublicKey *EventReplay::keyFor(const QString &pem)
{
    auto it = m_keys.find(pem);
    if (it == m_keys.end()) {
        QString why;
        auto key = PublicKey::fromPem(pem.toLatin1(), QStringLiteral("principal"), &why);
        it = m_keys.emplace(pem, key ? std::make_unique<PublicKey>(std::move(*key)) : nullptr).first;
    }
    return it->second.get();
}

void EventReplay::add(const LedgerEvent &e)
{
    const qint64 expected = m_head.seq + 1;
    if (e.seq != expected)
        problem(e.seq, QStringLiteral("comes where event %1 was expected (events were removed or reordered)").arg(expected));
    if (e.prev != m_head.hash)
        problem(e.seq, QStringLiteral("does not chain to the event before it (its previous hash differs)"));
    if (LedgerEvent::computeHash(e.payload, e.signature) != e.hash)
        problem(e.seq, QStringLiteral("its hash does not match its payload and signature"));
    m_head.seq = e.seq;
    m_head.hash = e.hash;

    const QJsonObject p = QJsonDocument::fromJson(e.payload).object();
    const QJsonObject body = p.value(QStringLiteral("body")).toObject();
    const QString workspace = p.value(QStringLiteral("workspace")).toString();
    if (e.type == EventType::WorkspaceAdopted) {
        // A copy given its own identity: the events before it name the old one, the events after it the new.
        if (body.value(QStringLiteral("previous_workspace")).toString() != m_head.workspaceId || workspace == m_head.workspaceId
            || body.value(QStringLiteral("workspace")).toString() != workspace)
            problem(e.seq, QStringLiteral("adopts a copy of a workspace other than the one before it"));
        m_head.workspaceId = workspace;
    } else if (workspace != m_head.workspaceId) {
        problem(e.seq, QStringLiteral("belongs to another workspace (it was copied here)"));
    }
    if (p.value(QStringLiteral("seq")).toInteger() != e.seq || p.value(QStringLiteral("time")).toString() != e.time
        || p.value(QStringLiteral("actor")).toString() != e.actor || p.value(QStringLiteral("type")).toString() != e.type
        || p.value(QStringLiteral("prev")).toString() != toHex(e.prev))
        problem(e.seq, QStringLiteral("its stored columns disagree with the payload that was signed"));

    if (e.isSigned()) {
        const auto principal = m_state.principalByKey(e.actor);
        QString pem = principal ? principal->publicKeyPem : QString();
        if (e.type == EventType::Genesis)
            pem = body.value(QStringLiteral("admin")).toObject().value(QStringLiteral("public_key")).toString();
        if (pem.isEmpty())
            problem(e.seq, QStringLiteral("is signed by key %1, which is not a registered principal").arg(e.actor.left(16)));
        else
            m_signatures.push_back({e.seq, Dsse::pae(QByteArray(LedgerEvent::kPayloadType), e.payload), e.signature, keyFor(pem)});
        ++m_signedEvents;
    } else if (m_state.isSigned()) {
        problem(e.seq, QStringLiteral("is unsigned in a signed workspace"));
    }
    if (const auto refused = Policy::authorize(m_state, e.type, body, e.actor))
        problem(e.seq, QStringLiteral("breaks the policy: %1").arg(refused->toString()));
    QString applyError;
    if (!m_state.apply(e, body, &applyError))
        problem(e.seq, applyError);
}

void EventReplay::finish()
{
    // Ed25519 verification dominates for large ledgers: spread it over the cores.
    const auto check = [](PendingSignature &s) { s.valid = s.key && s.key->verify(s.message, s.signature); };
    if (m_signatures.size() < 64)
        std::for_each(m_signatures.begin(), m_signatures.end(), check);
    else
        QtConcurrent::blockingMap(m_signatures, check);
    for (const PendingSignature &s : m_signatures)
        if (!s.valid)
            problem(s.seq, QStringLiteral("its signature does not verify (forged or altered)"));
    m_signatures.clear();
    std::stable_sort(m_problems.begin(), m_problems.end(), [](const Problem &a, const Problem &b) { return a.seq < b.seq; });
}

} // namespace custody
