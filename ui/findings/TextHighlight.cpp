#include "findings/TextHighlight.h"

#include "text/TextNormaliser.h"

#include <QRegularExpression>

#include <vector>

namespace custody {

namespace {

// A normalised word as a pattern over the raw text: digits were folded to 0, so any digit matches one.
QString wordPattern(const QString &word)
{
    QString out;
    for (const QChar c : word)
        out += c == QLatin1Char('0') ? QStringLiteral("\\d") : QRegularExpression::escape(QString(c));
    return out;
}

} // namespace

QString highlightedText(const QString &text, const QStringList &phraseWords)
{
    std::vector<bool> marked(size_t(text.size()), false);
    if (!phraseWords.isEmpty()) {
        QStringList parts;
        for (const QString &w : phraseWords)
            parts << wordPattern(w);
        // Words of the phrase in order, anything that is not a letter or a digit between them.
        const QRegularExpression re(QStringLiteral("(?<![\\p{L}\\p{N}])") + parts.join(QStringLiteral("[^\\p{L}\\p{N}]+"))
                                        + QStringLiteral("(?![\\p{L}\\p{N}])"),
                                    QRegularExpression::CaseInsensitiveOption | QRegularExpression::UseUnicodePropertiesOption);
        for (auto it = re.globalMatch(text); it.hasNext();) {
            const QRegularExpressionMatch m = it.next();
            for (qsizetype i = m.capturedStart(); i < m.capturedEnd(); ++i)
                marked[size_t(i)] = true;
        }
    }
    QString html;
    bool open = false;
    for (qsizetype i = 0; i < text.size();) {
        const char32_t c = text.at(i).isHighSurrogate() && i + 1 < text.size() ? QChar::surrogateToUcs4(text.at(i), text.at(i + 1))
                                                                             : char32_t(text.at(i).unicode());
        const qsizetype width = c > 0xffff ? 2 : 1;
        if (marked[size_t(i)] != open) {
            html += open ? QStringLiteral("</span>") : QStringLiteral("<span style=\"background-color:#ffd54f\">");
            open = !open;
        }
        if (isInvisibleCharacter(c))
            html += QStringLiteral("<span style=\"background-color:#ef9a9a\">[%1]</span>").arg(invisibleCharacterName(c).toHtmlEscaped());
        else if (c == U'\n')
            html += QStringLiteral("<br>");
        else
            html += text.mid(i, width).toHtmlEscaped();
        i += width;
    }
    if (open)
        html += QStringLiteral("</span>");
    return html;
}

} // namespace custody
