#pragma once

#include "detection/Detector.h"

namespace custody {

// Each detector is documented with its parameters in docs/detection.md; a line here says what it looks for.

// Spectral signatures (Tran, Li and Madry 2018): per class, centre the representations, score each record by
// its squared projection on the top singular vector; flag at most 1.5 x expected_poison_fraction of the class,
// and only records beyond the calibrated threshold.
class SpectralSignatures : public Detector
{
public:
    QString name() const override;
    QJsonObject parameters(const ScanContext &context) const override;
    bool run(const ScanContext &context, DetectorOutput *out, QString *error) override;
};

// In the spirit of SPECTRE (Hayase et al. 2021): whiten each class with a robust covariance (the clean
// baseline's class, or the class trimmed of its most outlying records), then score with the quantum-entropy
// score, which leans towards the directions in which the batch's new records spread most.
class RobustCovarianceScore : public Detector
{
public:
    static constexpr double kQueAlpha = 4.0;
    QString name() const override;
    QJsonObject parameters(const ScanContext &context) const override;
    bool run(const ScanContext &context, DetectorOutput *out, QString *error) override;
};

// Activation clustering (Chen et al. 2018): per class, reduce to ~10 dimensions, split in two with k-means;
// the smaller cluster is suspicious when it is small, separate (silhouette) and, with a baseline, holds almost
// none of the baseline's records of the class.
class ActivationClustering : public Detector
{
public:
    QString name() const override;
    QJsonObject parameters(const ScanContext &context) const override;
    bool run(const ScanContext &context, DetectorOutput *out, QString *error) override;
};

// k-nearest-neighbour label consistency: how much nearer the record is to reference records of another label
// than to those of its own; suggests the neighbours' majority label.
class LabelConsistency : public Detector
{
public:
    QString name() const override;
    QJsonObject parameters(const ScanContext &context) const override;
    bool run(const ScanContext &context, DetectorOutput *out, QString *error) override;
};

// Distance to the k nearest reference records of the record's own class.
class OutlierDetector : public Detector
{
public:
    QString name() const override;
    QJsonObject parameters(const ScanContext &context) const override;
    bool run(const ScanContext &context, DetectorOutput *out, QString *error) override;
};

// Exact content duplicates (by content hash) and near duplicates (cosine of the feature vectors) whose labels
// disagree: inside the batch and against the baseline.
class DuplicateDetector : public Detector
{
public:
    QString name() const override;
    QJsonObject parameters(const ScanContext &context) const override;
    bool run(const ScanContext &context, DetectorOutput *out, QString *error) override;
};

// Records relabelled or modified since the baseline: exact evidence from the delta.
class DeltaSignals : public Detector
{
public:
    QString name() const override;
    QJsonObject parameters(const ScanContext &context) const override;
    bool run(const ScanContext &context, DetectorOutput *out, QString *error) override;
};

// Trigger localisation: for each class whose flagged records form a group, the features that separate the
// group from the class's reference records, as a mask and a sentence.
class TriggerLocaliser
{
public:
    static QList<TriggerMask> localise(const ScanContext &context, const QList<Finding> &findings);
};

// Records carrying a localised trigger: for each mask, how close a candidate of the mask's class comes to the
// flagged group's values on the mask's features (1 = the group's values, 0 = the class's usual values),
// calibrated like the others. This carries "these 140 records share a patch" to every record with the patch.
class TriggerMatch
{
public:
    static bool run(const ScanContext &context, const QList<TriggerMask> &masks, DetectorOutput *out, QString *error);
};

// Merges the detectors' evidence into one suspicion score per record: the strongest evidence plus half of
// the second strongest (agreement between detectors ranks a record higher), reasons kept.
class CombinedRanking
{
public:
    static void combine(const ScanContext &context, const std::vector<DetectorOutput> &outputs, ScanResult *result);
};

} // namespace custody
