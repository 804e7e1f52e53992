#include "ledger/Ledger.h"

#include "hashing/MerkleTree.h"
#include "identity/Dsse.h"
#include "identity/SigningKey.h"
#include "storage/Workspace.h"

#include <QDateTime>

namespace custody {

namespace {
constexpr const char *kEventColumns = "SELECT seq, time, actor, type, payload, prev_hash, signature, hash FROM event ";

LedgerEvent readEvent(Statement &st)
{
    LedgerEvent e;
    e.seq = st.columnInt(0);
    e.time = st.columnText(1);
    e.actor = st.columnText(2);
    e.type = st.columnText(3);
    e.payload = st.columnBlob(4);
    digestFromBytes(st.columnBlob(5), &e.prev);
    e.signature = st.columnBlob(6);
    digestFromBytes(st.columnBlob(7), &e.hash);
    return e;
}
} // namespace

Ledger::Ledger(Workspace &workspace) : m_ws(workspace), m_state(workspace.db()) { }

QString Ledger::workspaceId()
{
    Statement st(m_ws.db(), "SELECT value FROM meta WHERE key = 'workspace_id'", Statement::Cached);
    return st.step() ? st.columnText(0) : QString();
}

bool Ledger::append(const QString &type, const QJsonObject &body, const SigningKey *signer, LedgerEvent *out,
                    QString *error, Refusal *refusal)
{
    const QString actor = signer ? signer->keyId() : QString();
    if (const auto refused = Policy::authorize(m_state, type, body, actor)) {
        if (refusal)
            *refusal = *refused;
        *error = refused->toString();
        return false;
    }
    LedgerEvent e;
    Statement last(m_ws.db(), "SELECT seq, hash FROM event ORDER BY seq DESC LIMIT 1", Statement::Cached);
    if (last.step()) {
        e.seq = last.columnInt(0) + 1;
        digestFromBytes(last.columnBlob(1), &e.prev);
    } else if (last.failed()) {
        *error = last.error();
        return false;
    } else {
        e.seq = 1;
        e.prev.fill(0);
    }
    e.time = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    e.actor = actor;
    e.type = type;
    e.payload = LedgerEvent::buildPayload(workspaceId(), e.seq, e.time, e.actor, type, e.prev, body);
    if (signer)
        e.signature = signer->sign(Dsse::pae(QByteArray(LedgerEvent::kPayloadType), e.payload));
    e.hash = LedgerEvent::computeHash(e.payload, e.signature);
    Statement insert(m_ws.db(), "INSERT INTO event(seq, time, actor, type, payload, prev_hash, signature, hash) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", Statement::Cached);
    insert.bind(1, e.seq).bind(2, e.time).bind(3, e.actor).bind(4, e.type).bindBlob(5, e.payload)
        .bindBlob(6, e.prev.data(), 32).bindBlob(7, e.signature).bindBlob(8, e.hash.data(), 32);
    if (!insert.run(error) || !m_state.apply(e, body, error))
        return false;
    if (out)
        *out = e;
    return true;
}

bool Ledger::commit(const QString &type, const QJsonObject &body, const SigningKey *signer, LedgerEvent *out,
                    QString *error, Refusal *refusal)
{
    if (m_ws.isReadOnly()) {
        *error = QStringLiteral("the workspace is open read-only");
        return false;
    }
    Transaction tx(m_ws.db());
    return tx.begin(error) && append(type, body, signer, out, error, refusal) && tx.commit(error);
}

std::optional<qint64> Ledger::size(QString *error)
{
    return m_ws.db().queryInt("SELECT coalesce(max(seq), 0) FROM event", error);
}

bool Ledger::forEach(const std::function<bool(const LedgerEvent &)> &visit, QString *error, qint64 from)
{
    Statement st(m_ws.db(), (QByteArray(kEventColumns) + "WHERE seq >= ?1 ORDER BY seq").constData());
    st.bind(1, from);
    while (st.step())
        if (!visit(readEvent(st)))
            return false;
    if (st.failed()) {
        *error = st.error();
        return false;
    }
    return true;
}

std::optional<LedgerEvent> Ledger::event(qint64 seq, QString *error)
{
    Statement st(m_ws.db(), (QByteArray(kEventColumns) + "WHERE seq = ?1").constData());
    st.bind(1, seq);
    if (st.step())
        return readEvent(st);
    *error = st.failed() ? st.error() : QStringLiteral("no event %1").arg(seq);
    return std::nullopt;
}

std::optional<Digest> Ledger::root(qint64 treeSize, QString *error)
{
    MerkleTreeBuilder tree;
    Statement st(m_ws.db(), "SELECT hash FROM event WHERE seq <= ?1 ORDER BY seq");
    st.bind(1, treeSize);
    while (st.step()) {
        const std::string_view h = st.columnBlobView(0);
        tree.addLeaf(h.data(), h.size());
    }
    if (st.failed()) {
        *error = st.error();
        return std::nullopt;
    }
    if (qint64(tree.size()) != treeSize) {
        *error = QStringLiteral("the ledger has %1 events, fewer than %2").arg(tree.size()).arg(treeSize);
        return std::nullopt;
    }
    return tree.root();
}

} // namespace custody
