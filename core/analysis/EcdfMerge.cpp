#include "analysis/EcdfMerge.h"

#include <algorithm>
#include <cmath>

namespace custody {

EcdfMerge::Result EcdfMerge::walk(std::span<const float> a, std::span<const float> b)
{
    Result r;
    const size_t n1 = a.size(), n2 = b.size();
    if (n1 == 0 || n2 == 0)
        return r;
    const int64_t m1 = int64_t(n1), m2 = int64_t(n2);
    // The area is summed as sum |i n2 - j n1| * (next - v), scaled once at the end; partial sums per block
    // keep the rounding error near that of pairwise summation.
    double total = 0, block = 0;
    int blockCount = 0;
    int64_t best = 0;
    size_t i = 0, j = 0;
    // Everything below is selects and arithmetic (no data-dependent branch): reads are clamped in bounds,
    // an exhausted side reads +inf, and a width past the last value is clamped to zero.
    const float last = std::max(a[n1 - 1], b[n2 - 1]);
    while (i < n1 && j < n2) {
        const float x = a[i], y = b[j];
        const float v = std::min(x, y);
        i += x <= y;
        j += y <= x;
        const float ra = a[std::min(i, n1 - 1)], rb = b[std::min(j, n2 - 1)];
        const float nx = i < n1 ? ra : INFINITY;
        const float ny = j < n2 ? rb : INFINITY;
        const float next = std::min(nx, ny);
        const int64_t gap = int64_t(i) * m2 - int64_t(j) * m1;
        const int64_t agap = gap < 0 ? -gap : gap;
        const int64_t boundary = next > v; // every copy of v counted on both sides
        best = std::max(best, agap * boundary);
        // Between v and the next distinct value both ECDFs are flat (width 0 inside a run of ties).
        block += double(agap) * (double(std::min(next, last)) - double(v));
        if (++blockCount == 4096) {
            total += block;
            block = 0;
            blockCount = 0;
        }
    }
    // One sample is exhausted. The gap only shrinks from the next distinct value on, but the copies of the
    // last value may not all be counted yet (a tie across the samples), and the area keeps growing.
    for (; i < n1; ++i) { // b exhausted: F2 = 1
        const size_t k = i + 1;
        if (k < n1 && a[k] == a[i])
            continue;
        const int64_t gap = m1 * m2 - int64_t(k) * m2;
        best = std::max(best, gap);
        if (k < n1)
            block += double(gap) * (double(a[k]) - double(a[i]));
    }
    for (; j < n2; ++j) { // a exhausted: F1 = 1
        const size_t k = j + 1;
        if (k < n2 && b[k] == b[j])
            continue;
        const int64_t gap = m1 * m2 - int64_t(k) * m1;
        best = std::max(best, gap);
        if (k < n2)
            block += double(gap) * (double(b[k]) - double(b[j]));
    }
    total += block;
    r.maxGap = best;
    r.area = total / (double(m1) * double(m2));
    return r;
}

} // namespace custody
