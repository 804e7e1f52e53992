#pragma once

#include "storage/DatasetVersion.h"

#include <optional>

namespace custody {

// The one rule for the baseline a batch is compared with when nobody names one, in a scan or a drift run, from
// the command line or the desktop: the batch's parent, the approved version it was made from. A version without
// a parent has no default baseline (its scan uses the single-dataset detectors); never "the previous version"
// or a version of another dataset, which nobody vouched for as this batch's known-good state.
std::optional<VersionRef> defaultBaseline(const DatasetVersion &batch);

} // namespace custody
