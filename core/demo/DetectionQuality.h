#pragma once

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace custody {

struct ScanResult;

// How well a scan found what PoisonGenerator planted (its ground truth), per detector and for the combined
// ranking, over the candidates (the batch's records new or changed since the baseline). One definition shared by
// bench_scan, which reports the figures, and the real-data regression test, which holds them to thresholds.
struct DetectorQuality
{
    QString detector; // a detector's name, or "combined"
    // Backdoor recall when the top 1.5 x the planted backdoors by the detector's score are taken (combined:
    // 1.5 x every planted record).
    double backdoorAtBudget = 0;
    int flagged = 0;        // records the detector flagged with its own threshold
    double precision = 0;   // NaN when nothing was flagged
    double backdoorRecall = 0, flippedRecall = 0, copyRecall = 0; // among the flagged; NaN when none planted
    double falsePositiveRate = 0; // flagged clean candidates / clean candidates
};

struct ScanQuality
{
    int candidates = 0;
    int cleanCandidates = 0;
    QHash<QString, int> planted; // backdoor | flipped_label | conflicting_copy -> count
    QList<DetectorQuality> detectors; // in the scan's detector order, then "combined"

    const DetectorQuality *find(const QString &detector) const;
    QJsonObject toJson() const; // NaN as null
};

ScanQuality measureScanQuality(const ScanResult &result, const QJsonObject &groundTruth);

} // namespace custody
