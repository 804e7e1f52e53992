#include "hashing/RecordDigest.h"

namespace custody {

namespace {
template<size_t N>
void prefix(Sha256 &h, const char (&tag)[N])
{
    h.update(tag, N); // includes the terminating NUL as the separator
}
} // namespace

Digest RecordDigest::content(std::string_view canonicalContent)
{
    prefix(m_hash, "custody.content.v1");
    m_hash.update(canonicalContent);
    return m_hash.finish();
}

Digest RecordDigest::label(std::optional<std::string_view> label)
{
    prefix(m_hash, "custody.label.v1");
    const uint8_t present = label ? 1 : 0;
    m_hash.update(&present, 1);
    if (label)
        m_hash.update(*label);
    return m_hash.finish();
}

Digest RecordDigest::embedding(std::string_view float32Bytes)
{
    m_hash.update(float32Bytes);
    return m_hash.finish();
}

Digest RecordDigest::record(std::string_view id, const Digest &content, const Digest &label, const Digest *embedding)
{
    prefix(m_hash, "custody.record.v1");
    const uint32_t n = uint32_t(id.size());
    const uint8_t len[4] = {uint8_t(n), uint8_t(n >> 8), uint8_t(n >> 16), uint8_t(n >> 24)};
    m_hash.update(len, 4);
    m_hash.update(id);
    m_hash.update(content);
    m_hash.update(label);
    const uint8_t hasEmbedding = embedding ? 1 : 0;
    m_hash.update(&hasEmbedding, 1);
    if (embedding)
        m_hash.update(*embedding);
    return m_hash.finish();
}

Digest RecordDigest::version(const Digest &merkleRoot, const Digest &manifestHash)
{
    prefix(m_hash, "custody.version.v1");
    m_hash.update(merkleRoot);
    m_hash.update(manifestHash);
    return m_hash.finish();
}

Digest RecordDigest::manifest(std::string_view manifestBytes)
{
    m_hash.update(manifestBytes);
    return m_hash.finish();
}

} // namespace custody
