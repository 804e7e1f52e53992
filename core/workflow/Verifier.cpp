#include "workflow/Verifier.h"
#include "job/Cancel.h"

#include "hashing/MerkleTree.h"
#include "hashing/RecordDigest.h"
#include "storage/Manifest.h"
#include "storage/RecordPack.h"
#include "ledger/CheckpointNote.h"
#include "ledger/CheckpointStore.h"
#include "ledger/Ledger.h"
#include "ledger/LedgerVerifier.h"

#include <QFile>
#include <QFileInfo>
#include "storage/Workspace.h"
#include "workflow/OpenWorkspace.h"

#include <QJsonArray>
#include <QSet>

namespace custody {

namespace {

class Verification
{
public:
    Verification(Workspace &ws, VerifyReport *report, const Verifier::Progress &progress,
                 const std::atomic_bool *cancel)
        : m_ws(ws), m_report(report), m_progress(progress), m_cancel(cancel)
    {
    }

    bool run(QString *error);

private:
    void problem(const QString &subject, const QString &message) { m_report->problems.append({subject, message}); }
    bool cancelled(QString *error)
    {
        if (m_cancel && m_cancel->load()) {
            *error = cancelledMessage(QStringLiteral("verification"));
            return true;
        }
        return false;
    }
    void tick(qint64 n)
    {
        m_done += n;
        if (m_progress)
            m_progress(m_done, m_total);
    }
    bool checkObjects(QString *error);
    bool checkVersion(const DatasetVersion &v, QString *error);
    void checkManifest(const DatasetVersion &v);

