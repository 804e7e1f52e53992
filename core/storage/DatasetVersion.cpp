#include "storage/DatasetVersion.h"

#include <QDate>
#include <QDateTime>
#include <QRegularExpression>

namespace custody {

bool Provenance::isIsoTime(const QString &text)
{
    // Qt's parser alone accepts a few forms ISO 8601 does not (a space for the T, a trailing text); the shape
    // is checked first.
    static const QRegularExpression shape(QStringLiteral(
        "^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:\\d{2})?)?$"));
    if (!shape.match(text).hasMatch())
        return false;
    return text.size() == 10 ? QDate::fromString(text, Qt::ISODate).isValid()
                             : QDateTime::fromString(text, Qt::ISODateWithMs).isValid();
}

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
