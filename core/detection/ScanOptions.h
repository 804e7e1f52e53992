#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace custody {

// Every parameter of a scan; all of it is recorded with the scan (docs/detection.md explains each).
struct ScanOptions
{
    QStringList detectors;          // empty: all of DetectorName::all()
    QString representation = QStringLiteral("auto"); // auto | embeddings | probe | pca
    quint64 seed = 20261125;
    // Calibration: a statistical detector flags a record when its score lies beyond the (1 - alpha) quantile
    // of the same score on the baseline's records of that class (or, without a baseline, of the class itself).
    double alpha = 0.001;
    int calibrationPerClass = 1000; // baseline records per class scored for the null
    double expectedPoisonFraction = 0.05; // spectral signatures' budget: 1.5 x this share of each class
    int neighbours = 10;            // k of the kNN detectors
    double nearDuplicateCosine = 0.995;
    int pcaDimensions = 32;         // PCA representation
    int clusteringDimensions = 10;  // activation clustering
    double clusterMaxRelativeSize = 0.35;
    double clusterMinSilhouette = 0.10;
    // Probe network
    int probeHidden = 128;
    int probeBottleneck = 32;
    int probeEpochs = 4;
    int probeBatch = 128;
    double probeLearningRate = 1e-3;
    // Text columns (docs/detection.md, "Text"): LSA dimensions per column and the reference documents it is
    // fitted on; trigger phrases' thresholds.
    int textDimensions = 64;
    int textFitRows = 8000;
    double phraseAlpha = 0.001;      // family-wise, Bonferroni over n-grams x classes
    double phraseMinPurity = 0.9;    // share of the new records carrying the n-gram that have its class
    int phraseMinSupport = 5;        // and at least 0.1% of the class's new records

    QJsonObject toJson() const;
    bool wants(const QString &detector) const;
};

} // namespace custody
