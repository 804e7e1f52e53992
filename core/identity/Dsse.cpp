#include "identity/Dsse.h"

#include "identity/SigningKey.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace custody {

namespace {

// Base64 that must round-trip exactly: no stray characters, no missing or extra padding.
std::optional<QByteArray> strictBase64(const QString &text)
{
    const QByteArray ascii = text.toLatin1();
    if (QString::fromLatin1(ascii) != text)
        return std::nullopt;
    for (const auto alphabet : {QByteArray::Base64Encoding, QByteArray::Base64UrlEncoding}) {
        auto decoded = QByteArray::fromBase64Encoding(ascii, alphabet | QByteArray::AbortOnBase64DecodingErrors);
        if (decoded && decoded.decoded.toBase64(alphabet) == ascii)
            return decoded.decoded;
    }
    return std::nullopt;
}

bool onlyFields(const QJsonObject &o, std::initializer_list<const char *> allowed, const QString &where,
                QString *error)
{
    for (auto it = o.begin(); it != o.end(); ++it) {
        bool known = false;
        for (const char *name : allowed)
            known = known || it.key() == QLatin1String(name);
        if (!known) {
            *error = QStringLiteral("DSSE %1 has an unknown field \"%2\"").arg(where, it.key());
            return false;
        }
    }
    return true;
}

} // namespace

QByteArray Dsse::pae(const QByteArray &payloadType, const QByteArray &payload)
{
    QByteArray out;
    out.reserve(payloadType.size() + payload.size() + 32);
    out += "DSSEv1 ";
    out += QByteArray::number(payloadType.size());
    out += ' ';
    out += payloadType;
    out += ' ';
    out += QByteArray::number(payload.size());
    out += ' ';
    out += payload;
    return out;
}

QByteArray Dsse::Envelope::toJson() const
{
    QJsonArray sigs;
    for (const Signature &s : signatures)
        sigs.append(QJsonObject{{QStringLiteral("keyid"), s.keyid},
                                {QStringLiteral("sig"), QString::fromLatin1(s.sig.toBase64())}});
    const QJsonObject o{{QStringLiteral("payload"), QString::fromLatin1(payload.toBase64())},
                        {QStringLiteral("payloadType"), payloadType},
                        {QStringLiteral("signatures"), sigs}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

std::optional<Dsse::Envelope> Dsse::Envelope::fromJson(const QByteArray &json, QString *error)
{
    if (json.size() > kMaxEnvelopeBytes) {
        *error = QStringLiteral("DSSE envelope is larger than %1 MiB").arg(kMaxEnvelopeBytes >> 20);
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = QStringLiteral("DSSE envelope is not JSON (%1 at byte %2)")
                     .arg(parseError.errorString())
                     .arg(parseError.offset);
        return std::nullopt;
    }
    if (!doc.isObject()) {
        *error = QStringLiteral("DSSE envelope is not a JSON object");
        return std::nullopt;
    }
    const QJsonObject o = doc.object();
    if (!onlyFields(o, {"payload", "payloadType", "signatures"}, QStringLiteral("envelope"), error))
        return std::nullopt;
    const QJsonValue payload = o.value(QStringLiteral("payload"));
    const QJsonValue payloadType = o.value(QStringLiteral("payloadType"));
    const QJsonValue signatures = o.value(QStringLiteral("signatures"));
    if (!payload.isString()) {
        *error = QStringLiteral("DSSE envelope has no \"payload\" string");
        return std::nullopt;
    }
    if (!payloadType.isString()) {
        *error = QStringLiteral("DSSE envelope has no \"payloadType\" string");
        return std::nullopt;
    }
    if (!signatures.isArray() || signatures.toArray().isEmpty()) {
        *error = QStringLiteral("DSSE envelope has no \"signatures\" (a non-empty array)");
        return std::nullopt;
    }
    Envelope env;
    env.payloadType = payloadType.toString();
    const auto body = strictBase64(payload.toString());
    if (!body) {
        *error = QStringLiteral("DSSE envelope \"payload\" is not valid base64");
        return std::nullopt;
    }
    env.payload = *body;
    const QJsonArray list = signatures.toArray();
    if (list.size() > kMaxSignatures) {
        *error = QStringLiteral("DSSE envelope has %1 signatures; at most %2 are allowed").arg(list.size()).arg(kMaxSignatures);
        return std::nullopt;
    }
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString where = QStringLiteral("signature %1").arg(i + 1);
        if (!list[i].isObject()) {
            *error = QStringLiteral("DSSE %1 is not a JSON object").arg(where);
            return std::nullopt;
        }
        const QJsonObject s = list[i].toObject();
        if (!onlyFields(s, {"keyid", "sig"}, where, error))
            return std::nullopt;
        const QJsonValue keyid = s.value(QStringLiteral("keyid"));
        if (!keyid.isUndefined() && !keyid.isString()) {
            *error = QStringLiteral("DSSE %1 has a \"keyid\" that is not a string").arg(where);
            return std::nullopt;
        }
        const auto sig = strictBase64(s.value(QStringLiteral("sig")).toString());
        if (!s.value(QStringLiteral("sig")).isString() || !sig || sig->isEmpty()) {
            *error = QStringLiteral("DSSE %1 has no valid base64 \"sig\"").arg(where);
            return std::nullopt;
        }
        env.signatures.append({keyid.toString(), *sig});
    }
    return env;
}

Dsse::Envelope Dsse::signEnvelope(const SigningKey &key, const QString &payloadType, const QByteArray &payload)
{
    Envelope env;
    env.payloadType = payloadType;
    env.payload = payload;
    const QByteArray sig = key.sign(pae(payloadType.toUtf8(), payload));
    if (!sig.isEmpty())
        env.signatures.append({key.keyId(), sig});
    return env;
}

bool Dsse::verifyEnvelope(const Envelope &envelope, const PublicKey &key, QString *error)
{
    const QByteArray message = pae(envelope.payloadType.toUtf8(), envelope.payload);
    for (const Signature &s : envelope.signatures)
        if (key.verify(message, s.sig))
            return true;
    if (error)
        *error = QStringLiteral("no signature in the DSSE envelope verifies with key %1").arg(key.keyId());
    return false;
}

} // namespace custody
