#pragma once

#include "analysis/DriftReport.h"

namespace custody {

// The integrity checks of a drift run, from the two decoded samples: missing and non-finite values,
// constant columns, schema changes, new and vanished labels, class imbalance, and exact duplicates by
// content hash (inside the batch, and between batch and baseline, with the ones whose labels disagree).
class DriftIntegrity
{
public:
    static IntegrityReport check(const DriftSample &baseline, const DriftSample &batch, const DriftOptions &options);
};

} // namespace custody
