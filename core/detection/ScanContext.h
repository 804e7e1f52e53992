#pragma once

#include "detection/FeatureView.h"
#include "detection/NearestNeighbours.h"
#include "detection/ScanOptions.h"
#include "detection/ScanResult.h"
#include "detection/TextColumns.h"

#include <Eigen/Core>

#include <atomic>
#include <memory>
#include <vector>

namespace custody {

struct DriftSample;

// What every detector reads: the two samples, how each batch record relates to the baseline, the
// representation of both, the calibration ("null") records of each class and the neighbours of every
// candidate and null record. Built once by the ScanEngine.
//
// The reference set is the baseline when there is one (known good: approved earlier), otherwise the batch
// itself. Candidates are the batch records that can become findings: new, modified or relabelled ones when
// there is a baseline (unchanged records were approved already), every record otherwise.
struct ScanContext
{
    const DriftSample *batch = nullptr;
    const DriftSample *baseline = nullptr;
    ScanOptions options;
    const std::atomic_bool *cancel = nullptr;

    QStringList labelNames;                    // union of both samples' labels
    std::vector<int> batchLabel, baselineLabel; // codes into labelNames, -1 unlabelled
    std::vector<RecordChange> change;          // per batch row
    std::vector<int> baselineRowOf;            // per batch row: the baseline row with the same id, or -1
    std::vector<int> candidates;               // batch rows
    std::vector<int> candidateIndexOf;         // per batch row: index into candidates, or -1

    std::vector<ScanTextColumn> text;          // text columns shared by both samples (detection/TextColumns.h)
    std::unique_ptr<FeatureView> batchView, baselineView; // same feature layout
    Eigen::MatrixXf batchRep, baselineRep;     // representation rows

    std::vector<std::vector<int>> nullRows;    // per class: reference rows scored for calibration
    std::vector<int> nullIndexOf;              // per reference row: index into nullNeighbours, or -1
    std::vector<NearestNeighbours::Result> candidateNeighbours; // per candidate, among reference rows
    std::vector<NearestNeighbours::Result> nullNeighbours;      // per null row, among reference rows (self excluded)

    bool hasBaseline() const { return baseline != nullptr; }
    const DriftSample &reference() const { return baseline ? *baseline : *batch; }
    const Eigen::MatrixXf &referenceRep() const { return baseline ? baselineRep : batchRep; }
    const std::vector<int> &referenceLabel() const { return baseline ? baselineLabel : batchLabel; }
    const FeatureView &referenceView() const { return baseline ? *baselineView : *batchView; }
    int classes() const { return int(labelNames.size()); }
    QString labelName(int code) const { return code >= 0 ? labelNames.value(code) : QStringLiteral("(none)"); }
    QString recordId(int batchRow) const;
    QString referenceId(int refRow) const;
    bool cancelled() const { return cancel && cancel->load(); }
    // Batch rows of a class (all of them, candidates or not).
    std::vector<int> batchRowsOf(int label) const;
    // The given rows of a representation matrix, gathered.
    static Eigen::MatrixXf rowsOf(const Eigen::MatrixXf &rep, const std::vector<int> &rows);
};

} // namespace custody
