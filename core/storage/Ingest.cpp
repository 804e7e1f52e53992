#include "storage/Ingest.h"
#include "job/Cancel.h"

#include "formats/NpyFile.h"
#include "hashing/MerkleTree.h"
#include "hashing/RecordDigest.h"
#include "storage/Manifest.h"
#include "storage/RecordIndex.h"
#include "storage/StoredSources.h"
#include "storage/Workspace.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>

#include <cmath>
#include <pwd.h>
#include <unistd.h>

#include <unordered_map>

namespace custody {

namespace {

QString operatingSystemUser()
{
    if (const passwd *pw = getpwuid(getuid()))
        return QString::fromLocal8Bit(pw->pw_name);
    return qEnvironmentVariable("USER", QStringLiteral("unknown"));
}

// Everything one ingest needs while it runs; keeps Ingest::run readable.
class IngestRun
{
public:
    IngestRun(Workspace &ws, const IngestRequest &request, const ProgressFn &progress,
              const std::atomic_bool *cancel, IngestJournal *journal)
        : m_ws(ws), m_request(request), m_progress(progress), m_cancel(cancel), m_journal(journal),
          m_pack(ws.objects()), m_index(ws.objects())
    {
    }

    bool run(IngestResult *result, QString *error);
    // Objects this run created; removed again when the run fails.
    const QStringList &createdObjects() const { return m_created; }

private:
    bool cancelled(QString *error)
    {
        if (m_cancel && m_cancel->load()) {
            *error = cancelledMessage(QStringLiteral("ingest"), QStringLiteral("nothing was stored"));
            return true;
        }
        return false;
    }
    void report(const QString &phase, qint64 done, qint64 total)
    {
        if (m_progress)
            m_progress(Progress{phase, done, total});
    }
    bool storeFile(const QString &path, const QString &role, const QString &name, QString *hash, QString *error);
    bool insertRecords(RecordReader &reader, NpyFile *embeddings, QString *error);
    QString idSource() const;
    QString labelSource() const;

    Workspace &m_ws;
    const IngestRequest &m_request;
    ProgressFn m_progress;
    const std::atomic_bool *m_cancel;
    IngestJournal *m_journal;

