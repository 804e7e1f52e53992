#pragma once

#include "formats/Schema.h"

#include <QString>
#include <QStringList>

#include <charconv>
#include <string>
#include <string_view>
#include <unordered_set>

namespace custody {

// How many leading records the text readers buffer to infer column kinds.
constexpr int kInferenceRows = 1000;

enum class NumberText { NotNumber, Finite, NonFinite, InexactInteger };

// Numbers are stored as doubles, which hold every integer up to 2^53 and no longer tell larger ones apart
// (9007199254740993 would read back as ...992): such integers are refused as numbers, never rounded.
constexpr double kLargestExactInteger = 9007199254740992.0; // 2^53
// Whether `text` (digits with an optional sign, as parseNumber accepts it) is an integer beyond 2^53.
bool isIntegerBeyondDouble(std::string_view text);
// The message for one: "an integer beyond 2^53 (...), which a number column cannot hold exactly".
QString inexactIntegerText(std::string_view text);

// Reads a whole cell as a double with std::from_chars. Surrounding spaces and a leading '+' are allowed.
// nan/inf tokens (any case) and out-of-range values come back as NonFinite: they look numeric, so they
// must be refused rather than silently demoting the column to text. An integer written out in digits beyond
// 2^53 comes back as InexactInteger: a column of them (64-bit ids, hashes) is kept as text.
NumberText parseNumberSlow(std::string_view text, double *value);
inline NumberText parseNumber(std::string_view text, double *value)
{
    // Fast path for the common plain number; everything else (spaces, '+', nan, overflow) goes the long way.
    const char *end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, *value);
    if (ptr == end && ec == std::errc() && !text.empty() && text.back() >= '0' && text.back() <= '9'
        && (*value < kLargestExactInteger && *value > -kLargestExactInteger))
        return NumberText::Finite;
    return parseNumberSlow(text, value);
}

// Shortest text that reads back as the same double (std::to_chars); integers carry no ".0".
std::string formatNumber(double value);

// "a, b, c" for error messages, abbreviated for wide sources so a message stays one readable line.
// `total` is the real number of columns when `names` holds only the first ones.
QString columnListText(const QStringList &names, qint64 total = -1);

// Collects what the first rows of a text column look like and picks its kind: Number when every
// non-empty value is numeric, else Category when it has few distinct values, else Text.
class ColumnSample
{
public:
    void add(std::string_view value, bool numeric);
    void addNonString() { m_allNumeric = false; m_text = true; } // JSON arrays and objects
    ColumnKind kind(qint64 sampledRows) const;

private:
    bool m_allNumeric = true;
    bool m_text = false;
    qint64 m_nonEmpty = 0;
    std::unordered_set<std::string> m_distinct;
};

} // namespace custody
