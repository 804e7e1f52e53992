#pragma once

#include "analysis/DriftReport.h"

#include <vector>

namespace custody {

// "Which batch records are behind this?" for the dashboard: the rows of the batch (and their record ids)
// in a bin of a feature's histogram, in a category, or of one class in the bins where that class moved most.
// Reads the samples the report kept (DriftOptions::keepSamples); empty results when it kept none.
class DriftRecordQuery
{
public:
    explicit DriftRecordQuery(const DriftReport &report) : m_report(report) { }

    // Batch rows whose value of `feature` falls in `bin` of its histogram (numeric bins or categories),
    // optionally only those labelled `label`.
    std::vector<int64_t> batchRowsInBin(int feature, int bin, const QString &label = {}) const;
    // Batch rows labelled `label` whose value of `feature` falls in the `topBins` bins where that class's
    // batch share exceeds its baseline share the most (e.g. a pixel's trigger value).
    std::vector<int64_t> batchRowsOfClassInTopBins(int feature, const QString &label, int topBins = 1) const;
    // The class's own shares per bin of the feature's histogram: what batchRowsOfClassInTopBins ranks.
    DriftHistogram classHistogram(int feature, const QString &label) const;

    QStringList recordIds(const std::vector<int64_t> &rows) const;

private:
    // The histogram bin of a row's value, -1 when missing or outside.
    int binOfRow(const DriftSample &sample, int column, const FeatureDrift &f, int64_t row) const;
    int32_t labelCode(const DriftSample &sample, const QString &label) const;

    const DriftReport &m_report;
};

} // namespace custody