    qint64 m_versionId = 0;
    QList<VersionFile> m_files;
    QHash<QString, QString> m_storedPaths; // absolute path -> object hash
    QStringList m_created;
    MerkleTreeBuilder m_merkle;
    ObjectStore::Writer m_pack;
    ObjectStore::Writer m_index; // the record index (RecordIndex's format), streamed: memory stays flat
    qint64 m_records = 0;
};

bool IngestRun::storeFile(const QString &path, const QString &role, const QString &name, QString *hash,
                          QString *error)
{
    const QString key = QFileInfo(path).absoluteFilePath();
    if (const auto it = m_storedPaths.constFind(key); it != m_storedPaths.constEnd()) {
        *hash = *it;
        return true;
    }
    ObjectStore::Stored stored;
    if (!m_ws.objects().put(path, &stored, error, {}, m_cancel)) {
        cancelled(error); // stopped while copying: the ingest's own message ("nothing was stored")
        return false;
    }
    if (stored.created)
        m_created.append(stored.hash);
    Statement st(m_ws.db(), "INSERT OR IGNORE INTO object(hash, size) VALUES (?1, ?2)");
    if (!st.bind(1, stored.hash).bind(2, stored.size).run(error))
        return false;
    m_files.append(VersionFile{role, name, stored.hash, stored.size});
    m_storedPaths.insert(key, stored.hash);
    *hash = stored.hash;
    return true;
}

QString IngestRun::idSource() const
{
    if (!m_request.reader.idColumn.isEmpty())
        return QStringLiteral("column:") + m_request.reader.idColumn;
    return QStringLiteral("row");
}

QString IngestRun::labelSource() const
{
    if (!m_request.reader.labelColumn.isEmpty())
        return QStringLiteral("column:") + m_request.reader.labelColumn;
    if (!m_request.reader.labelsFile.isEmpty())
        return QStringLiteral("file:") + QFileInfo(m_request.reader.labelsFile).fileName();
    return QStringLiteral("source");
}

bool IngestRun::insertRecords(RecordReader &reader, NpyFile *embeddings, QString *error)
{
    Statement insert(m_ws.db(), "INSERT INTO record(version_id, row, record_id, label, content_hash, content_offset, "
                                "content_length, embedding, object_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    if (!insert.ok()) {
        *error = insert.error();
        return false;
    }
    RecordDigest digest;
    std::unordered_map<std::string, Digest> labelHashes; // labels repeat: hash each once
    const Digest noLabel = digest.label(std::nullopt);
    std::vector<float> embedding;
    SourceRecord rec;
    QString readError;
    const qint64 total = reader.progressTotal();
    qint64 nextReport = 0;
    while (reader.next(&rec, &readError)) {
        if ((m_records & 1023) == 0 && cancelled(error))
            return false;
        // Where the record is, as the duplicate-id message says it: FILE:LINE (text) or FILE:RECORD.
        const auto where = [&] {
            return QStringLiteral("%1:%2: record %3").arg(rec.originalFile.empty() ? m_request.paths.value(0) : QString::fromStdString(rec.originalFile))
                .arg(rec.position).arg(m_records + 1);
        };
        if (rec.id.empty()) {
            *error = QStringLiteral("%1: empty id").arg(where());
            return false;
        }
        // A NUL cuts the text short for SQLite's functions and cannot be typed on a command line, so a record so
        // named could never be decided on: refused in ids and labels.
        if (rec.id.find('\0') != std::string::npos || (rec.label && rec.label->find('\0') != std::string::npos)) {
            *error = QStringLiteral("%1: its %2 contains a NUL character").arg(where())
                         .arg(rec.id.find('\0') != std::string::npos ? QStringLiteral("id") : QStringLiteral("label"));
            return false;
        }
        const Digest contentHash = digest.content(rec.content);
        Digest labelHash = noLabel;
        if (rec.label) {
            auto it = labelHashes.find(*rec.label);
            if (it != labelHashes.end())
                labelHash = it->second;
            else if (labelHashes.size() < 65536) // a label per record (a text column) must not grow the cache
                labelHash = labelHashes.emplace(*rec.label, digest.label(std::string_view(*rec.label))).first->second;
            else
                labelHash = digest.label(std::string_view(*rec.label));
        }
        Digest embeddingHash;
        std::string_view embeddingBytes;
        if (embeddings) {
            QString e;
            if (m_records >= embeddings->rows()) {
                *error = QStringLiteral("%1: %2 rows of embeddings, but the source has more records")
                             .arg(m_request.embeddingsFile)
                             .arg(embeddings->rows());
                return false;
            }
            if (!embeddings->readRow(&embedding, &e)) {
                *error = e;
                return false;
            }
            // NaN and infinities would blind every detector that uses the vectors (spectral, robust covariance,
            // clustering): refused, as in numeric columns.
            for (size_t c = 0; c < embedding.size(); ++c) {
                if (!std::isfinite(embedding[c])) {
                    *error = QStringLiteral("%1: row %2, column %3: %4 is not a finite number; embeddings must be finite")
                                 .arg(m_request.embeddingsFile).arg(m_records + 1).arg(c + 1)
                                 .arg(std::isnan(embedding[c]) ? QStringLiteral("NaN") : QStringLiteral("infinity"));
                    return false;
                }
            }
            embeddingBytes = std::string_view(reinterpret_cast<const char *>(embedding.data()),
                                              embedding.size() * sizeof(float));
            embeddingHash = digest.embedding(embeddingBytes);
        }
        const Digest recordHash = digest.record(rec.id, contentHash, labelHash, embeddings ? &embeddingHash : nullptr);
        m_merkle.addLeaf(recordHash);
        const QByteArray indexEntry = RecordIndex::entry(recordHash, labelHash);
        if (!m_index.write(indexEntry.constData(), size_t(indexEntry.size()), error))
            return false;

        QString objectHash;
        if (!rec.originalFile.empty()) {
            const QString path = QString::fromStdString(rec.originalFile);
            const QString name = rec.label ? QString::fromStdString(*rec.label) + QLatin1Char('/') + QFileInfo(path).fileName()
                                           : QFileInfo(path).fileName();
            if (!storeFile(path, QStringLiteral("image"), name, &objectHash, error))
                return false;
            // The image decoded must be the file kept: one rewritten since it was stored is refused.
            if (!rec.originalBytes.empty() && toHex(Sha256::of(rec.originalBytes)) != objectHash) {
                *error = QStringLiteral("%1: the file changed while it was being ingested; nothing was stored").arg(path);
                return false;
            }
        }

        insert.bind(1, m_versionId).bind(2, m_records).bind(3, std::string_view(rec.id));
        if (rec.label)
            insert.bind(4, std::string_view(*rec.label));
        else
            insert.bindNull(4);
        insert.bindBlob(5, contentHash.data(), contentHash.size());
        insert.bind(6, m_pack.size()).bind(7, qint64(rec.content.size()));
        if (!m_pack.write(rec.content.data(), rec.content.size(), error))
            return false;
        if (embeddings)
            insert.bindBlob(8, embeddingBytes.data(), embeddingBytes.size());
        else
            insert.bindNull(8);
        if (objectHash.isEmpty())
            insert.bindNull(9);
        else
            insert.bind(9, objectHash);
        insert.step();
        if (insert.failed()) {
            const bool duplicate = (insert.resultCode() & 0xff) == SQLITE_CONSTRAINT;
            // An image names its own file; a line of a text source, file and line.
            const QString where = rec.originalFile.empty() ? QStringLiteral("%1:%2").arg(m_request.paths.value(0)).arg(rec.position)
                                                           : QString::fromStdString(rec.originalFile);
            if (duplicate) {
                Statement first(m_ws.db(), "SELECT row FROM record WHERE version_id = ?1 AND record_id = ?2");
                first.bind(1, m_versionId).bind(2, std::string_view(rec.id));
                const qint64 firstRecord = first.step() ? first.columnInt(0) + 1 : 0;
                *error = QStringLiteral("%1: duplicate id '%2' (record %3 already uses it%4)")
                             .arg(where, QString::fromStdString(rec.id))
                             .arg(firstRecord)
                             .arg(rec.originalFile.empty() ? QString()
                                                           : QStringLiteral(": an image's id is its file name without the extension, "
                                                                            "so two folders hold images of that name"));
            } else {
                *error = QStringLiteral("%1: cannot store record (%2)").arg(where, insert.error());
            }
            return false;
        }
        insert.reset();
        ++m_records;
        const qint64 done = reader.progressDone();
        if (done >= nextReport) {
            report(QStringLiteral("Reading records"), done, total);
            nextReport = done + std::max<qint64>(total / 200, 1);
        }
    }
    if (!readError.isEmpty()) {
        *error = readError;
        return false;
    }
    if (embeddings && embeddings->rows() != m_records) {
        *error = QStringLiteral("%1: %2 rows of embeddings for %3 records in %4")
                     .arg(m_request.embeddingsFile)
                     .arg(embeddings->rows())
                     .arg(m_records)
                     .arg(m_request.paths.value(0));
        return false;
    }
    if (m_records == 0) {
        *error = QStringLiteral("%1: no records").arg(m_request.paths.value(0));
        return false;
    }
    return true;
}

bool IngestRun::run(IngestResult *result, QString *error)
{
    const IngestRequest &req = m_request;
    if (!VersionRef::isValidName(req.dataset)) {
        *error = QStringLiteral("'%1' is not a valid dataset name (letters, digits, '.', '_' or '-')").arg(req.dataset);
        return false;
    }
    if (!VersionRef::isValidName(req.version)) {
        *error = QStringLiteral("'%1' is not a valid version label (letters, digits, '.', '_' or '-')").arg(req.version);
        return false;
    }
    if (!req.provenance.acquiredAt.isEmpty() && !Provenance::isIsoTime(req.provenance.acquiredAt)) {
        *error = QStringLiteral("'%1' is not an ISO 8601 date or time for the acquisition (for example 2025-11-20 or "
                                "2025-11-20T09:30:00Z)").arg(req.provenance.acquiredAt);
        return false;
    }
    if (req.paths.isEmpty()) {
        *error = QStringLiteral("nothing to ingest: no source path given");
        return false;
    }
    if (m_ws.isReadOnly()) {
        *error = QStringLiteral("the workspace is open read-only");
        return false;
    }
    std::unique_ptr<RecordReader> reader = createReader(req.paths, req.reader, error);
    if (!reader || !reader->open(error))
        return false;
    std::unique_ptr<NpyFile> embeddings;
    if (!req.embeddingsFile.isEmpty()) {
        embeddings = std::make_unique<NpyFile>();
        if (!embeddings->open(req.embeddingsFile, error))
            return false;
    }

    const VersionRef ref{req.dataset, req.version};
    QString e;
    const auto exists = [&] {
        if (!m_ws.version(ref, &e))
            return false;
        *error = QStringLiteral("%1 already exists; versions are immutable, choose a new label").arg(ref.toString());
        return true;
    };
    if (exists()) // before reading anything, and again under the write lock below
        return false;
    std::optional<DatasetVersion> parent;
    if (!req.parentLabel.isEmpty()) {
        parent = m_ws.version(VersionRef{req.dataset, req.parentLabel}, &e);
        if (!parent) {
            *error = QStringLiteral("parent %1@%2 does not exist").arg(req.dataset, req.parentLabel);
            return false;
        }
    }

    // A large page cache keeps the growing id index in memory instead of spilling dirty pages to the WAL
    // mid-transaction (1M records: 70 -> see bench/README.md); pages are only allocated as they are used.
    m_ws.db().exec("PRAGMA cache_size = -262144", nullptr);
    struct RestoreCache
    {
        Database &db;
        ~RestoreCache() { db.exec("PRAGMA cache_size = -65536", nullptr); }
    } restoreCache{m_ws.db()};
    Transaction tx(m_ws.db());
    if (!tx.begin(error))
        return false;
    // Another ingest of the same label may have committed while this one waited for the lock.
    if (exists())
        return false;
    // Ask the policy before reading a million records, not after.
    if (m_journal && !m_journal->admit(error))
        return false;
    m_ws.collectOrphanObjects(); // leftovers of a crashed ingest; safe while we hold the write lock

    Statement ds(m_ws.db(), "INSERT OR IGNORE INTO dataset(name, created_at) VALUES (?1, ?2)");
    const QString now = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    if (!ds.bind(1, req.dataset).bind(2, now).run(error))
        return false;
    Statement ver(m_ws.db(), "INSERT INTO version(dataset_id, label, parent_id, record_count, merkle_root, manifest, "
                             "manifest_hash, digest, created_at) SELECT id, ?2, ?3, 0, x'', x'', x'', x'', ?4 "
                             "FROM dataset WHERE name = ?1");
    ver.bind(1, req.dataset).bind(2, req.version).bind(4, now);
    if (parent)
        ver.bind(3, parent->id);
    else
        ver.bindNull(3);
    if (!ver.run(error))
        return false;
    m_versionId = sqlite3_last_insert_rowid(m_ws.db().handle());

    // Originals first, so a failure to keep them stops the ingest before any record is stored.
    const QStringList sources = reader->sourceFiles();
    for (int i = 0; i < sources.size(); ++i) {
        report(QStringLiteral("Storing originals"), i, sources.size());
        if (QFileInfo(sources[i]).isDir())
            continue;
        const bool isLabels = !req.reader.labelsFile.isEmpty()
            && QFileInfo(sources[i]).absoluteFilePath() == QFileInfo(req.reader.labelsFile).absoluteFilePath();
        QString hash;
        if (!storeFile(sources[i], isLabels ? QStringLiteral("labels") : QStringLiteral("data"),
                       QFileInfo(sources[i]).fileName(), &hash, error))
            return false;
        if (cancelled(error))
            return false;
    }
    if (embeddings) {
        QString hash;
        if (!storeFile(req.embeddingsFile, QStringLiteral("embeddings"), QFileInfo(req.embeddingsFile).fileName(),
                       &hash, error))
            return false;
    }

    // Parse what was stored, not the given paths again: a source rewritten during the ingest cannot then give
    // records that differ from the original the version keeps.
    StoredSources stored;
    // (Image folders are read file by file; the reader hands over the bytes it decoded, checked below.)
    for (const QString &source : req.paths + QStringList{req.reader.labelsFile, req.embeddingsFile}) {
        const auto it = m_storedPaths.constFind(QFileInfo(source).absoluteFilePath());
        if (!source.isEmpty() && it != m_storedPaths.constEnd() && !stored.add(it.key(), m_ws.objects().pathFor(it.value()), error))
            return false;
    }
    ReaderOptions options = req.reader;
    if (options.format == SourceFormat::Auto)
        options.format = detectFormat(req.paths);
    if (!options.labelsFile.isEmpty())
        options.labelsFile = stored.path(options.labelsFile);
    QStringList paths;
    for (const QString &path : req.paths)
        paths.append(stored.path(path));
    reader = createReader(paths, options, error);
    if (embeddings) {
        embeddings = std::make_unique<NpyFile>();
        if (!embeddings->open(stored.path(req.embeddingsFile), error)) {
            *error = stored.originalNames(*error);
            return false;
        }
    }
    if (!reader || !reader->open(error) || !m_pack.open(error) || !m_index.open(error)
        || !m_index.write(RecordIndex::header().constData(), size_t(RecordIndex::header().size()), error) || !insertRecords(*reader, embeddings.get(), error)) {
        *error = stored.originalNames(*error);
        return false;
    }
    ObjectStore::Stored pack;
    if (!m_pack.finish(&pack, error))
        return false;
    if (pack.created)
        m_created.append(pack.hash);
    Statement packRow(m_ws.db(), "INSERT OR IGNORE INTO object(hash, size) VALUES (?1, ?2)");
    if (!packRow.bind(1, pack.hash).bind(2, pack.size).run(error))
        return false;
    if (cancelled(error))
        return false;

    // What each record is now, kept with the version so that verify can name a record changed later.
    ObjectStore::Stored index;
    if (!m_index.finish(&index, error))
        return false;
    if (index.created)
        m_created.append(index.hash);
    Statement indexRow(m_ws.db(), "INSERT OR IGNORE INTO object(hash, size) VALUES (?1, ?2)");
    if (!indexRow.bind(1, index.hash).bind(2, index.size).run(error))
        return false;
    m_files.append(VersionFile{QString::fromLatin1(RecordIndex::kRole), QString::fromLatin1(RecordIndex::kName), index.hash, index.size});

    report(QStringLiteral("Committing"), 0, 1);
    Statement file(m_ws.db(), "INSERT INTO version_file(version_id, ordinal, role, name, object_hash) "
                              "VALUES (?1, ?2, ?3, ?4, ?5)");
    for (int i = 0; i < m_files.size(); ++i) {
        if (!file.bind(1, m_versionId).bind(2, i).bind(3, m_files[i].role).bind(4, m_files[i].name)
                 .bind(5, m_files[i].objectHash).run(error))
            return false;
    }

    ManifestFacts facts;
    facts.ref = ref;
    if (parent) {
        facts.parentLabel = parent->ref.label;
        facts.parentDigest = parent->digest;
    }
    facts.format = sourceFormatName(req.reader.format == SourceFormat::Auto ? detectFormat(req.paths) : req.reader.format);
    facts.idSource = idSource();
    facts.labelSource = labelSource();
    facts.schema = reader->schema();
    facts.recordCount = m_records;
    facts.embeddingDimensions = embeddings ? int(embeddings->cols()) : 0;
    facts.fileCount = m_files.size();
    facts.filesDigest = filesDigest(m_files);
    facts.provenance = req.provenance;
    if (facts.provenance.ingestedBy.isEmpty()) {
        // The signing principal once identities exist; the operating-system user in an unsigned workspace.
        const QString principal = m_journal ? m_journal->ingestedBy() : QString();
        facts.provenance.ingestedBy = principal.isEmpty() ? operatingSystemUser() : principal;
    }
    facts.provenance.ingestedAt = now;
    const QByteArray manifest = buildManifest(facts);

    RecordDigest digest;
    const Digest root = m_merkle.root();
    const Digest manifestHash = digest.manifest(std::string_view(manifest.constData(), size_t(manifest.size())));
    const Digest versionDigest = digest.version(root, manifestHash);
    Statement fin(m_ws.db(), "UPDATE version SET record_count = ?2, merkle_root = ?3, manifest = ?4, "
                             "manifest_hash = ?5, digest = ?6, pack_hash = ?7 WHERE id = ?1");
    fin.bind(1, m_versionId).bind(2, m_records).bindBlob(3, root.data(), root.size()).bindBlob(4, manifest)
        .bindBlob(5, manifestHash.data(), manifestHash.size()).bindBlob(6, versionDigest.data(), versionDigest.size())
        .bind(7, pack.hash);
    if (!fin.run(error))
        return false;
    if (m_journal && !m_journal->recordIngested(ref, versionDigest, error))
        return false;
    // Objects must be durable before the database that names them is.
    if (!m_ws.objects().sync(error) || !tx.commit(error))
        return false;
    report(QStringLiteral("Committing"), 1, 1);
    result->versionId = m_versionId;
    result->digest = versionDigest;
    result->recordCount = m_records;
    result->skipped = reader->skipped();
    // Said at ingest, not discovered at the first drift check: a column of images of several sizes has no pixels
    // to compare.
    for (const Column &c : reader->schema().columns)
        if (c.kind == ColumnKind::Image && (c.width == 0 || c.height == 0 || c.channels == 0))
            result->skipped.append(QStringLiteral("column '%1' holds images of varying size or channels: drift and the pixel "
                                                  "detectors cannot compare them (resize them to one size to have them tested)").arg(c.name));
    result->repaired = m_ws.objects().repaired();
    return true;
}

} // namespace

bool Ingest::run(Workspace &workspace, const IngestRequest &request, IngestResult *result, QString *error,
                 const ProgressFn &progress, const std::atomic_bool *cancel, IngestJournal *journal)
{
    IngestRun run(workspace, request, progress, cancel, journal);
    if (run.run(result, error))
        return true;
    // The transaction has rolled back; remove the objects this run created unless a committed version
    // already references them.
    for (const QString &hash : run.createdObjects()) {
        Statement st(workspace.db(), "SELECT 1 FROM object WHERE hash = ?1");
        if (!st.bind(1, hash).step() && !st.failed())
            workspace.objects().remove(hash);
    }
    workspace.objects().clearTemporaryFiles();
    return false;
}

} // namespace custody
