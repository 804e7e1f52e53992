#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace custody {

// The canonical encoding of a record's content (its features, never its id or label). The bytes built here
// are what is stored and what is hashed, so verification re-hashes exactly what was kept. The layout is
// specified in docs/canonical-encoding.md; changing it changes every digest.
enum class ValueTag : uint8_t { Null = 0, Number = 1, String = 2, Image = 3 };

class ContentEncoder
{
public:
    void clear() { m_bytes.clear(); }
    void addNull();
    void addNumber(double value); // value must be finite; -0.0 is encoded as +0.0
    void addString(std::string_view utf8);
    // Row-major pixels, `channels` bytes per pixel (1 = grey, 3 = RGB, 4 = RGBA).
    void addImage(uint32_t width, uint32_t height, uint8_t channels, const uint8_t *pixels);
    const std::string &bytes() const { return m_bytes; }
    std::string &bytes() { return m_bytes; }

private:
    std::string m_bytes;
};

struct DecodedValue
{
    ValueTag tag = ValueTag::Null;
    double number = 0;
    std::string_view text;       // String
    uint32_t width = 0, height = 0;
    uint8_t channels = 0;
    const uint8_t *pixels = nullptr; // Image: width*height*channels bytes inside the decoded buffer
};

// Walks an encoded buffer value by value without copying. next() returns false at the end or when the
// buffer is malformed (then malformed() is true).
class ContentDecoder
{
public:
    explicit ContentDecoder(std::string_view bytes) : m_bytes(bytes) { }
    bool next(DecodedValue *value);
    bool malformed() const { return m_malformed; }
    bool atEnd() const { return m_pos == m_bytes.size(); }

private:
    std::string_view m_bytes;
    size_t m_pos = 0;
    bool m_malformed = false;
};

} // namespace custody
