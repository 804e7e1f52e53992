#pragma once

#include <atomic>
#include <cmath>
#include <cstdint>
#include <span>

namespace custody {

// Representation drift: the maximum mean discrepancy (Gretton et al. 2012) between baseline and batch
// embeddings, with a Gaussian kernel k(x, y) = exp(-|x - y|^2 / (2 sigma^2)) whose bandwidth sigma is the
// median pairwise distance of the pooled (sub)sample (the median heuristic), the unbiased estimate MMD^2_u
// (diagonal terms left out), and a permutation p-value (1 + #{permuted MMD^2_u >= observed}) / (1 + B).
//
// Each side is subsampled without replacement to at most maxPerSample rows (1000 by default) so the
// kernel matrix stays small (2000 x 2000 doubles, 32 MB) and B permutations cost B matrix-vector products.
// Everything random (subsample, permutations) comes from `seed`: the same inputs give the same result.
class MaximumMeanDiscrepancy
{
public:
    struct Options
    {
        int permutations = 200;
        int64_t maxPerSample = 1000;
        uint64_t seed = 0x6d6d64; // "mmd"
        const std::atomic_bool *cancel = nullptr; // polled between permutations; the result is then partial
    };

    struct Result
    {
        double mmd2 = NAN;
        double pValue = NAN;
        double bandwidth = NAN; // sigma
        int permutations = 0; // those run: fewer than asked when cancelled
        bool cancelled = false;
        int64_t n1 = 0, n2 = 0; // rows used after subsampling
    };

    // x holds n1 rows of `dims` floats, row-major; y holds n2 rows. Needs n1, n2 >= 2.
    static Result test(std::span<const float> x, std::span<const float> y, int dims, const Options &options);
};

} // namespace custody
