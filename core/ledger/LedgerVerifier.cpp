#include "ledger/LedgerVerifier.h"
#include "job/Cancel.h"

#include "hashing/MerkleTree.h"
#include "identity/Dsse.h"
#include "identity/PublicKey.h"
#include "ledger/Ledger.h"
#include "storage/Database.h"
#include "storage/Workspace.h"

#include <QJsonDocument>
#include <QtConcurrent/QtConcurrentMap>

#include <map>
#include <memory>
#include <vector>

namespace custody {

namespace {

struct PendingSignature
{
    qint64 seq;
    QByteArray message;
    QByteArray signature;
    const PublicKey *key; // owned by the verifier's key cache
    bool valid = false;
};

// Rows of one derived table in a fixed order, as text, so two databases can be compared cell by cell.
QStringList tableRows(Database &db, const QString &table)
{
    QStringList rows;
    Statement st(db, QStringLiteral("SELECT * FROM %1 ORDER BY 1, 2").arg(table).toUtf8().constData());
    while (st.step()) {
        QStringList cells;
        for (int i = 0; i < st.columnCount(); ++i)
            cells.append(st.columnIsNull(i) ? QStringLiteral("NULL")
                         : st.columnIsBlob(i) ? QStringLiteral("x'%1'").arg(QString::fromLatin1(st.columnBlob(i).toHex()))
                                              : st.columnText(i));
        rows.append(cells.join(QLatin1Char('|')));
    }
    return rows;
}

} // namespace

bool LedgerVerifier::run(Workspace &ws, VerifyReport *report, Result *result, QString *error,
                         const std::atomic_bool *cancel)
{
    Ledger ledger(ws);
    const QString workspaceId = ledger.workspaceId();
    auto problem = [&](qint64 seq, const QString &message) {
        report->problems.append(VerifyProblem{QStringLiteral("ledger event %1").arg(seq), message});
    };

    // The replay target: the derived tables rebuilt from nothing but the events.
    Database replayDb;
    if (!replayDb.open(QStringLiteral(":memory:"), Database::Mode::Create, error) || !replayDb.exec(StateStore::schemaSql(), error))
        return false;
    StateStore replay(replayDb);

    MerkleTreeBuilder tree;
    std::vector<PendingSignature> signatures;
    // OpenSSL 3 decodes a PEM key slowly and under locks: decode each principal's key once.
    std::map<QString, std::unique_ptr<PublicKey>> keys;
    auto keyFor = [&](const QString &pem) -> const PublicKey * {
        auto it = keys.find(pem);
        if (it == keys.end()) {
            QString why;
            auto key = PublicKey::fromPem(pem.toLatin1(), QStringLiteral("principal"), &why);
            it = keys.emplace(pem, key ? std::make_unique<PublicKey>(std::move(*key)) : nullptr).first;
        }
        return it->second.get();
    };
    Digest prev;
    prev.fill(0);
    qint64 expected = 1;
    const bool ok = ledger.forEach([&](const LedgerEvent &e) {
        if (cancel && cancel->load())
            return false;
        if (e.seq != expected)
            problem(e.seq, QStringLiteral("comes where event %1 was expected (events were removed or reordered)").arg(expected));
        expected = e.seq + 1;
        if (e.prev != prev)
            problem(e.seq, QStringLiteral("does not chain to the event before it (its previous hash differs)"));
        if (LedgerEvent::computeHash(e.payload, e.signature) != e.hash)
            problem(e.seq, QStringLiteral("its hash does not match its payload and signature"));
        prev = e.hash;
        tree.addLeaf(e.hash);

        const QJsonObject p = QJsonDocument::fromJson(e.payload).object();
        const QJsonObject body = p.value(QStringLiteral("body")).toObject();
        if (p.value(QStringLiteral("workspace")).toString() != workspaceId)
            problem(e.seq, QStringLiteral("belongs to another workspace (it was copied here)"));
        if (p.value(QStringLiteral("seq")).toInteger() != e.seq || p.value(QStringLiteral("time")).toString() != e.time
            || p.value(QStringLiteral("actor")).toString() != e.actor || p.value(QStringLiteral("type")).toString() != e.type
            || p.value(QStringLiteral("prev")).toString() != toHex(e.prev))
            problem(e.seq, QStringLiteral("its stored columns disagree with the payload that was signed"));

        if (e.isSigned()) {
            const auto principal = replay.principalByKey(e.actor);
            QString pem = principal ? principal->publicKeyPem : QString();
            if (e.type == EventType::Genesis)
                pem = body.value(QStringLiteral("admin")).toObject().value(QStringLiteral("public_key")).toString();
            if (pem.isEmpty())
                problem(e.seq, QStringLiteral("is signed by key %1, which is not a registered principal").arg(e.actor.left(16)));
            else
                signatures.push_back({e.seq, Dsse::pae(QByteArray(LedgerEvent::kPayloadType), e.payload), e.signature, keyFor(pem)});
        } else if (replay.isSigned()) {
            problem(e.seq, QStringLiteral("is unsigned in a signed workspace"));
        }
        if (const auto refused = Policy::authorize(replay, e.type, body, e.actor))
            problem(e.seq, QStringLiteral("breaks the policy: %1").arg(refused->toString()));
        QString applyError;
        if (!replay.apply(e, body, &applyError))
            problem(e.seq, applyError);
        return true;
    }, error);
    if (!ok)
        return error->isEmpty() ? (*error = cancelledMessage(QStringLiteral("verification")), false) : false;

    // Ed25519 verification dominates for large ledgers: spread it over the cores.
    QtConcurrent::blockingMap(signatures, [](PendingSignature &s) { s.valid = s.key && s.key->verify(s.message, s.signature); });
    for (const PendingSignature &s : signatures)
        if (!s.valid)
            problem(s.seq, QStringLiteral("its signature does not verify (forged or altered)"));

    for (const QString &table : StateStore::tableNames()) {
        const QStringList stored = tableRows(ws.db(), table);
        const QStringList rebuilt = tableRows(replayDb, table);
        if (stored != rebuilt) {
            int i = 0;
            while (i < stored.size() && i < rebuilt.size() && stored[i] == rebuilt[i])
                ++i;
            report->problems.append(VerifyProblem{QStringLiteral("derived state"),
                QStringLiteral("table '%1' differs from the events at row %2: stored [%3], events say [%4]")
                    .arg(table).arg(i + 1).arg(stored.value(i, QStringLiteral("nothing")).left(160), rebuilt.value(i, QStringLiteral("nothing")).left(160))});
        }
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

    result->events = expected - 1;
    result->signedEvents = qint64(signatures.size());
    result->root = tree.root();
    if (result->events > 0 && result->signedEvents == 0)
        report->warnings.append(QStringLiteral("the ledger is unsigned: its %1 events are hash-chained but not signed "
                                               "(make it signed with 'custody-cli init DIR --admin KEY')").arg(result->events));
    return true;
}

} // namespace custody
