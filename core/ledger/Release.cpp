#include "ledger/Release.h"

#include "hashing/MerkleTree.h"
#include "hashing/RecordDigest.h"
#include "identity/Dsse.h"
#include "identity/SigningKey.h"
#include "storage/Manifest.h"
#include "storage/RecordIndex.h"
#include "storage/Workspace.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

namespace custody {

namespace {

QByteArray statement(StateStore &state, const DatasetVersion &batch, const QString &batchDigest, const ReleaseResult &r,
                     const SigningKey &curator)
{
    QHash<QString, QString> names;
    for (const Principal &p : state.principals())
        names.insert(p.keyId, p.name);
    QMap<QString, int> kinds;
    QMap<QString, int> byActor;
    for (const Decision &d : state.decisions(batch.ref.toString())) {
        kinds[d.action] += 1;
        byActor[d.actor] += 1;
    }
    QJsonArray deciders;
    for (auto it = byActor.constBegin(); it != byActor.constEnd(); ++it)
        deciders.append(QJsonObject{{QStringLiteral("key_id"), it.key()}, {QStringLiteral("name"), names.value(it.key())},
                                    {QStringLiteral("decisions"), it.value()}});
    QJsonArray approvals;
    for (const Approval &a : state.approvals(batch.ref.toString()))
        approvals.append(QJsonObject{{QStringLiteral("key_id"), a.actor}, {QStringLiteral("name"), names.value(a.actor)},
                                     {QStringLiteral("time"), a.time}});
    const QJsonObject predicate{
        {QStringLiteral("batch"), QJsonObject{{QStringLiteral("version"), batch.ref.toString()},
                                              {QStringLiteral("version_digest"), toHex(batch.digest)},
                                              {QStringLiteral("batch_digest"), batchDigest}}},
        {QStringLiteral("decisions"), QJsonObject{{QStringLiteral("keep"), kinds.value(QStringLiteral("keep"))},
                                                  {QStringLiteral("exclude"), kinds.value(QStringLiteral("exclude"))},
                                                  {QStringLiteral("relabel"), kinds.value(QStringLiteral("relabel"))},
                                                  {QStringLiteral("by"), deciders}}},
        {QStringLiteral("approvals"), approvals},
        {QStringLiteral("policy"), QJsonObject{{QStringLiteral("approvals_required"), state.approvalsRequired()}}},
        {QStringLiteral("released_by"), QJsonObject{{QStringLiteral("key_id"), curator.keyId()},
                                                    {QStringLiteral("name"), names.value(curator.keyId())}}},
        {QStringLiteral("records"), r.recordCount},
    };
    const QJsonObject s{
        {QStringLiteral("_type"), QStringLiteral("https://in-toto.io/Statement/v1")},
        {QStringLiteral("subject"), QJsonArray{QJsonObject{{QStringLiteral("name"), r.version},
                                                           {QStringLiteral("digest"), QJsonObject{{QStringLiteral("sha256"), toHex(r.digest)}}}}}},
        {QStringLiteral("predicateType"), QString::fromLatin1(Release::kPredicateType)},
        {QStringLiteral("predicate"), predicate},
    };
    return QJsonDocument(s).toJson(QJsonDocument::Compact);
}

// The Merkle leaf of a row (record_id, label, content_hash, embedding); its label digest in *labelDigest.
Digest leafOf(RecordDigest &digest, Statement &row, Digest *labelDigest = nullptr)
{
    Digest content, embedding;
    digestFromBytes(row.columnBlob(2), &content);
    const Digest label = row.columnIsNull(1) ? digest.label(std::nullopt) : digest.label(row.columnTextView(1));
    const bool hasEmbedding = !row.columnIsNull(3);
    if (hasEmbedding)
        embedding = digest.embedding(row.columnBlobView(3));
    if (labelDigest)
        *labelDigest = label;
    return digest.record(row.columnTextView(0), content, label, hasEmbedding ? &embedding : nullptr);
}

} // namespace

bool Release::build(Workspace &ws, StateStore &state, const SigningKey &curator, const VersionRef &batchRef,
                    const QString &newLabel, const QString &batchDigest, ReleaseResult *result, QString *error)
{
    const auto batch = ws.version(batchRef, error);
    if (!batch)
        return false;
    const VersionRef ref{batchRef.dataset, newLabel};
    QString e;
    if (ws.version(ref, &e)) {
        *error = QStringLiteral("%1 already exists; versions are immutable, choose a new label").arg(ref.toString());
        return false;
    }
    const QString now = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    Statement ver(ws.db(), "INSERT INTO version(dataset_id, label, parent_id, record_count, merkle_root, manifest, "
                           "manifest_hash, digest, pack_hash, created_at) SELECT dataset_id, ?2, id, 0, x'', x'', x'', x'', "
                           "pack_hash, ?3 FROM version WHERE id = ?1");
    if (!ver.bind(1, batch->id).bind(2, newLabel).bind(3, now).run(error))
        return false;
    const qint64 id = sqlite3_last_insert_rowid(ws.db().handle());
    // Rows already filed under the new version's id were planted (campaign 8: they joined the release and
    // were signed with it).
    Statement planted(ws.db(), "SELECT (SELECT count(*) FROM record WHERE version_id = ?1) + "
                               "(SELECT count(*) FROM version_file WHERE version_id = ?1)");
    planted.bind(1, id);
    if (!planted.step() || planted.columnInt(0) != 0) {
        *error = planted.failed() ? planted.error()
                                  : QStringLiteral("the database already holds records or files for the version being created: "
                                                   "it was edited outside Custody; nothing was released. Run 'custody-cli verify'");
        return false;
    }
    // The leaves the release must have, from the batch's rows and the decisions (both checked against the
    // signed ledger by the caller), computed before anything is copied; the copy is then read back and must
    // match leaf by leaf, so nothing in the database (a trigger, say) can change what is signed.
    RecordDigest digest;
    std::vector<Digest> expected;
    {
        Statement source(ws.db(), "SELECT r.record_id, CASE WHEN d.action = 'relabel' THEN d.label ELSE r.label END, "
                                  "r.content_hash, r.embedding FROM record r LEFT JOIN decision d "
                                  "ON d.version = ?2 AND d.record_id = r.record_id "
                                  "WHERE r.version_id = ?1 AND coalesce(d.action, '') <> 'exclude' ORDER BY r.row");
        source.bind(1, batch->id).bind(2, batchRef.toString());
        while (source.step())
            expected.push_back(leafOf(digest, source));
        if (source.failed()) {
            *error = source.error();
            return false;
        }
    }
    // Excluded records leave; relabels replace the label; everything else is carried over as it was.
    Statement copy(ws.db(), "INSERT INTO record(version_id, row, record_id, label, content_hash, content_offset, "
                            "content_length, embedding, object_hash) "
                            "SELECT ?1, row_number() OVER (ORDER BY r.row) - 1, r.record_id, "
                            "CASE WHEN d.action = 'relabel' THEN d.label ELSE r.label END, r.content_hash, r.content_offset, "
                            "r.content_length, r.embedding, r.object_hash FROM record r LEFT JOIN decision d "
                            "ON d.version = ?3 AND d.record_id = r.record_id "
                            "WHERE r.version_id = ?2 AND coalesce(d.action, '') <> 'exclude' ORDER BY r.row");
    if (!copy.bind(1, id).bind(2, batch->id).bind(3, batchRef.toString()).run(error))
        return false;
    // The batch's files, but a record index of the released version's own (labels and records differ).
    Statement files(ws.db(), "INSERT INTO version_file SELECT ?1, ordinal, role, name, object_hash FROM version_file "
                             "WHERE version_id = ?2 AND role <> ?3");
    if (!files.bind(1, id).bind(2, batch->id).bind(3, QString::fromLatin1(RecordIndex::kRole)).run(error))
        return false;

    MerkleTreeBuilder merkle;
    RecordIndex index;
    Statement rows(ws.db(), "SELECT record_id, label, content_hash, embedding FROM record WHERE version_id = ?1 ORDER BY row");
    rows.bind(1, id);
    while (rows.step()) {
        Digest label;
        const Digest leaf = leafOf(digest, rows, &label);
        if (merkle.size() >= expected.size() || leaf != expected[size_t(merkle.size())]) {
            *error = QStringLiteral("the released records read back differ from the batch's at record %1: something in the "
                                    "database changed them (a trigger?); nothing was released. Run 'custody-cli verify'")
                         .arg(merkle.size() + 1);
            return false;
        }
        merkle.addLeaf(leaf);
        index.add(leaf, label);
    }
    if (!rows.failed() && merkle.size() != expected.size()) {
        *error = QStringLiteral("%1 released records were read back where the batch gives %2; nothing was released. Run "
                                "'custody-cli verify'").arg(merkle.size()).arg(expected.size());
        return false;
    }
    ObjectStore::Stored stored;
    Statement indexObject(ws.db(), "INSERT OR IGNORE INTO object(hash, size) VALUES (?1, ?2)");
    Statement indexFile(ws.db(), "INSERT INTO version_file SELECT ?1, coalesce(max(ordinal) + 1, 0), ?2, ?3, ?4 "
                                 "FROM version_file WHERE version_id = ?1");
    if (rows.failed() || !ws.objects().putBytes(index.bytes(), &stored, error) || !ws.objects().sync(error)
        || !indexObject.bind(1, stored.hash).bind(2, stored.size).run(error)
        || !indexFile.bind(1, id).bind(2, QString::fromLatin1(RecordIndex::kRole)).bind(3, QString::fromLatin1(RecordIndex::kName))
                .bind(4, stored.hash).run(error)) {
        if (rows.failed())
            *error = rows.error();
        return false;
    }
    ManifestFacts facts;
    facts.ref = ref;
    facts.parentLabel = batchRef.label;
    facts.parentDigest = batch->digest;
    facts.format = QStringLiteral("release");
    facts.idSource = batch->manifest.value(QStringLiteral("id_source")).toString();
    facts.labelSource = QStringLiteral("release of %1").arg(batchRef.toString());
    facts.schema = batch->schema;
    facts.recordCount = qint64(merkle.size());
    facts.embeddingDimensions = batch->embeddingDimensions;
    const QList<VersionFile> fileList = ws.files(id, error);
    facts.fileCount = fileList.size();
    facts.filesDigest = filesDigest(fileList);
    facts.provenance = batch->provenance;
    facts.provenance.note = QStringLiteral("Curated release of %1 (batch %2).").arg(batchRef.toString(), batchDigest.left(16));
    facts.provenance.ingestedBy = state.principalByKey(curator.keyId()).value_or(Principal()).name;
    facts.provenance.ingestedAt = now;
    const QByteArray manifest = buildManifest(facts);
    const Digest root = merkle.root();
    const Digest manifestHash = digest.manifest(std::string_view(manifest.constData(), size_t(manifest.size())));
    const Digest versionDigest = digest.version(root, manifestHash);
    Statement fin(ws.db(), "UPDATE version SET record_count = ?2, merkle_root = ?3, manifest = ?4, manifest_hash = ?5, "
                           "digest = ?6 WHERE id = ?1");
    fin.bind(1, id).bind(2, facts.recordCount).bindBlob(3, root.data(), 32).bindBlob(4, manifest)
        .bindBlob(5, manifestHash.data(), 32).bindBlob(6, versionDigest.data(), 32);
    if (!fin.run(error))
        return false;

    *result = ReleaseResult{id, ref.toString(), versionDigest, facts.recordCount, {}};
    const QByteArray payload = statement(state, *batch, batchDigest, *result, curator);
    result->attestation = Dsse::signEnvelope(curator, QStringLiteral("application/vnd.in-toto+json"), payload).toJson();
    return true;
}

} // namespace custody
