#pragma once

#include "sampling/SplitMix64.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace custody {

// A mergeable quantile sketch: the KLL sketch of Karnin, Lang and Liberty (2016), "Optimal quantile
// approximation in streams". Items pass through compactors whose capacities shrink geometrically (factor 2/3)
// from the top level down; a full compactor sorts itself and promotes every other item (random offset) to
// the next level, where each item weighs twice as much. Two sketches merge level by level, so shards can be
// sketched apart and combined in any order.
//
// Error: with k = 200 the estimated rank of any value is within about 1.7% of n with 99% probability
// (kRankError, the figure published for this k; TestDriftSketch checks 2% on merged shards). Space is about
// 3k floats whatever n. Randomness comes from a seeded SplitMix64: the same inputs in the same order give
// the same sketch.
class QuantileSketch
{
public:
    static constexpr int kDefaultK = 200;
    static constexpr double kRankError = 0.017; // normalised, 99% confidence, k = 200

    explicit QuantileSketch(int k = kDefaultK, uint64_t seed = 0x6b6c6c) : m_k(k), m_rng(seed) { }

    void add(float value); // NaN must be filtered by the caller
    void merge(const QuantileSketch &other);

    int64_t count() const { return m_n; }
    bool isEmpty() const { return m_n == 0; }
    // Estimated number of items <= value.
    double rank(double value) const;
    // Estimated value at normalised rank q in [0, 1] (the smallest retained item whose cumulative weight
    // reaches q n).
    double quantile(double q) const;
    // The retained items with their weights, sorted by value: a weighted sample that stands for the data.
    std::vector<std::pair<float, int64_t>> weightedItems() const;
    size_t retained() const;

private:
    int capacity(int level) const;
    void compress();

    int m_k;
    SplitMix64 m_rng;
    int64_t m_n = 0;
    std::vector<std::vector<float>> m_levels;
};

} // namespace custody
