#include "storage/Manifest.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace custody {

QByteArray buildManifest(const ManifestFacts &f)
{
    QJsonObject provenance{
        {QStringLiteral("source"), f.provenance.source},
        {QStringLiteral("supplier"), f.provenance.supplier},
        {QStringLiteral("license"), f.provenance.license},
        {QStringLiteral("acquired_at"), f.provenance.acquiredAt},
        {QStringLiteral("note"), f.provenance.note},
        {QStringLiteral("ingested_by"), f.provenance.ingestedBy},
        {QStringLiteral("ingested_at"), f.provenance.ingestedAt},
    };
    QJsonValue parent;
    if (!f.parentLabel.isEmpty())
        parent = QJsonObject{{QStringLiteral("version"), f.parentLabel},
                             {QStringLiteral("digest"), toHex(f.parentDigest)}};
    const QJsonObject manifest{
        {QStringLiteral("manifest"), QStringLiteral("custody/v1")},
        {QStringLiteral("dataset"), f.ref.dataset},
        {QStringLiteral("version"), f.ref.label},
        {QStringLiteral("parent"), parent},
        {QStringLiteral("format"), f.format},
        {QStringLiteral("id_source"), f.idSource},
        {QStringLiteral("label_source"), f.labelSource},
        {QStringLiteral("schema"), f.schema.toJson()},
        {QStringLiteral("record_count"), f.recordCount},
        {QStringLiteral("embedding_dimensions"), f.embeddingDimensions},
        {QStringLiteral("files"), QJsonObject{{QStringLiteral("count"), f.fileCount},
                                              {QStringLiteral("digest"), toHex(f.filesDigest)}}},
        {QStringLiteral("provenance"), provenance},
    };
    return QJsonDocument(manifest).toJson(QJsonDocument::Compact);
}

Digest filesDigest(const QList<VersionFile> &files)
{
    Sha256 h;
    for (const VersionFile &file : files) {
        h.update(file.role.toUtf8());
        h.update("\0", 1);
        h.update(file.name.toUtf8());
        h.update("\0", 1);
        h.update(file.objectHash.toLatin1());
        h.update("\n", 1);
    }
    return h.finish();
}

} // namespace custody
