#pragma once

#include "analysis/DriftReport.h"

#include <span>

namespace custody {

// The per-feature part of a drift run: the statistics of one feature (or one (feature, class) cell) from its
// two samples, already sorted (numbers) or counted (categories). Pure functions, safe on any thread.
class FeatureDriftTests
{
public:
    // Fills every numeric statistic, the deciding test (Auto -> KS) and the shared-bin histogram. The verdict
    // of p-value tests waits for the adjusted p-value (DriftEngine); distance tests decide here.
    static void numeric(std::span<const float> baseline, std::span<const float> batch, DriftTest test,
                        const DriftOptions &options, FeatureDrift *out);
    // A class cell: the deciding test and the effect (KS D) only.
    static void numericCell(std::span<const float> baseline, std::span<const float> batch, DriftTest test,
                            const DriftOptions &options, ClassDrift *out);
    // Counts aligned on `categories`.
    static void categorical(std::span<const int64_t> baseline, std::span<const int64_t> batch,
                            const QStringList &categories, DriftTest test, const DriftOptions &options, FeatureDrift *out);
    static void categoricalCell(std::span<const int64_t> baseline, std::span<const int64_t> batch, DriftTest test,
                                const DriftOptions &options, ClassDrift *out);

    // Auto resolved by type and size (see DriftOptions).
    static DriftTest chooseCategorical(std::span<const int64_t> baseline, std::span<const int64_t> batch, DriftTest requested);
    static DriftHistogram numericHistogram(std::span<const float> baseline, std::span<const float> batch, int bins);
    static void markMovedBins(DriftHistogram *h);
};

} // namespace custody
