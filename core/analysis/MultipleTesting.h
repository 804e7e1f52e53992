#pragma once

#include <vector>

namespace custody {

// Benjamini-Hochberg (1995) adjusted p-values (the step-up false discovery rate procedure, as
// scipy.stats.false_discovery_control(method='bh') returns them): with the m valid p-values sorted
// ascending, adj_(i) = min over j >= i of p_(j) m / j, capped at 1. NaN entries (features without a
// p-value) are left NaN and do not count in m.
class MultipleTesting
{
public:
    static std::vector<double> benjaminiHochberg(const std::vector<double> &pValues);
};

} // namespace custody
