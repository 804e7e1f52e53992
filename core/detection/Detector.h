#pragma once

#include "detection/NearestNeighbours.h"
#include "detection/ScanResult.h"

#include <QJsonArray>

#include <QJsonObject>

#include <functional>
#include <vector>

namespace custody {

struct ScanContext;

// What one detector produced: its findings, its summary, and a score and evidence for every batch row (NaN
// where it did not score). The score is relative to the row's class threshold for calibrated detectors (1 is
// where flagging starts; the finding keeps the raw score). Evidence is -log10 of the calibrated p-value plus
// log10 of how far past the threshold the score lies (exact evidence such as a relabel counts as 6): the
// common currency of the combined ranking.
struct DetectorOutput
{
    DetectorSummary summary;
    QList<Finding> findings;
    std::vector<float> score;
    std::vector<float> evidence;

    void reset(const QString &detector, int64_t rows);
};

class Detector
{
public:
    virtual ~Detector() = default;
    virtual QString name() const = 0;
    virtual QJsonObject parameters(const ScanContext &context) const = 0;
    virtual bool run(const ScanContext &context, DetectorOutput *out, QString *error) = 0;
};

// Calibration shared by the statistical detectors. For each class, the null is the same score computed on
// the reference records of that class (the baseline's, known good). A candidate's p-value is the share of the
// null at or above its score ((1 + #null >= s) / (1 + n)); it is flagged when its score reaches the class
// threshold: the (1 - alpha) quantile of the null, or just above the null's maximum when the null is too
// small for alpha. Without a baseline the null is the class's own records and the threshold is also at least
// Tukey's far-out fence (Q3 + 3 IQR), so that a clean first version yields few findings.
struct ClassThreshold
{
    std::vector<float> null; // ascending
    float threshold = INFINITY;
    double pValue(float score) const;
};
ClassThreshold calibrate(std::vector<float> null, double alpha, bool selfNull);

struct CalibratedScores
{
    std::vector<float> candidateScore;          // per candidate (NaN when not scored)
    std::vector<std::vector<float>> nullScores; // per class
    std::vector<uint8_t> gate;                  // optional per candidate: 0 vetoes a flag (e.g. a budget)
};
using ReasonFn = std::function<QString(int candidate, double score, double threshold, double pValue)>;
using EvidenceFn = std::function<QJsonObject(int candidate)>;
// Turns scores into per-row score/evidence and findings; returns the thresholds per class.
std::vector<ClassThreshold> flagCalibrated(const ScanContext &context, const CalibratedScores &scores,
                                           const ReasonFn &reason, const EvidenceFn &evidence,
                                           DetectorOutput *out);

QString formatCount(int64_t n);
// [{"id", "label", "distance"}] of reference records, for a finding's evidence.
QJsonArray neighboursJson(const ScanContext &context, const std::vector<NearestNeighbours::Hit> &hits);

} // namespace custody
