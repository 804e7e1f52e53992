#pragma once

#include <QString>

#include <string_view>

namespace custody {

// What RFC 8259 forbids, or leaves undefined, that Qt's JSON parser lets through: a raw control character
// inside a string, a lone UTF-16 surrogate escape (Qt stores "\ud800" as '?'), and a key repeated in one
// object (Qt keeps the last). Run on a line Qt has already parsed; returns a sentence naming the first such
// thing and its column, or "" when there is none.
QString strictJsonProblem(std::string_view json);

} // namespace custody
