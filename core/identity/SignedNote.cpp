#include "identity/SignedNote.h"

#include "formats/Utf8.h"
#include "hashing/Sha256.h"
#include "identity/SigningKey.h"

namespace custody {

namespace {

constexpr char kAlgEd25519 = 0x01;                     // C2SP signed-note signature type for Ed25519
constexpr char kSignaturePrefix[] = "\xE2\x80\x94 "; // U+2014 EM DASH, then a space
constexpr qsizetype kMaxNoteSize = 1024 * 1024;

// Valid UTF-8 and no control character but '\n', as the signed-note spec requires of the whole note.
bool checkNoteText(const QByteArray &text, const QString &what, QString *error)
{
    if (!utf8::isValid(std::string_view(text.constData(), size_t(text.size())))) {
        *error = QStringLiteral("%1 is not valid UTF-8").arg(what);
        return false;
    }
    for (const char c : text)
        if ((uchar(c) < 0x20 && c != '\n') || c == 0x7f) {
            *error = QStringLiteral("%1 contains a control character (byte 0x%2)")
                         .arg(what)
                         .arg(uint(uchar(c)), 2, 16, QLatin1Char('0'));
            return false;
        }
    return true;
}

std::optional<QByteArray> strictBase64(const QByteArray &text)
{
    const auto decoded = QByteArray::fromBase64Encoding(text, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.toBase64() != text)
        return std::nullopt;
    return decoded.decoded;
}

QByteArray signatureLine(const SignedNote::Signature &s)
{
    QByteArray blob(4, Qt::Uninitialized);
    for (int i = 0; i < 4; ++i)
        blob[i] = char(s.keyHash >> (24 - 8 * i));
    return kSignaturePrefix + s.name.toUtf8() + ' ' + (blob + s.signature).toBase64() + '\n';
}

QString hashHex(uint32_t hash)
{
    return QStringLiteral("%1").arg(hash, 8, 16, QLatin1Char('0'));
}

} // namespace

bool SignedNote::isValidKeyName(const QString &name)
{
    if (name.isEmpty() || name.contains(QLatin1Char('+')))
        return false;
    for (const QChar c : name)
        if (c.isSpace() || c.unicode() < 0x20 || c.isSurrogate())
            return false;
    return true;
}

uint32_t SignedNote::keyHash(const QString &name, const PublicKey &key)
{
    Sha256 h;
    h.update(name.toUtf8());
    h.update("\n", 1);
    h.update(&kAlgEd25519, 1);
    h.update(key.raw());
    const Digest d = h.finish();
    return uint32_t(d[0]) << 24 | uint32_t(d[1]) << 16 | uint32_t(d[2]) << 8 | uint32_t(d[3]);
}

QString SignedNote::verifierKey(const QString &name, const PublicKey &key)
{
    return name + QLatin1Char('+') + hashHex(keyHash(name, key)) + QLatin1Char('+')
        + QString::fromLatin1((QByteArray(1, kAlgEd25519) + key.raw()).toBase64());
}

std::optional<SignedNote::Verifier> SignedNote::parseVerifierKey(const QString &vkey, QString *error)
{
    const QStringList parts = vkey.split(QLatin1Char('+'));
    if (parts.size() != 3 || !isValidKeyName(parts[0]) || parts[1].size() != 8) {
        *error = QStringLiteral("\"%1\" is not a verifier key (NAME+KEYHASH+KEY)").arg(vkey);
        return std::nullopt;
    }
    const auto blob = strictBase64(parts[2].toLatin1());
    if (!blob || blob->size() != 1 + PublicKey::kRawSize || blob->at(0) != kAlgEd25519) {
        *error = QStringLiteral("verifier key for %1 does not hold an Ed25519 key").arg(parts[0]);
        return std::nullopt;
    }
    std::optional<PublicKey> key = PublicKey::fromRaw(blob->mid(1), error);
    if (!key)
        return std::nullopt;
    if (hashHex(keyHash(parts[0], *key)) != parts[1]) {
        *error = QStringLiteral("verifier key for %1 has the wrong key hash %2").arg(parts[0], parts[1]);
        return std::nullopt;
    }
    return Verifier{parts[0], std::move(*key)};
}

std::optional<QByteArray> SignedNote::sign(const QByteArray &body, const QString &keyName, const SigningKey &key,
                                           QString *error)
{
    if (body.isEmpty() || !body.endsWith('\n')) {
        *error = QStringLiteral("a note body must be non-empty and end with a newline");
        return std::nullopt;
    }
    if (body.startsWith('\n') || body.contains("\n\n")) {
        *error = QStringLiteral("a note body must not contain an empty line (it would end the body)");
        return std::nullopt;
    }
    if (!checkNoteText(body, QStringLiteral("the note body"), error))
        return std::nullopt;
    SignedNote note;
    note.m_body = body;
    if (!note.addSignature(keyName, key, error))
        return std::nullopt;
    return note.text();
}

bool SignedNote::addSignature(const QString &keyName, const SigningKey &key, QString *error)
{
    if (!isValidKeyName(keyName)) {
        *error = QStringLiteral("\"%1\" is not a note key name (no spaces, no '+')").arg(keyName);
        return false;
    }
    const uint32_t hash = keyHash(keyName, key.publicKey());
    for (const Signature &s : m_signatures)
        if (s.name == keyName && s.keyHash == hash) {
            *error = QStringLiteral("the note is already signed by %1 with this key").arg(keyName);
            return false;
        }
    if (m_signatures.size() >= kMaxSignatures) {
        *error = QStringLiteral("the note already has %1 signatures, the most a note may carry").arg(kMaxSignatures);
        return false;
    }
    const QByteArray sig = key.sign(m_body);
    if (sig.isEmpty()) {
        *error = QStringLiteral("cannot sign the note with key %1").arg(key.keyId());
        return false;
    }
    m_signatures.append({keyName, hash, sig});
    return true;
}

QByteArray SignedNote::text() const
{
    QByteArray out = m_body + '\n';
    for (const Signature &s : m_signatures)
        out += signatureLine(s);
    return out;
}

std::optional<SignedNote> SignedNote::parse(const QByteArray &text, QString *error)
{
    if (text.size() > kMaxNoteSize) {
        *error = QStringLiteral("the note is larger than %1 bytes").arg(kMaxNoteSize);
        return std::nullopt;
    }
    if (!checkNoteText(text, QStringLiteral("the note"), error))
        return std::nullopt;
    // The signatures follow the last blank line; the body keeps its own final newline.
    const qsizetype split = text.lastIndexOf("\n\n");
    if (split < 0) {
        *error = QStringLiteral("the note has no blank line before its signatures");
        return std::nullopt;
    }
    SignedNote note;
    note.m_body = text.left(split + 1);
    const QByteArray block = text.mid(split + 2);
    if (block.isEmpty()) {
        *error = QStringLiteral("the note has no signatures");
        return std::nullopt;
    }
    if (!block.endsWith('\n')) {
        *error = QStringLiteral("the note's last signature line does not end with a newline");
        return std::nullopt;
    }
    const QList<QByteArray> lines = block.chopped(1).split('\n');
    if (lines.size() > kMaxSignatures) {
        *error = QStringLiteral("the note has %1 signatures; at most %2 are allowed").arg(lines.size()).arg(kMaxSignatures);
        return std::nullopt;
    }
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QByteArray &line = lines[i];
        const QString where = QStringLiteral("signature line %1").arg(i + 1);
        if (!line.startsWith(kSignaturePrefix)) {
            *error = QStringLiteral("%1 does not start with an em dash and a space").arg(where);
            return std::nullopt;
        }
        const QByteArray rest = line.mid(qsizetype(sizeof kSignaturePrefix - 1));
        const qsizetype space = rest.indexOf(' ');
        const QString name = QString::fromUtf8(rest.left(space));
        if (space < 0 || !isValidKeyName(name)) {
            *error = QStringLiteral("%1 has no valid key name before the signature").arg(where);
            return std::nullopt;
        }
        const auto blob = strictBase64(rest.mid(space + 1));
        if (!blob) {
            *error = QStringLiteral("%1 (%2) has a signature that is not valid base64").arg(where, name);
            return std::nullopt;
        }
        if (blob->size() < 5) {
            *error = QStringLiteral("%1 (%2) is too short to hold a key hash and a signature").arg(where, name);
            return std::nullopt;
        }
        const auto *b = reinterpret_cast<const uchar *>(blob->constData());
        note.m_signatures.append(
            {name, uint32_t(b[0]) << 24 | uint32_t(b[1]) << 16 | uint32_t(b[2]) << 8 | uint32_t(b[3]), blob->mid(4)});
    }
    return note;
}

bool SignedNote::verify(const SignedNote &note, const QString &name, const PublicKey &key, QString *error)
{
    const uint32_t hash = keyHash(name, key);
    bool sawName = false;
    for (const Signature &s : note.m_signatures) {
        if (s.name != name)
            continue;
        sawName = true;
        if (s.keyHash == hash && key.verify(note.m_body, s.signature))
            return true;
    }
    if (error) {
        if (!sawName)
            *error = QStringLiteral("the note has no signature by %1").arg(name);
        else
            *error = QStringLiteral("no signature by %1 (key hash %2) verifies over the note").arg(name, hashHex(hash));
    }
    return false;
}

} // namespace custody
