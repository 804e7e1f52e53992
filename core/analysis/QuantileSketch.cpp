#include "analysis/QuantileSketch.h"

#include <algorithm>
#include <cmath>

namespace custody {

int QuantileSketch::capacity(int level) const
{
    const int depth = int(m_levels.size()) - 1 - level; // 0 for the top level
    return std::max(2, int(std::ceil(m_k * std::pow(2.0 / 3.0, depth))));
}

size_t QuantileSketch::retained() const
{
    size_t n = 0;
    for (const auto &l : m_levels)
        n += l.size();
    return n;
}

void QuantileSketch::add(float value)
{
    if (m_levels.empty())
        m_levels.emplace_back();
    m_levels[0].push_back(value);
    ++m_n;
    if (int(m_levels[0].size()) >= capacity(0))
        compress();
}

void QuantileSketch::compress()
{
    // Compact the lowest full level, again until every level fits its capacity.
    for (bool again = true; again;) {
        again = false;
        for (int h = 0; h < int(m_levels.size()); ++h) {
            if (int(m_levels[size_t(h)].size()) < capacity(h))
                continue;
            if (h + 1 == int(m_levels.size()))
                m_levels.emplace_back(); // capacities below shift: the new top is the largest
            std::vector<float> &level = m_levels[size_t(h)];
            std::sort(level.begin(), level.end());
            // An odd item stays behind, so weights are conserved exactly.
            float kept = 0;
            const bool odd = level.size() % 2 == 1;
            if (odd) {
                kept = level.back();
                level.pop_back();
            }
            const size_t offset = size_t(m_rng.next() & 1);
            std::vector<float> &up = m_levels[size_t(h) + 1];
            for (size_t i = offset; i < level.size(); i += 2)
                up.push_back(level[i]);
            level.clear();
            if (odd)
                level.push_back(kept);
            again = true;
            break;
        }
    }
}

void QuantileSketch::merge(const QuantileSketch &other)
{
    if (other.m_levels.size() > m_levels.size())
        m_levels.resize(other.m_levels.size());
    for (size_t h = 0; h < other.m_levels.size(); ++h)
        m_levels[h].insert(m_levels[h].end(), other.m_levels[h].begin(), other.m_levels[h].end());
    m_n += other.m_n;
    compress();
}

std::vector<std::pair<float, int64_t>> QuantileSketch::weightedItems() const
{
    std::vector<std::pair<float, int64_t>> items;
    for (size_t h = 0; h < m_levels.size(); ++h)
        for (float v : m_levels[h])
            items.push_back({v, int64_t(1) << h});
    std::sort(items.begin(), items.end());
    return items;
}

double QuantileSketch::rank(double value) const
{
    double r = 0;
    for (size_t h = 0; h < m_levels.size(); ++h) {
        int64_t below = 0;
        for (float v : m_levels[h])
            below += double(v) <= value ? 1 : 0;
        r += double(below) * double(int64_t(1) << h);
    }
    return r;
}

double QuantileSketch::quantile(double q) const
{
    const auto items = weightedItems();
    if (items.empty())
        return NAN;
    const double target = std::clamp(q, 0.0, 1.0) * double(m_n);
    double cumulative = 0;
    for (const auto &[v, w] : items) {
        cumulative += double(w);
        if (cumulative >= target)
            return v;
    }
    return items.back().first;
}

} // namespace custody
