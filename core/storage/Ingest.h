#pragma once

#include "formats/RecordReader.h"
#include "job/Progress.h"
#include "storage/DatasetVersion.h"

#include <QStringList>

#include <atomic>
#include <functional>

namespace custody {

class SigningKey;
class Workspace;

struct IngestRequest
{
    QString dataset;
    QString version;     // the new label; NAME@LABEL must not exist yet
    QString parentLabel; // optional, a version of the same dataset
    QStringList paths;
    ReaderOptions reader;
    QString embeddingsFile; // optional .npy aligned by row
    Provenance provenance;  // ingestedBy defaults to the OS user, ingestedAt is set by the ingest
    // The curator signing the version.ingested event (workflow/IngestVersion); required in a signed workspace,
    // null in an unsigned one.
    const SigningKey *signer = nullptr;
};

struct IngestResult
{
    qint64 versionId = 0;
    Digest digest{};
    qint64 recordCount = 0;
    QStringList skipped; // what the source held that was left out, and why (RecordReader::skipped)
    QStringList repaired; // stored objects found altered and rewritten from this ingest's bytes (ObjectStore)
};


// Reads a source into a new immutable version: stores the original files, hashes every record, commits the
// version with its Merkle root and manifest in one transaction. On any error or cancellation nothing is left
// behind: the transaction rolls back and the objects it wrote are collected. Safe to run on a worker thread
// with its own Workspace connection; `progress` is called from that thread.
// What an ingest records beside the new version, inside the same transaction. Storage knows nothing of the
// ledger: the workflow layer supplies a journal that asks the policy and appends the version.ingested event
// (workflow/IngestVersion.h), so that a version and its event are committed together or not at all.
class IngestJournal
{
public:
    virtual ~IngestJournal() = default;
    // Asked inside the transaction before any record is read: false with *error stops the ingest.
    virtual bool admit(QString *error) = 0;
    // Who ingested, for a manifest whose provenance names nobody ("" for the operating-system user).
    virtual QString ingestedBy() = 0;
    // The version is final; record it, still inside the transaction.
    virtual bool recordIngested(const VersionRef &version, const Digest &digest, QString *error) = 0;
};

class Ingest
{
public:
    // A version with no journal is stored without any ledger event: callers go through ingestVersion()
    // (workflow/IngestVersion.h), which keeps the ledger in step.
    static bool run(Workspace &workspace, const IngestRequest &request, IngestResult *result, QString *error,
                    const ProgressFn &progress = {}, const std::atomic_bool *cancel = nullptr,
                    IngestJournal *journal = nullptr);
};

} // namespace custody
