#include "TerminalText.h"

namespace custody::cli {

namespace {

bool needsEscape(char16_t c)
{
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) // C0, DEL, C1
        || c == 0x2028 || c == 0x2029 // line and paragraph separators
        // Invisible format characters: bidi embeddings, overrides and isolates, zero-width spaces and joiners,
        // marks, the byte-order mark, soft hyphen. "v1" followed by U+200B prints as "v1" otherwise.
        || (c >= 0x80 && QChar::category(char32_t(c)) == QChar::Other_Format);
}

void appendEscape(QString *out, char16_t c)
{
    switch (c) {
    case u'\n': out->append(QLatin1String("\\n")); return;
    case u'\r': out->append(QLatin1String("\\r")); return;
    case u'\t': out->append(QLatin1String("\\t")); return;
    default: break;
    }
    if (c < 0x80)
        out->append(QStringLiteral("\\x%1").arg(uint(c), 2, 16, QLatin1Char('0')));
    else
        out->append(QStringLiteral("\\u%1").arg(uint(c), 4, 16, QLatin1Char('0')));
}

} // namespace

QString printable(const QString &text)
{
    qsizetype first = 0;
    while (first < text.size() && !needsEscape(text[first].unicode()) && !text[first].isSurrogate())
        ++first;
    if (first == text.size())
        return text;
    QString out = text.left(first);
    out.reserve(text.size() + 16);
    for (qsizetype i = first; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        if (QChar::isHighSurrogate(c) && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            // Outside the BMP: the tag characters (U+E0000..E007F) are invisible format characters too.
            const char32_t code = QChar::surrogateToUcs4(c, text[i + 1].unicode());
            if (QChar::category(code) == QChar::Other_Format)
                out.append(QStringLiteral("\\U%1").arg(uint(code), 8, 16, QLatin1Char('0')));
            else
                out.append(text.mid(i, 2));
            ++i;
        } else if (needsEscape(c) || QChar::isSurrogate(c)) { // a lone surrogate is not text
            appendEscape(&out, c);
        } else {
            out.append(QChar(c));
        }
    }
    return out;
}

QString cell(const QString &text, int width)
{
    return QStringLiteral("%1").arg(text, width);
}

} // namespace custody::cli
