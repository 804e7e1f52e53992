#include "storage/VersionCheck.h"

#include "hashing/MerkleTree.h"
#include "hashing/RecordDigest.h"
#include "storage/Delta.h"
#include "storage/Manifest.h"
#include "storage/RecordIndex.h"
#include "storage/RecordPack.h"
#include "storage/Workspace.h"

#include <unordered_map>

namespace custody {

namespace {

void checkManifest(Workspace &ws, const DatasetVersion &v, VerifyReport *report)
{
    const QString subject = v.ref.toString();
    const QJsonObject m = v.manifest;
    auto mismatch = [&](const QString &field, const QString &stored, const QString &expected) {
        if (stored != expected)
            report->problems.append(VerifyProblem{subject, QStringLiteral("manifest says %1 is '%2' but the workspace has '%3'")
                                                                .arg(field, stored, expected)});
    };
    mismatch(QStringLiteral("dataset"), m.value(QStringLiteral("dataset")).toString(), v.ref.dataset);
    mismatch(QStringLiteral("version"), m.value(QStringLiteral("version")).toString(), v.ref.label);
    mismatch(QStringLiteral("record_count"), QString::number(m.value(QStringLiteral("record_count")).toInteger()),
             QString::number(v.recordCount));
    const QJsonObject parent = m.value(QStringLiteral("parent")).toObject();
    QString parentDigest;
    if (v.parentId) {
        QString e;
        if (const auto p = ws.versionById(v.parentId, &e))
            parentDigest = toHex(p->digest);
    }
    mismatch(QStringLiteral("parent"), parent.value(QStringLiteral("version")).toString(), v.parentLabel);
    mismatch(QStringLiteral("parent digest"), parent.value(QStringLiteral("digest")).toString(), parentDigest);
    QString e;
    const QList<VersionFile> files = ws.files(v.id, &e);
    const QJsonObject f = m.value(QStringLiteral("files")).toObject();
    mismatch(QStringLiteral("the stored file count"), QString::number(f.value(QStringLiteral("count")).toInteger()),
             QString::number(files.size()));
    mismatch(QStringLiteral("the stored files digest"), f.value(QStringLiteral("digest")).toString(),
             toHex(filesDigest(files)));
}


} // namespace

bool VersionCheck::run(Workspace &ws, const DatasetVersion &v, VerifyReport *report, QString *error, const Tick &tick)
{
    const QString subject = v.ref.toString();
    RecordDigest digest;
    MerkleTreeBuilder merkle;
    auto problem = [&](const QString &subject, const QString &message) { report->problems.append(VerifyProblem{subject, message}); };
    RecordPack pack;
    QString packError;
    if (!pack.open(ws.objects(), v.packHash, &packError)) {
        problem(subject, packError);
        return true;
    }
    // What each record was when the version was made, to name the ones that changed (versions made before
    // indexes were kept have none).
    RecordIndex index;
    QString indexProblem;
    const bool indexed = index.load(ws, v, &indexProblem);
    struct Changed
    {
        VerifyProblem problem;
        qint64 row;
        bool label;
    };
    QList<Changed> changed;
    std::unordered_map<std::string, Digest> labelHashes; // the version's labels, to name a rewritten one's original
    Statement st(ws.db(), "SELECT row, record_id, label, content_hash, content_offset, content_length, embedding "
                            "FROM record WHERE version_id = ?1 ORDER BY row");
    st.bind(1, v.id);
    qint64 expectedRow = 0;
    while (st.step()) {
        const qint64 row = st.columnInt(0);
        const std::string_view id = st.columnTextView(1);
        const QString recordSubject = QStringLiteral("%1 record '%2'").arg(subject, QString::fromUtf8(id.data(), qsizetype(id.size())));
        if (row != expectedRow) {
            problem(recordSubject, QStringLiteral("is at row %1 where row %2 was expected").arg(row).arg(expectedRow));
            expectedRow = row;
        }
        ++expectedRow;
        std::string_view bytes;
        if (!pack.content(st.columnInt(4), st.columnInt(5), &bytes))
            problem(recordSubject, QStringLiteral("its content lies outside the version's record pack"));
        const Digest content = digest.content(bytes);
        Digest stored;
        if (!digestFromBytes(st.columnBlob(3), &stored) || stored != content)
            problem(recordSubject, QStringLiteral("its content no longer matches its stored content hash"));
        const Digest label = st.columnIsNull(2) ? digest.label(std::nullopt) : digest.label(st.columnTextView(2));
        Digest embedding;
        const bool hasEmbedding = !st.columnIsNull(6);
        if (hasEmbedding)
            embedding = digest.embedding(st.columnBlobView(6));
        const Digest leaf = digest.record(id, content, label, hasEmbedding ? &embedding : nullptr);
        merkle.addLeaf(leaf);
        if (!st.columnIsNull(2) && labelHashes.size() < 100000)
            labelHashes.emplace(std::string(st.columnTextView(2)), label);
        if (indexed && !index.leafMatches(row, leaf) && changed.size() < 20) {
            const QString now = st.columnIsNull(2) ? QStringLiteral("no label") : QStringLiteral("'%1'").arg(st.columnText(2));
            const bool labelChanged = !index.labelMatches(row, label);
            changed.append(Changed{VerifyProblem{recordSubject, labelChanged
                ? QStringLiteral("its label was changed after the version was made (it now has %1)").arg(now)
                : QStringLiteral("its id or embedding is not what it was when the version was made")}, row, labelChanged});
        }
        ++report->recordsChecked;
        if ((expectedRow & 4095) == 0 && tick && !tick(4096))
            return false;
    }
    if (st.failed()) {
        *error = st.error();
        return false;
    }
    if (merkle.size() != quint64(v.recordCount))
        problem(subject, QStringLiteral("has %1 records but records %2").arg(merkle.size()).arg(v.recordCount));
    if (merkle.root() != v.merkleRoot) {
        problem(subject, QStringLiteral("its records no longer match its Merkle root (a record was added, removed, "
                                        "reordered or changed)%1").arg(indexed ? QString() : QStringLiteral(": %1").arg(
                                            indexProblem.isEmpty() ? QStringLiteral("it has no record index to say which") : indexProblem)));
        for (Changed c : std::as_const(changed)) {
            for (const auto &[text, hash] : labelHashes) // the original label, when the version still has it
                if (c.label && index.labelMatches(c.row, hash)) {
                    c.problem.message += QStringLiteral("; it was '%1'").arg(QString::fromStdString(text));
                    break;
                }
            report->problems.append(c.problem);
        }
    }
    const Digest manifestHash = digest.manifest(std::string_view(v.manifestBytes.constData(), size_t(v.manifestBytes.size())));
    if (manifestHash != v.manifestHash)
        problem(subject, QStringLiteral("its manifest no longer matches its manifest hash"));
    if (digest.version(v.merkleRoot, v.manifestHash) != v.digest)
        problem(subject, QStringLiteral("its digest does not commit to its Merkle root and manifest"));
    checkManifest(ws, v, report);
    QString readError;
    for (const QStringList &ids : normalisationCollisions(ws, v.id, &readError))
        report->warnings.append(QStringLiteral("%1: the record ids '%2' are different bytes but the same text after Unicode "
                                               "normalisation (NFC): one source may have re-encoded them")
                                    .arg(subject, ids.join(QStringLiteral("', '"))));
    if (!readError.isEmpty()) {
        *error = readError;
        return false;
    }
    ++report->versionsChecked;
    return true;
}

} // namespace custody
