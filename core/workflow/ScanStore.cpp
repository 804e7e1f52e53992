#include "workflow/ScanStore.h"

#include "ledger/VersionTrust.h"

#include "hashing/Sha256.h"
#include "ledger/Ledger.h"
#include "ledger/LedgerVerifier.h"
#include "ledger/StateStore.h"
#include "storage/Database.h"
#include "storage/Workspace.h"

#include <QFile>
#include <QJsonDocument>

namespace custody {

namespace {

bool readObject(Workspace &ws, const QString &hash, QByteArray *bytes, QString *error)
{
    if (!ws.objects().isRegularObject(hash, error))
        return false;
    QFile f(ws.objects().pathFor(hash));
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("scan object %1 is missing from the workspace").arg(hash.left(16));
        return false;
    }
    // A scan of ten million records stays far below this; a larger file was not written by Custody.
    constexpr qint64 kMaxScanObjectBytes = qint64(2) << 30;
    if (f.size() > kMaxScanObjectBytes) {
        *error = QStringLiteral("scan object %1 is %2 MiB, larger than any scan writes (damaged)").arg(hash.left(16)).arg(f.size() >> 20);
        return false;
    }
    *bytes = f.readAll();
    const QString actual = toHex(Sha256::of(std::string_view(bytes->constData(), size_t(bytes->size()))));
    if (actual != hash) {
        *error = QStringLiteral("scan object %1 does not match its hash (damaged)").arg(hash.left(16));
        return false;
    }
    return true;
}

} // namespace

bool ScanStore::record(const ScanResult &result, const SigningKey *signer, LedgerEvent *event, QString *error,
                       Refusal *refusal)
{
    // Under the write lock from the start: a concurrent ingest collects objects no version references, and these
    // are not referenced until this transaction commits.
    Transaction tx(m_ws.db());
    if (!tx.begin(error))
        return false;
    // The scan is signed evidence about the version and its baseline: both must be what the signed ledger
    // recorded (records relabelled by SQL, or a baseline the ledger never saw, would make it evidence of nothing).
    Ledger ledger(m_ws);
    if (!versionsHoldForWrite(m_ws, ledger, {result.version, result.baseline}, false, error, refusal))
        return false;
    // The findings document's SHA-256 is both its object name and the result digest the event signs.
    const QByteArray json = QJsonDocument(result.toJson()).toJson(QJsonDocument::Compact);
    ObjectStore::Stored findings, arrays;
    if (!m_ws.objects().putBytes(json, &findings, error) || !m_ws.objects().putBytes(result.arrays(), &arrays, error)
        || !m_ws.objects().sync(error))
        return false;
    QJsonObject counts;
    for (const DetectorSummary &s : result.summaries)
        counts.insert(s.detector, qint64(s.flagged));
    const QJsonObject body{{QStringLiteral("version"), result.version},
                           {QStringLiteral("baseline"), result.baseline.isEmpty() ? QJsonValue(QJsonValue::Null)
                                                                                   : QJsonValue(result.baseline)},
                           {QStringLiteral("kind"), QStringLiteral("detectors")},
                           {QStringLiteral("config"), result.configuration},
                           {QStringLiteral("representation"), result.representation},
                           {QStringLiteral("result_digest"), findings.hash},
                           {QStringLiteral("arrays_object"), arrays.hash},
                           {QStringLiteral("flagged_records"), qint64(result.ranking.size())},
                           {QStringLiteral("findings_by_detector"), counts}};
    // The objects are registered with the event in one transaction: registered objects are what verify checks
    // and what the orphan collection of a later ingest keeps.
    for (const ObjectStore::Stored &o : {findings, arrays}) {
        Statement st(m_ws.db(), "INSERT OR IGNORE INTO object(hash, size) VALUES (?1, ?2)");
        st.bind(1, o.hash).bind(2, o.size);
        if (!st.run(error))
            return false;
    }
    if (!ledger.append(EventType::ScanRecorded, body, signer, event, error, refusal) || !tx.commit(error))
        return false;
    ledger.committed();
    return true;
}

bool ScanStore::latest(const QString &version, ScanResult *result, QString *error, QList<Decision> *decisions)
{
    // Findings steer a review: only a ledger that verifies says which scan is the latest and what was decided.
    Database replayDb;
    if (!replayDb.open(QStringLiteral(":memory:"), Database::Mode::Create, error) || !replayDb.exec(StateStore::schemaSql(), error))
        return false;
    StateStore proven(replayDb);
    QString problem;
    const qint64 unproven = LedgerVerifier::firstUnprovenEvent(m_ws, proven, &problem, error);
    if (unproven < 0)
        return false;
    if (unproven > 0) {
        *error = QStringLiteral("the ledger does not verify from event %1 (%2), so the scans and decisions it records are not "
                                "proven; run 'custody-cli verify'").arg(unproven).arg(problem);
        return false;
    }
    if (decisions)
        *decisions = proven.decisions(version);
    Ledger ledger(m_ws);
    std::vector<qint64> seqs;
    {
        // Which scans there are, from the replay too: the workspace's scan table can be edited to hide the latest.
        Statement st(replayDb, "SELECT seq FROM scan WHERE version = ?1 ORDER BY seq DESC");
        st.bind(1, version);
        while (st.step())
            seqs.push_back(st.columnInt(0));
        if (st.failed()) {
            *error = st.error();
            return false;
        }
    }
    for (qint64 seq : seqs) {
        const auto event = ledger.event(seq, error);
        if (!event)
            return false;
        const QJsonObject body = event->body();
        // The scan table only points at events; the signed event says which version was scanned.
        if (body.value(QStringLiteral("kind")).toString() != QLatin1String("detectors")
            || body.value(QStringLiteral("version")).toString() != version || event->type != EventType::ScanRecorded)
            continue;
        QByteArray json, arrays;
        if (!readObject(m_ws, body.value(QStringLiteral("result_digest")).toString(), &json, error)
            || !readObject(m_ws, body.value(QStringLiteral("arrays_object")).toString(), &arrays, error))
            return false;
        QJsonParseError parse;
        const QJsonDocument doc = QJsonDocument::fromJson(json, &parse);
        if (!doc.isObject()) {
            *error = QStringLiteral("scan result of event %1 is not JSON: %2").arg(seq).arg(parse.errorString());
            return false;
        }
        if (!ScanResult::fromJson(doc.object(), result, error) || !result->setArrays(arrays, error))
            return false;
        return true;
    }
    *error = QStringLiteral("%1 has no recorded detector scan yet (run 'custody-cli scan')").arg(version);
    return false;
}

} // namespace custody
