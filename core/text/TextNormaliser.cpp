#include "text/TextNormaliser.h"

#include <algorithm>

#include <QChar>

#include <string>

namespace custody {

namespace {

bool isBidiControl(char32_t c)
{
    return c == 0x200E || c == 0x200F || c == 0x061C || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

} // namespace

bool isInvisibleCharacter(char32_t c)
{
    return (c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF || isBidiControl(c);
}

QString invisibleCharacterName(char32_t c)
{
    const QString code = QStringLiteral("U+") + QString::number(uint(c), 16).toUpper().rightJustified(4, QLatin1Char('0'));
    const char *name = nullptr;
    switch (c) {
    case 0x200B: name = "ZERO WIDTH SPACE"; break;
    case 0x200C: name = "ZERO WIDTH NON-JOINER"; break;
    case 0x200D: name = "ZERO WIDTH JOINER"; break;
    case 0x2060: name = "WORD JOINER"; break;
    case 0xFEFF: name = "ZERO WIDTH NO-BREAK SPACE"; break;
    case 0x200E: name = "LEFT-TO-RIGHT MARK"; break;
    case 0x200F: name = "RIGHT-TO-LEFT MARK"; break;
    case 0x061C: name = "ARABIC LETTER MARK"; break;
    case 0x202A: name = "LEFT-TO-RIGHT EMBEDDING"; break;
    case 0x202B: name = "RIGHT-TO-LEFT EMBEDDING"; break;
    case 0x202C: name = "POP DIRECTIONAL FORMATTING"; break;
    case 0x202D: name = "LEFT-TO-RIGHT OVERRIDE"; break;
    case 0x202E: name = "RIGHT-TO-LEFT OVERRIDE"; break;
    case 0x2066: name = "LEFT-TO-RIGHT ISOLATE"; break;
    case 0x2067: name = "RIGHT-TO-LEFT ISOLATE"; break;
    case 0x2068: name = "FIRST STRONG ISOLATE"; break;
    case 0x2069: name = "POP DIRECTIONAL ISOLATE"; break;
    default: break;
    }
    return name ? code + QLatin1Char(' ') + QLatin1String(name) : code;
}

bool isWordCharacter(char32_t c)
{
    if (c == U'_')
        return true;
    switch (QChar::category(c)) {
    case QChar::Letter_Uppercase:
    case QChar::Letter_Lowercase:
    case QChar::Letter_Titlecase:
    case QChar::Letter_Modifier:
    case QChar::Letter_Other:
    case QChar::Mark_NonSpacing:
    case QChar::Mark_SpacingCombining:
    case QChar::Mark_Enclosing:
    case QChar::Number_DecimalDigit:
    case QChar::Number_Letter:
    case QChar::Number_Other:
    case QChar::Other_Format:
        return true;
    default:
        return false;
    }
}

namespace {

// NFKC, a piece at a time. Qt's normalisation rewrites the string once per character it decomposes, so its cost
// grows with the square of the length (campaign 10: one 4 MiB field of U+FDFA held a scan for hours). Pieces end
// just before a starter (combining class 0), where normalisation can restart; a run of non-starters longer than
// a piece is cut anyway (UAX #15's stream-safe format breaks such runs after 30). Every piece is small, so the
// whole is linear; the cut points depend only on the text, so the result is the same everywhere.
QString nfkcInPieces(const QString &text)
{
    constexpr qsizetype kPiece = 1024;
    if (text.size() <= kPiece)
        return text.normalized(QString::NormalizationForm_KC);
    QString out;
    out.reserve(text.size());
    for (qsizetype start = 0; start < text.size();) {
        qsizetype end = std::min(text.size(), start + kPiece);
        const qsizetype limit = std::min(text.size(), end + kPiece);
        while (end < limit) {
            const QChar c = text.at(end);
            const char32_t cp = c.isHighSurrogate() && end + 1 < text.size() ? QChar::surrogateToUcs4(c, text.at(end + 1)) : c.unicode();
            if (!c.isLowSurrogate() && QChar::combiningClass(cp) == 0)
                break;
            ++end;
        }
        if (end < text.size() && text.at(end).isLowSurrogate())
            ++end; // never split a surrogate pair
        out += QStringView(text).mid(start, end - start).toString().normalized(QString::NormalizationForm_KC);
        start = end;
    }
    return out;
}

} // namespace

QString normaliseText(const QString &text)
{
    const QList<uint> folded = nfkcInPieces(text).toCaseFolded().toUcs4();
    std::u32string out;
    out.reserve(size_t(folded.size()));
    bool pendingSpace = false;
    for (uint c : folded) {
        if (QChar::isSpace(c)) {
            pendingSpace = !out.empty();
            continue;
        }
        if (pendingSpace) {
            out.push_back(U' ');
            pendingSpace = false;
        }
        out.push_back(QChar::category(c) == QChar::Number_DecimalDigit ? U'0' : char32_t(c));
    }
    return QString::fromUcs4(out.data(), qsizetype(out.size()));
}

QStringList wordTokens(const QString &normalised)
{
    QStringList words;
    const QList<uint> cps = normalised.toUcs4();
    qsizetype start = -1;
    for (qsizetype i = 0; i <= cps.size(); ++i) {
        const bool word = i < cps.size() && isWordCharacter(cps[i]);
        if (word && start < 0)
            start = i;
        else if (!word && start >= 0) {
            words << QString::fromUcs4(reinterpret_cast<const char32_t *>(cps.constData() + start), i - start);
            start = -1;
        }
    }
    return words;
}

CharacterProfile characterProfile(const QString &text)
{
    CharacterProfile p;
    const QList<uint> cps = text.toUcs4();
    bool latin = false, lookAlike = false;
    qsizetype wordStart = -1;
    const auto endWord = [&](qsizetype end) {
        if (wordStart >= 0 && latin && lookAlike && p.mixedScriptWords.size() < 20) {
            const QString w = QString::fromUcs4(reinterpret_cast<const char32_t *>(cps.constData() + wordStart), end - wordStart);
            if (!p.mixedScriptWords.contains(w))
                p.mixedScriptWords << w;
        }
        wordStart = -1;
        latin = lookAlike = false;
    };
    for (qsizetype i = 0; i < cps.size(); ++i) {
        const char32_t c = cps[i];
        ++p.characters;
        if (QChar::isLetter(c)) {
            ++p.letters;
            const QChar::Script s = QChar::script(c);
            latin = latin || s == QChar::Script_Latin;
            lookAlike = lookAlike || s == QChar::Script_Cyrillic || s == QChar::Script_Greek;
        }
        if (isInvisibleCharacter(c)) {
            ++p.invisible;
            const QString name = invisibleCharacterName(c);
            if (!p.invisibleNames.contains(name))
                p.invisibleNames << name;
        }
        if (isWordCharacter(c)) {
            if (wordStart < 0)
                wordStart = i;
        } else {
            endWord(i);
        }
    }
    endWord(cps.size());
    return p;
}

} // namespace custody
