#pragma once

#include "hashing/Sha256.h"

#include <optional>
#include <string_view>

namespace custody {

// The hashes that make a dataset version tamper-evident (specified in docs/canonical-encoding.md).
// Each uses its own domain-separation prefix so that no hash of one kind can be passed off as another.
class RecordDigest
{
public:
    // SHA-256("custody.content.v1\0" || canonical content bytes)
    Digest content(std::string_view canonicalContent);
    // SHA-256("custody.label.v1\0" || 0x00) without a label, SHA-256("custody.label.v1\0" || 0x01 || utf8)
    Digest label(std::optional<std::string_view> label);
    // SHA-256 of the float32 little-endian embedding bytes
    Digest embedding(std::string_view float32Bytes);
    // SHA-256("custody.record.v1\0" || u32le len(id) || id || content || label || 0x00 | 0x01 embedding)
    // This is the leaf data of the version's Merkle tree.
    Digest record(std::string_view id, const Digest &content, const Digest &label, const Digest *embedding);
    // SHA-256("custody.version.v1\0" || merkle root || SHA-256(manifest bytes))
    Digest version(const Digest &merkleRoot, const Digest &manifestHash);
    Digest manifest(std::string_view manifestBytes);

private:
    Sha256 m_hash;
};

} // namespace custody
