#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace custody {

// Sorting for the drift statistics, which sort every column of both samples: an LSD radix sort on the
// order-preserving bit pattern of float32 (three passes of 11 bits), about ten times faster than std::sort on
// a million values. NaN must have been removed first; -0.0 sorts before +0.0 (they compare equal, so the
// result is still sorted for operator<).
void sortFloats(std::vector<float> *values);

// Sorted values from a counting sort of bytes (pixels): counts[v] copies of float(v) for v = 0..255.
void floatsFromByteCounts(const uint64_t counts[256], std::vector<float> *sorted);

} // namespace custody
