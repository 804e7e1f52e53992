#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

namespace custody {

// Steele, Lea and Flood's SplitMix64 (2014): a tiny, fast, seedable generator. The drift fixtures and the
// benchmark regenerate their large samples from a seed with it, in C++ and in NumPy alike, so the generator
// must stay exactly this (any change breaks tests/data/drift and bench/bench_drift_scipy.py).
class SplitMix64
{
public:
    explicit SplitMix64(uint64_t seed) : m_state(seed) { }

    uint64_t next()
    {
        uint64_t z = (m_state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    // Uniform on [0, 1) with 24 random bits, so that every value is exact in float32 (and float64).
    float uniform24() { return float(next() >> 40) * (1.0f / 16777216.0f); }
    // Uniform integer below n (n > 0); the small modulo bias does not matter for sampling and shuffling.
    uint64_t below(uint64_t n) { return next() % n; }

private:
    uint64_t m_state;
};

// The drift fixtures' and benchmark's sample generator (tests/data/drift/make_fixtures.py replays it in
// NumPy): four 24-bit uniforms summed in float32 (a bell on [0, 4)), then loc + scale * (x - 2), floored when
// `round`. `scale` must be a power of two: the product is then exact, so a fused multiply-add cannot change
// the result on either side.
inline std::vector<float> bellSample(uint64_t seed, int64_t n, float loc, float scale, bool round)
{
    SplitMix64 rng(seed);
    std::vector<float> out(size_t(n > 0 ? n : 0));
    for (float &v : out) {
        const float u0 = rng.uniform24(), u1 = rng.uniform24(), u2 = rng.uniform24(), u3 = rng.uniform24();
        const float x = ((u0 + u1) + u2) + u3;
        v = loc + scale * (x - 2.0f);
        if (round)
            v = std::floor(v);
    }
    return out;
}

} // namespace custody
