#pragma once

#include "formats/Schema.h"
#include "hashing/Sha256.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace custody {

// "NAME@LABEL", the way people and the CLI name a dataset version.
struct VersionRef
{
    QString dataset;
    QString label;

    static std::optional<VersionRef> parse(const QString &text);
    // What a dataset name or version label may be, wherever one is made (ingest, release): an ASCII letter or
    // digit, then up to 127 of letters, digits, '.', '_' and '-'. Nothing a terminal, a path or NAME@LABEL
    // could read otherwise, and no two spellings of one name.
    static bool isValidName(const QString &name);
    QString toString() const { return dataset + QLatin1Char('@') + label; }
    bool operator==(const VersionRef &) const = default;
};

// Where a version came from; kept in its manifest and so bound into its digest.
struct Provenance
{
    QString source;     // URI
    QString supplier;
    QString license;
    QString acquiredAt; // ISO 8601, as given
    QString note;
    QString ingestedBy; // operating-system user until identities exist
    QString ingestedAt; // ISO 8601 UTC, set by the ingest

    // An ISO 8601 date (2025-11-20) or date and time (2025-11-20T09:30:00Z, with or without seconds, fraction
    // and offset): what acquiredAt must be when given.
    static bool isIsoTime(const QString &text);
};

// One stored, immutable dataset version as the workspace records it.
struct DatasetVersion
{
    qint64 id = 0;
    VersionRef ref;
    qint64 parentId = 0; // 0 when it has none
    QString parentLabel;
    qint64 recordCount = 0;
    Digest merkleRoot{};
    Digest manifestHash{};
    Digest digest{};
    QString packHash; // object holding the records' canonical contents (RecordPack)
    QByteArray manifestBytes; // canonical JSON, exactly as hashed
    QJsonObject manifest;
    Schema schema;
    Provenance provenance;
    QString format;        // source format name
    int embeddingDimensions = 0;
    QDateTime createdAt;
};

// A file a version was made from, kept in the object store.
struct VersionFile
{
    QString role; // data, labels, embeddings, image, record-index (storage/RecordIndex.h)
    QString name; // as given at ingest (image files: relative to the folder)
    QString objectHash;
    qint64 size = 0;
};

} // namespace custody

namespace custody {
// The JSON form `versions --json` and `show --json` print: identity, digests, counts and the manifest.
QJsonObject versionToJson(const DatasetVersion &version);
} // namespace custody
