#include "TerminalText.h"

namespace custody::cli {

namespace {

bool needsEscape(char16_t c)
{
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) // C0, DEL, C1
        || c == 0x2028 || c == 0x2029 // line and paragraph separators
        || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069); // bidi embeddings, overrides, isolates
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
    while (first < text.size() && !needsEscape(text[first].unicode()))
        ++first;
    if (first == text.size())
        return text;
    QString out = text.left(first);
    out.reserve(text.size() + 16);
    for (qsizetype i = first; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        if (needsEscape(c))
            appendEscape(&out, c);
        else
            out.append(QChar(c));
    }
    return out;
}

} // namespace custody::cli
