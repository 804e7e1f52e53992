#include "ledger/Ledger.h"

#include "hashing/MerkleTree.h"
#include "identity/Dsse.h"
#include "identity/SigningKey.h"
#include "ledger/CheckpointStore.h"
#include "ledger/VerifiedState.h"
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

Ledger::~Ledger() = default;

StateStore *Ledger::verifiedState(const QString &version, QString *error, Refusal *refusal)
{
    if (!m_verified)
        m_verified = std::make_unique<VerifiedState>(m_ws);
    if (!m_verified->refresh(error))
        return nullptr;
    auto refuse = [&](const char *rule, const QString &message) -> StateStore * {
        const Refusal r{QString::fromLatin1(rule), message};
        if (refusal)
            *refusal = r;
        *error = r.toString();
        CheckpointStore().markNeedsVerify(*this, CheckpointStore::locationOf(m_ws.path()), message);
        return nullptr;
    };
    if (const QStringList foreign = m_ws.foreignSchemaObjects(); !foreign.isEmpty())
        return refuse("verified-schema", QStringLiteral("the database holds %1, which Custody never creates: added by hand, it "
                                                        "could change what a write stores; nothing was written. Run "
                                                        "'custody-cli verify'").arg(foreign.join(QStringLiteral(", "))));
    if (!m_verified->problem().isEmpty())
        return refuse("verified-ledger", QStringLiteral("the signed ledger does not verify: %1; nothing was written. Run "
                                                        "'custody-cli verify' and restore the workspace from a good copy")
                                             .arg(m_verified->problem()));
    const EventReplay::Head &head = m_verified->head();
    if (head.seq != m_agreedSeq || head.hash != m_agreedHead) {
        m_agreedVersions.clear();
        m_agreedSeq = -1;
    }
    if (m_agreedSeq < 0 || (!version.isEmpty() && !m_agreedVersions.contains(version))) {
        const QString d = m_verified->divergence(m_agreedSeq < 0, version);
        if (!d.isEmpty())
            return refuse("verified-state", QStringLiteral("the workspace's tables disagree with its signed ledger (%1): they "
                                                           "were edited outside Custody; nothing was written. Run 'custody-cli verify'")
                                                .arg(d));
        m_agreedSeq = head.seq;
        m_agreedHead = head.hash;
        if (!version.isEmpty())
            m_agreedVersions.append(version);
    }
    return &m_verified->state();
}

QString Ledger::workspaceId()
{
    Statement st(m_ws.db(), "SELECT value FROM meta WHERE key = 'workspace_id'", Statement::Cached);
    return st.step() ? st.columnText(0) : QString();
}

bool Ledger::append(const QString &type, const QJsonObject &body, const SigningKey *signer, LedgerEvent *out,
                    QString *error, Refusal *refusal)
{
    const QString actor = signer ? signer->keyId() : QString();
    StateStore *verified = verifiedState(body.value(QStringLiteral("version")).toString(), error, refusal);
    if (!verified)
        return false;
    if (const auto refused = Policy::authorize(*verified, type, body, actor)) {
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
    // An adoption is the first event of the copy's new identity; the caller stores that identity after it.
    const QString workspace = type == EventType::WorkspaceAdopted ? body.value(QStringLiteral("workspace")).toString() : workspaceId();
    e.payload = LedgerEvent::buildPayload(workspace, e.seq, e.time, e.actor, type, e.prev, body);
    if (signer)
        e.signature = signer->sign(Dsse::pae(QByteArray(LedgerEvent::kPayloadType), e.payload));
    e.hash = LedgerEvent::computeHash(e.payload, e.signature);
    Statement insert(m_ws.db(), "INSERT INTO event(seq, time, actor, type, payload, prev_hash, signature, hash) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", Statement::Cached);
    insert.bind(1, e.seq).bind(2, e.time).bind(3, e.actor).bind(4, e.type).bindBlob(5, e.payload)
        .bindBlob(6, e.prev.data(), 32).bindBlob(7, e.signature).bindBlob(8, e.hash.data(), 32);
    if (!insert.run(error) || !m_state.apply(e, body, error) || !m_verified->applyOwn(e, body, error))
        return false;
    m_agreedSeq = e.seq; // both states took in the same event: they still agree
    m_agreedHead = e.hash;
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
    if (!tx.begin(error) || !append(type, body, signer, out, error, refusal) || !tx.commit(error))
        return false;
    committed();
    return true;
}

void Ledger::committed()
{
    if (m_verified)
        m_verified->persist();
}

std::optional<qint64> Ledger::size(QString *error)
{
    return m_ws.db().queryInt("SELECT coalesce(max(seq), 0) FROM event", error);
}

bool Ledger::forEach(const std::function<bool(const LedgerEvent &)> &visit, QString *error, qint64 from,
                     const QString &type)
{
    Statement st(m_ws.db(), (QByteArray(kEventColumns) + (type.isEmpty() ? "WHERE seq >= ?1 ORDER BY seq"
                                                                        : "WHERE seq >= ?1 AND type = ?2 ORDER BY seq")).constData());
    st.bind(1, from);
    if (!type.isEmpty())
        st.bind(2, type);
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
