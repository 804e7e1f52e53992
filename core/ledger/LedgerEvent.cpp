#include "ledger/LedgerEvent.h"

#include <QJsonDocument>

namespace custody {

QJsonObject LedgerEvent::body() const
{
    return QJsonDocument::fromJson(payload).object().value(QStringLiteral("body")).toObject();
}

QByteArray LedgerEvent::buildPayload(const QString &workspaceId, qint64 seq, const QString &time, const QString &actor,
                                     const QString &type, const Digest &prev, const QJsonObject &body)
{
    const QJsonObject o{{QStringLiteral("workspace"), workspaceId},
                        {QStringLiteral("seq"), seq},
                        {QStringLiteral("time"), time},
                        {QStringLiteral("actor"), actor},
                        {QStringLiteral("type"), type},
                        {QStringLiteral("prev"), toHex(prev)},
                        {QStringLiteral("body"), body}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

Digest LedgerEvent::computeHash(const QByteArray &payload, const QByteArray &signature)
{
    Sha256 h;
    h.update("custody.event.v1", 17); // with its terminating NUL
    const uint32_t n = uint32_t(payload.size());
    const uint8_t len[4] = {uint8_t(n), uint8_t(n >> 8), uint8_t(n >> 16), uint8_t(n >> 24)};
    h.update(len, 4);
    h.update(payload);
    h.update(signature);
    return h.finish();
}

} // namespace custody
