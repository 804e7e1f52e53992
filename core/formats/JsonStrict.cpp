#include "formats/JsonStrict.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <optional>
#include <vector>

namespace custody {

namespace {

std::optional<uint32_t> hex4(std::string_view s, size_t at)
{
    if (at + 4 > s.size())
        return std::nullopt;
    uint32_t v = 0;
    for (size_t k = at; k < at + 4; ++k) {
        const char c = s[k];
        const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return std::nullopt;
        v = v * 16 + uint32_t(d);
    }
    return v;
}

struct Frame
{
    bool object;
    bool expectKey;
    QSet<QString> keys;
};

} // namespace

QString strictJsonProblem(std::string_view s)
{
    std::vector<Frame> stack;
    for (size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '"') {
            size_t j = i + 1;
            bool escaped = false;
            while (j < s.size() && s[j] != '"') {
                const auto u = static_cast<unsigned char>(s[j]);
                if (u < 0x20)
                    return QStringLiteral("a raw control character (U+%1) inside a string at column %2; write it as an escape")
                        .arg(uint(u), 4, 16, QLatin1Char('0')).arg(j + 1);
                if (s[j] != '\\') {
                    ++j;
                    continue;
                }
                escaped = true;
                if (j + 1 < s.size() && s[j + 1] == 'u') {
                    const auto unit = hex4(s, j + 2);
                    if (unit && *unit >= 0xd800 && *unit <= 0xdbff) {
                        const auto low = j + 7 < s.size() && s[j + 6] == '\\' && s[j + 7] == 'u' ? hex4(s, j + 8) : std::nullopt;
                        if (!low || *low < 0xdc00 || *low > 0xdfff)
                            return QStringLiteral("a lone surrogate \\u%1 at column %2 (not a character)").arg(*unit, 4, 16, QLatin1Char('0')).arg(j + 1);
                        j += 12;
                        continue;
                    }
                    if (unit && *unit >= 0xdc00 && *unit <= 0xdfff)
                        return QStringLiteral("a lone surrogate \\u%1 at column %2 (not a character)").arg(*unit, 4, 16, QLatin1Char('0')).arg(j + 1);
                    j += 6;
                    continue;
                }
                j += 2;
            }
            if (!stack.empty() && stack.back().object && stack.back().expectKey) {
                const std::string_view raw = s.substr(i, std::min(j + 1, s.size()) - i);
                const QString key = escaped ? QJsonDocument::fromJson("[" + QByteArray(raw.data(), qsizetype(raw.size())) + "]").array().at(0).toString()
                                            : QString::fromUtf8(raw.data() + 1, qsizetype(raw.size()) - 2);
                if (stack.back().keys.contains(key))
                    return QStringLiteral("the key \"%1\" appears twice in one object (column %2)").arg(key).arg(i + 1);
                stack.back().keys.insert(key);
                stack.back().expectKey = false;
            }
            i = j;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            // A number: Qt keeps an integer exactly only within 64 bits; beyond, it becomes a double and its
            // digits are lost (18446744073709551615 and ...614 would read alike), so such a literal is refused.
            size_t j = i + (c == '-' ? 1 : 0);
            const size_t digitsStart = j;
            while (j < s.size() && s[j] >= '0' && s[j] <= '9')
                ++j;
            const std::string_view digits = s.substr(digitsStart, j - digitsStart);
            const bool integer = j >= s.size() || (s[j] != '.' && s[j] != 'e' && s[j] != 'E');
            const std::string_view limit = c == '-' ? "9223372036854775808" : "9223372036854775807";
            if (integer && (digits.size() > limit.size() || (digits.size() == limit.size() && digits > limit)))
                return QStringLiteral("the integer %1 at column %2 is beyond 64 bits, so its digits cannot be kept; write it as a "
                                      "string").arg(QString::fromLatin1(s.substr(i, std::min<size_t>(j - i, 40)))).arg(i + 1);
            while (j < s.size() && (s[j] == '.' || s[j] == 'e' || s[j] == 'E' || s[j] == '+' || s[j] == '-' || (s[j] >= '0' && s[j] <= '9')))
                ++j;
            i = j - 1;
        } else if (c == '{' || c == '[') {
            stack.push_back(Frame{c == '{', c == '{', {}});
        } else if ((c == '}' || c == ']') && !stack.empty()) {
            stack.pop_back();
        } else if (c == ',' && !stack.empty() && stack.back().object) {
            stack.back().expectKey = true;
        }
    }
    return QString();
}

} // namespace custody