    Workspace &m_ws;
    VerifyReport *m_report;
    Verifier::Progress m_progress;
    const std::atomic_bool *m_cancel;
    qint64 m_done = 0, m_total = 0;
};

bool Verification::checkObjects(QString *error)
{
    QSet<QString> known;
    Statement st(m_ws.db(), "SELECT hash, size FROM object ORDER BY hash");
    while (st.step()) {
        const QString hash = st.columnText(0);
        known.insert(hash);
        QString why;
        if (!m_ws.objects().verify(hash, st.columnInt(1), &why))
            problem(QStringLiteral("object %1").arg(hash.left(12)), why);
        ++m_report->objectsChecked;
        tick(1);
        if (cancelled(error))
            return false;
    }
    if (st.failed()) {
        *error = st.error();
        return false;
    }
    for (const QString &hash : m_ws.objects().list())
        if (!known.contains(hash))
            m_report->warnings.append(QStringLiteral("object file %1 is not referenced by any version").arg(hash));
    return true;
}

void Verification::checkManifest(const DatasetVersion &v)
{
    const QString subject = v.ref.toString();
    const QJsonObject m = v.manifest;
    auto mismatch = [&](const QString &field, const QString &stored, const QString &expected) {
        if (stored != expected)
            problem(subject, QStringLiteral("manifest says %1 is '%2' but the workspace has '%3'").arg(field, stored, expected));
    };
    mismatch(QStringLiteral("dataset"), m.value(QStringLiteral("dataset")).toString(), v.ref.dataset);
    mismatch(QStringLiteral("version"), m.value(QStringLiteral("version")).toString(), v.ref.label);
    mismatch(QStringLiteral("record_count"), QString::number(m.value(QStringLiteral("record_count")).toInteger()),
             QString::number(v.recordCount));
    const QJsonObject parent = m.value(QStringLiteral("parent")).toObject();
    QString parentDigest;
    if (v.parentId) {
        QString e;
        if (const auto p = m_ws.versionById(v.parentId, &e))
            parentDigest = toHex(p->digest);
    }
    mismatch(QStringLiteral("parent"), parent.value(QStringLiteral("version")).toString(), v.parentLabel);
    mismatch(QStringLiteral("parent digest"), parent.value(QStringLiteral("digest")).toString(), parentDigest);
    QString e;
    const QList<VersionFile> files = m_ws.files(v.id, &e);
    const QJsonObject f = m.value(QStringLiteral("files")).toObject();
    mismatch(QStringLiteral("the stored file count"), QString::number(f.value(QStringLiteral("count")).toInteger()),
             QString::number(files.size()));
    mismatch(QStringLiteral("the stored files digest"), f.value(QStringLiteral("digest")).toString(),
             toHex(filesDigest(files)));
}

bool Verification::checkVersion(const DatasetVersion &v, QString *error)
{
    const QString subject = v.ref.toString();
    RecordDigest digest;
    MerkleTreeBuilder merkle;
    RecordPack pack;
    QString packError;
    if (!pack.open(m_ws.objects(), v.packHash, &packError)) {
        problem(subject, packError);
        return true;
    }
    Statement st(m_ws.db(), "SELECT row, record_id, label, content_hash, content_offset, content_length, embedding "
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
        merkle.addLeaf(digest.record(id, content, label, hasEmbedding ? &embedding : nullptr));
        ++m_report->recordsChecked;
        if ((expectedRow & 4095) == 0) {
            tick(4096);
            if (cancelled(error))
                return false;
        }
    }
    if (st.failed()) {
        *error = st.error();
        return false;
    }
    if (merkle.size() != quint64(v.recordCount))
        problem(subject, QStringLiteral("has %1 records but records %2").arg(merkle.size()).arg(v.recordCount));
    if (merkle.root() != v.merkleRoot)
        problem(subject, QStringLiteral("its records no longer match its Merkle root (a record was added, removed, "
                                        "reordered or changed)"));
    const Digest manifestHash = digest.manifest(std::string_view(v.manifestBytes.constData(), size_t(v.manifestBytes.size())));
    if (manifestHash != v.manifestHash)
        problem(subject, QStringLiteral("its manifest no longer matches its manifest hash"));
    if (digest.version(v.merkleRoot, v.manifestHash) != v.digest)
        problem(subject, QStringLiteral("its digest does not commit to its Merkle root and manifest"));
    checkManifest(v);
    ++m_report->versionsChecked;
    return true;
}

bool Verification::run(QString *error)
{
    Statement integrity(m_ws.db(), "PRAGMA quick_check");
    while (integrity.step()) {
        const QString line = integrity.columnText(0);
        if (line != QLatin1String("ok"))
            problem(QStringLiteral("database"), line);
    }
    const QList<DatasetVersion> versions = m_ws.versions(error);
    if (!error->isEmpty())
        return false;
    m_total = m_ws.db().queryInt("SELECT count(*) FROM object", error).value_or(0);
    for (const DatasetVersion &v : versions)
        m_total += v.recordCount;
    if (!checkObjects(error))
        return false;
    for (const DatasetVersion &v : versions)
        if (!checkVersion(v, error))
            return false;
    return true;
}

} // namespace

bool Verifier::run(Workspace &workspace, VerifyReport *report, QString *error, const Progress &progress,
                   const std::atomic_bool *cancel, const VerifyOptions &options)
{
    *report = VerifyReport();
    error->clear();
    Verification v(workspace, report, progress, cancel);
    if (!v.run(error))
        return false;
    LedgerVerifier::Result ledger;
    if (!LedgerVerifier::run(workspace, report, &ledger, error, cancel))
        return false;
    report->eventsChecked = ledger.events;
    report->signedEvents = ledger.signedEvents;
    if (!workspace.integrityProblem().isEmpty())
        report->problems.append(VerifyProblem{QStringLiteral("ledger"), workspace.integrityProblem()});
    Ledger l(workspace);
    if (!options.checkpointFile.isEmpty()) {
        QFile f(options.checkpointFile);
        if (!f.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("%1: cannot read (%2)").arg(options.checkpointFile, f.errorString());
            return false;
        }
        const QString why = CheckpointNote::check(l, f.readAll());
        if (!why.isEmpty())
            report->problems.append(VerifyProblem{QStringLiteral("checkpoint %1").arg(QFileInfo(options.checkpointFile).fileName()), why});
    }
    // What was verified becomes the baseline this user's next open is checked against.
    if (report->ok() && !rememberedCheckpointDirectory().isEmpty())
        CheckpointStore(rememberedCheckpointDirectory()).rememberCurrent(l, error);
    error->clear();
    return true;
}

} // namespace custody
