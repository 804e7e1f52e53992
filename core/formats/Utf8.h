#pragma once

#include <cstddef>
#include <string_view>

namespace custody::utf8 {

// Offset of the first byte that does not belong to a well-formed UTF-8 sequence (overlong forms, surrogates
// and code points above U+10FFFF are refused), or `size` when all of it is valid. ASCII runs are checked
// eight bytes at a time because text sources are mostly ASCII and this runs over every byte we ingest.
size_t firstInvalid(const char *data, size_t size);

inline bool isValid(std::string_view text)
{
    return firstInvalid(text.data(), text.size()) == text.size();
}

// Length of a leading UTF-8 byte order mark (3), or 0.
inline size_t bomLength(std::string_view text)
{
    return text.size() >= 3 && text[0] == '\xEF' && text[1] == '\xBB' && text[2] == '\xBF' ? 3 : 0;
}

} // namespace custody::utf8
