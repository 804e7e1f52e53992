#include "formats/TextValues.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace custody {

NumberText parseNumberSlow(std::string_view text, double *value)
{
    while (!text.empty() && text.front() == ' ')
        text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ')
        text.remove_suffix(1);
    if (!text.empty() && text.front() == '+')
        text.remove_prefix(1);
    if (text.empty())
        return NumberText::NotNumber;
    const char *end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, *value);
    if (ptr != end)
        return NumberText::NotNumber;
    if (ec == std::errc::result_out_of_range) {
        // Underflow (a negative exponent, or a plain "0.000...1") rounds to zero harmlessly; overflow
        // would be infinite, so it is refused like inf.
        const size_t e = text.find_first_of("eE");
        const bool underflow = e != std::string_view::npos
            ? e + 1 < text.size() && text[e + 1] == '-'
            : text.find_first_not_of("-0.") != std::string_view::npos && text.find_first_of("123456789") > text.find('.');
        if (underflow) {
            *value = 0;
            return NumberText::Finite;
        }
        return NumberText::NonFinite;
    }
    if (ec != std::errc())
        return NumberText::NotNumber;
    if (!std::isfinite(*value))
        return NumberText::NonFinite;
    return isIntegerBeyondDouble(text) ? NumberText::InexactInteger : NumberText::Finite;
}

bool isIntegerBeyondDouble(std::string_view text)
{
    while (!text.empty() && text.front() == ' ')
        text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ')
        text.remove_suffix(1);
    if (!text.empty() && (text.front() == '+' || text.front() == '-'))
        text.remove_prefix(1);
    while (text.size() > 1 && text.front() == '0')
        text.remove_prefix(1);
    if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos)
        return false;
    // 2^53 has 16 digits: fewer cannot exceed it, more always do.
    constexpr std::string_view limit = "9007199254740992";
    if (text.size() != limit.size())
        return text.size() > limit.size();
    return text > limit;
}

QString inexactIntegerText(std::string_view text)
{
    return QStringLiteral("an integer beyond 2^53 (%1), which a number column cannot hold exactly")
        .arg(QString::fromUtf8(text.data(), qsizetype(std::min<size_t>(text.size(), 40))));
}

std::string formatNumber(double value)
{
    if (value == 0)
        value = 0; // no "-0" labels
    char buf[32];
    const auto result = std::to_chars(buf, buf + sizeof buf, value);
    return std::string(buf, result.ptr);
}

QString columnListText(const QStringList &names, qint64 total)
{
    constexpr int kShown = 20;
    if (total < 0)
        total = names.size();
    if (total <= kShown)
        return names.join(QStringLiteral(", "));
    return names.mid(0, kShown).join(QStringLiteral(", ")) + QStringLiteral(", ... (%1 columns)").arg(total);
}

void ColumnSample::add(std::string_view value, bool numeric)
{
    if (value.empty())
        return;
    ++m_nonEmpty;
    m_allNumeric = m_allNumeric && numeric;
    // The limit never exceeds max(20, 5% of kInferenceRows), so stop counting past it.
    if (m_distinct.size() <= size_t(std::max(20, kInferenceRows / 20)))
        m_distinct.emplace(value);
}

ColumnKind ColumnSample::kind(qint64 sampledRows) const
{
    // A column that was empty in every sampled row says nothing about numbers; Text accepts anything later.
    if (m_nonEmpty == 0)
        return ColumnKind::Text;
    if (m_allNumeric)
        return ColumnKind::Number;
    if (!m_text && qint64(m_distinct.size()) <= std::max<qint64>(20, sampledRows / 20))
        return ColumnKind::Category;
    return ColumnKind::Text;
}

} // namespace custody
