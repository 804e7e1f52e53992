#include "hashing/MerkleTree.h"

namespace custody {

namespace {
// Largest power of two strictly less than n (n > 1).
size_t splitPoint(size_t n)
{
    size_t k = 1;
    while (k << 1 < n)
        k <<= 1;
    return k;
}

Digest rootOf(const Digest *leaves, size_t n)
{
    if (n == 1)
        return leaves[0];
    const size_t k = splitPoint(n);
    return MerkleTreeBuilder::nodeHash(rootOf(leaves, k), rootOf(leaves + k, n - k));
}

void pathOf(const Digest *leaves, size_t n, size_t m, std::vector<Digest> *out)
{
    if (n <= 1)
        return;
    const size_t k = splitPoint(n);
    if (m < k) {
        pathOf(leaves, k, m, out);
        out->push_back(rootOf(leaves + k, n - k));
    } else {
        pathOf(leaves + k, n - k, m - k, out);
        out->push_back(rootOf(leaves, k));
    }
}
} // namespace

Digest MerkleTreeBuilder::leafHash(const void *data, size_t size)
{
    Sha256 h;
    const uint8_t prefix = 0x00;
    h.update(&prefix, 1);
    h.update(data, size);
    return h.finish();
}

Digest MerkleTreeBuilder::nodeHash(const Digest &left, const Digest &right)
{
    Sha256 h;
    const uint8_t prefix = 0x01;
    h.update(&prefix, 1);
    h.update(left);
    h.update(right);
    return h.finish();
}

void MerkleTreeBuilder::addLeaf(const void *data, size_t size)
{
    Subtree node{leafHash(data, size), 1};
    // Merging equal-sized neighbours keeps the stack the binary decomposition of m_size.
    while (!m_stack.empty() && m_stack.back().leaves == node.leaves) {
        node = Subtree{nodeHash(m_stack.back().hash, node.hash), node.leaves * 2};
        m_stack.pop_back();
    }
    m_stack.push_back(node);
    ++m_size;
}

Digest MerkleTreeBuilder::root() const
{
    if (m_stack.empty())
        return Sha256::of({});
    // RFC 6962 splits at the largest power of two, so the perfect subtrees fold from the right.
    Digest acc = m_stack.back().hash;
    for (auto it = m_stack.rbegin() + 1; it != m_stack.rend(); ++it)
        acc = nodeHash(it->hash, acc);
    return acc;
}

Digest merkleRoot(const std::vector<Digest> &leafHashes)
{
    if (leafHashes.empty())
        return Sha256::of({});
    return rootOf(leafHashes.data(), leafHashes.size());
}

std::vector<Digest> merkleAuditPath(const std::vector<Digest> &leafHashes, size_t index)
{
    std::vector<Digest> path;
    if (index < leafHashes.size())
        pathOf(leafHashes.data(), leafHashes.size(), index, &path);
    return path;
}

bool merkleVerifyInclusion(const Digest &leafHash, size_t index, size_t treeSize,
                           const std::vector<Digest> &path, const Digest &root)
{
    // RFC 9162 section 2.1.3.2.
    if (index >= treeSize)
        return false;
    size_t fn = index, sn = treeSize - 1;
    Digest r = leafHash;
    for (const Digest &p : path) {
        if (sn == 0)
            return false;
        if ((fn & 1) || fn == sn) {
            r = MerkleTreeBuilder::nodeHash(p, r);
            if (!(fn & 1)) {
                while (fn != 0 && !(fn & 1)) {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            r = MerkleTreeBuilder::nodeHash(r, p);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && r == root;
}

} // namespace custody
