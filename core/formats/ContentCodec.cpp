#include "formats/ContentCodec.h"

#include <bit>
#include <cstring>

namespace custody {

namespace {
void putU32(std::string &out, uint32_t v)
{
    const char b[4] = {char(v & 0xff), char((v >> 8) & 0xff), char((v >> 16) & 0xff), char((v >> 24) & 0xff)};
    out.append(b, 4);
}
uint32_t getU32(const char *p)
{
    const auto *u = reinterpret_cast<const unsigned char *>(p);
    return uint32_t(u[0]) | uint32_t(u[1]) << 8 | uint32_t(u[2]) << 16 | uint32_t(u[3]) << 24;
}
} // namespace

void ContentEncoder::addNull()
{
    m_bytes.push_back(char(ValueTag::Null));
}

void ContentEncoder::addNumber(double value)
{
    if (value == 0)
        value = 0; // folds -0.0 into +0.0
    uint64_t bits = std::bit_cast<uint64_t>(value);
    if constexpr (std::endian::native == std::endian::big)
        bits = __builtin_bswap64(bits); // the encoding is little-endian everywhere
    // Hot path of numeric ingest: one resize and two stores instead of nine appends.
    const size_t at = m_bytes.size();
    m_bytes.resize(at + 9);
    m_bytes[at] = char(ValueTag::Number);
    std::memcpy(m_bytes.data() + at + 1, &bits, 8);
}

void ContentEncoder::addString(std::string_view utf8)
{
    m_bytes.push_back(char(ValueTag::String));
    putU32(m_bytes, uint32_t(utf8.size()));
    m_bytes.append(utf8);
}

void ContentEncoder::addImage(uint32_t width, uint32_t height, uint8_t channels, const uint8_t *pixels)
{
    m_bytes.push_back(char(ValueTag::Image));
    putU32(m_bytes, width);
    putU32(m_bytes, height);
    m_bytes.push_back(char(channels));
    m_bytes.append(reinterpret_cast<const char *>(pixels), size_t(width) * height * channels);
}

bool ContentDecoder::next(DecodedValue *value)
{
    if (m_pos >= m_bytes.size())
        return false;
    const char *p = m_bytes.data() + m_pos;
    const size_t left = m_bytes.size() - m_pos;
    *value = DecodedValue();
    value->tag = ValueTag(uint8_t(p[0]));
    switch (value->tag) {
    case ValueTag::Null:
        m_pos += 1;
        return true;
    case ValueTag::Number: {
        if (left < 9)
            break;
        uint64_t bits = 0;
        for (int i = 0; i < 8; ++i)
            bits |= uint64_t(uint8_t(p[1 + i])) << (8 * i);
        value->number = std::bit_cast<double>(bits);
        m_pos += 9;
        return true;
    }
    case ValueTag::String: {
        if (left < 5)
            break;
        const uint32_t n = getU32(p + 1);
        if (left - 5 < n)
            break;
        value->text = std::string_view(p + 5, n);
        m_pos += 5 + n;
        return true;
    }
    case ValueTag::Image: {
        if (left < 10)
            break;
        value->width = getU32(p + 1);
        value->height = getU32(p + 5);
        value->channels = uint8_t(p[9]);
        // Only grey, RGB and RGBA are ever encoded: any other channel count (0 made a 65536x768 image of no bytes
        // that contentImage() then copied from) is malformed. width * height * channels can reach 2^72: a
        // product that wraps must not pass for a small image either.
        uint64_t n = 0;
        if ((value->channels != 1 && value->channels != 3 && value->channels != 4)
            || __builtin_mul_overflow(uint64_t(value->width) * value->height, uint64_t(value->channels), &n) || left - 10 < n)
            break;
        value->pixels = reinterpret_cast<const uint8_t *>(p + 10);
        m_pos += 10 + size_t(n);
        return true;
    }
    }
    m_malformed = true;
    m_pos = m_bytes.size();
    return false;
}

} // namespace custody
