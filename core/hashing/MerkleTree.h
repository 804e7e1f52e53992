#pragma once

#include "hashing/Sha256.h"

#include <vector>

namespace custody {

// RFC 6962 section 2.1 Merkle Tree Hash: leaf = SHA-256(0x00 || data), node = SHA-256(0x01 || left || right),
// the empty tree hashes to SHA-256 of nothing. Leaves are appended one at a time and only O(log n) subtree
// roots are kept, so a version of a million records is committed to without holding its leaves.
class MerkleTreeBuilder
{
public:
    void addLeaf(const void *data, size_t size);
    void addLeaf(const Digest &leafData) { addLeaf(leafData.data(), leafData.size()); }
    quint64 size() const { return m_size; }
    Digest root() const;

    static Digest leafHash(const void *data, size_t size);
    static Digest nodeHash(const Digest &left, const Digest &right);

private:
    struct Subtree
    {
        Digest hash;
        quint64 leaves;
    };
    std::vector<Subtree> m_stack; // strictly decreasing power-of-two sizes
    quint64 m_size = 0;
};

// Root and audit paths over leaf hashes already computed (RFC 6962 MTH and PATH).
Digest merkleRoot(const std::vector<Digest> &leafHashes);
std::vector<Digest> merkleAuditPath(const std::vector<Digest> &leafHashes, size_t index);
bool merkleVerifyInclusion(const Digest &leafHash, size_t index, size_t treeSize,
                           const std::vector<Digest> &path, const Digest &root);

} // namespace custody
