#include "storage/DatasetVersion.h"

namespace custody {

QJsonObject versionToJson(const DatasetVersion &v)
{
    return QJsonObject{{QStringLiteral("name"), v.ref.toString()},
                       {QStringLiteral("dataset"), v.ref.dataset},
                       {QStringLiteral("version"), v.ref.label},
                       {QStringLiteral("parent"), v.parentLabel.isEmpty() ? QJsonValue() : QJsonValue(v.parentLabel)},
                       {QStringLiteral("records"), v.recordCount},
                       {QStringLiteral("digest"), toHex(v.digest)},
                       {QStringLiteral("merkle_root"), toHex(v.merkleRoot)},
                       {QStringLiteral("manifest_sha256"), toHex(v.manifestHash)},
                       {QStringLiteral("created_at"), v.createdAt.toString(Qt::ISODateWithMs)},
                       {QStringLiteral("manifest"), v.manifest}};
}

} // namespace custody
