#pragma once

#include "storage/DatasetVersion.h"

#include <QByteArray>
#include <QList>

namespace custody {

// Builds the canonical manifest bytes of a version: compact JSON with keys in sorted order (QJsonObject keeps
// them sorted), holding only strings and integers, so the same facts always give the same bytes.
struct ManifestFacts
{
    VersionRef ref;
    QString parentLabel;
    Digest parentDigest{};
    QString format;
    QString idSource;
    QString labelSource;
    Schema schema;
    qint64 recordCount = 0;
    int embeddingDimensions = 0;
    qint64 fileCount = 0;
    Digest filesDigest{};
    Provenance provenance;
};

QByteArray buildManifest(const ManifestFacts &facts);

// SHA-256 over the version's stored files in order: role NUL name NUL hex-hash LF for each.
Digest filesDigest(const QList<VersionFile> &files);

} // namespace custody
