#include "identity/Checkpoint.h"

#include "formats/Utf8.h"

namespace custody {

namespace {

bool isLineText(const QString &line)
{
    if (line.isEmpty())
        return false;
    for (const QChar c : line)
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return false;
    return true;
}

} // namespace

bool Checkpoint::validate(QString *error) const
{
    if (!isLineText(origin)) {
        *error = QStringLiteral("checkpoint origin must be a non-empty line without control characters");
        return false;
    }
    for (const QString &line : extraLines)
        if (!isLineText(line)) {
            *error = QStringLiteral("checkpoint extension lines must be non-empty and without control characters");
            return false;
        }
    return true;
}

QByteArray Checkpoint::body() const
{
    QByteArray out = origin.toUtf8() + '\n' + QByteArray::number(treeSize) + '\n' + toBytes(rootHash).toBase64() + '\n';
    for (const QString &line : extraLines)
        out += line.toUtf8() + '\n';
    return out;
}

std::optional<Checkpoint> Checkpoint::parse(const QByteArray &body, QString *error)
{
    // A checkpoint is the body of a signed note, which is never larger than this.
    constexpr qsizetype kMaxCheckpointBytes = qsizetype(1) << 20;
    if (body.size() > kMaxCheckpointBytes) {
        *error = QStringLiteral("checkpoint is larger than %1 bytes").arg(kMaxCheckpointBytes);
        return std::nullopt;
    }
    if (!body.endsWith('\n')) {
        *error = QStringLiteral("checkpoint does not end with a newline");
        return std::nullopt;
    }
    if (!utf8::isValid(std::string_view(body.constData(), size_t(body.size())))) {
        *error = QStringLiteral("checkpoint is not valid UTF-8");
        return std::nullopt;
    }
    const QList<QByteArray> lines = body.chopped(1).split('\n');
    if (lines.size() < 3) {
        *error = QStringLiteral("checkpoint has %1 lines; it needs origin, tree size and root hash").arg(lines.size());
        return std::nullopt;
    }
    Checkpoint cp;
    cp.origin = QString::fromUtf8(lines[0]);
    const QByteArray &size = lines[1];
    bool ok = !size.isEmpty() && (size == "0" || size[0] != '0');
    for (const char c : size)
        ok = ok && c >= '0' && c <= '9';
    cp.treeSize = ok ? size.toULongLong(&ok) : 0;
    if (!ok) {
        *error = QStringLiteral("checkpoint tree size \"%1\" is not a decimal number").arg(QString::fromUtf8(size));
        return std::nullopt;
    }
    const auto root = QByteArray::fromBase64Encoding(lines[2], QByteArray::AbortOnBase64DecodingErrors);
    if (!root || root.decoded.toBase64() != lines[2] || !digestFromBytes(root.decoded, &cp.rootHash)) {
        *error = QStringLiteral("checkpoint root hash is not 32 bytes of standard base64");
        return std::nullopt;
    }
    for (qsizetype i = 3; i < lines.size(); ++i)
        cp.extraLines.append(QString::fromUtf8(lines[i]));
    if (!cp.validate(error))
        return std::nullopt;
    return cp;
}

} // namespace custody
