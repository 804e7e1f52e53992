#include "analysis/FloatSort.h"

#include <algorithm>
#include <cstring>

namespace custody {

namespace {

// Flip so that unsigned order equals float order: negatives reverse, positives gain the top bit.
inline uint32_t keyOf(float f)
{
    uint32_t u;
    std::memcpy(&u, &f, sizeof u);
    return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
}

inline float floatOf(uint32_t k)
{
    const uint32_t u = (k & 0x80000000u) ? (k & 0x7FFFFFFFu) : ~k;
    float f;
    std::memcpy(&f, &u, sizeof f);
    return f;
}

constexpr int kBits = 11;
constexpr uint32_t kBuckets = 1u << kBits;
constexpr uint32_t kMask = kBuckets - 1;

} // namespace

void sortFloats(std::vector<float> *values)
{
    const size_t n = values->size();
    if (n < 512) { // below this the histograms cost more than they save
        std::sort(values->begin(), values->end());
        return;
    }
    std::vector<uint32_t> a(n), b(n);
    std::vector<uint32_t> counts(3 * kBuckets, 0);
    uint32_t *c0 = counts.data(), *c1 = c0 + kBuckets, *c2 = c1 + kBuckets;
    const float *src = values->data();
    for (size_t i = 0; i < n; ++i) {
        const uint32_t k = keyOf(src[i]);
        a[i] = k;
        ++c0[k & kMask];
        ++c1[(k >> kBits) & kMask];
        ++c2[k >> (2 * kBits)];
    }
    uint32_t *from = a.data(), *to = b.data();
    for (int pass = 0; pass < 3; ++pass) {
        uint32_t *c = counts.data() + pass * kBuckets;
        const int shift = pass * kBits;
        // A pass where every key has the same digit moves nothing (pixels, small integers, narrow ranges).
        if (c[(from[0] >> shift) & kMask] == n)
            continue;
        uint32_t sum = 0;
        for (uint32_t d = 0; d < kBuckets; ++d) {
            const uint32_t t = c[d];
            c[d] = sum;
            sum += t;
        }
        for (size_t i = 0; i < n; ++i) {
            const uint32_t k = from[i];
            to[c[(k >> shift) & kMask]++] = k;
        }
        std::swap(from, to);
    }
    float *dst = values->data();
    for (size_t i = 0; i < n; ++i)
        dst[i] = floatOf(from[i]);
}

void floatsFromByteCounts(const uint64_t counts[256], std::vector<float> *sorted)
{
    size_t total = 0;
    for (int v = 0; v < 256; ++v)
        total += counts[v];
    sorted->resize(total);
    float *out = sorted->data();
    for (int v = 0; v < 256; ++v)
        out = std::fill_n(out, counts[v], float(v));
}

} // namespace custody
