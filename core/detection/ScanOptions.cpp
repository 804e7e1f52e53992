#include "detection/ScanOptions.h"

#include "detection/ScanResult.h"

#include <QJsonArray>

namespace custody {

bool ScanOptions::wants(const QString &detector) const
{
    return detectors.isEmpty() || detectors.contains(detector);
}

QJsonObject ScanOptions::toJson() const
{
    const QStringList chosen = detectors.isEmpty() ? DetectorName::all() : detectors;
    return {{QStringLiteral("detectors"), QJsonArray::fromStringList(chosen)},
            {QStringLiteral("representation"), representation},
            {QStringLiteral("seed"), QString::number(seed)},
            {QStringLiteral("alpha"), alpha},
            {QStringLiteral("calibration_per_class"), calibrationPerClass},
            {QStringLiteral("expected_poison_fraction"), expectedPoisonFraction},
            {QStringLiteral("neighbours"), neighbours},
            {QStringLiteral("near_duplicate_cosine"), nearDuplicateCosine},
            {QStringLiteral("pca_dimensions"), pcaDimensions},
            {QStringLiteral("clustering_dimensions"), clusteringDimensions},
            {QStringLiteral("cluster_max_relative_size"), clusterMaxRelativeSize},
            {QStringLiteral("cluster_min_silhouette"), clusterMinSilhouette},
            {QStringLiteral("probe"), QJsonObject{{QStringLiteral("hidden"), probeHidden},
                                                  {QStringLiteral("bottleneck"), probeBottleneck},
                                                  {QStringLiteral("epochs"), probeEpochs},
                                                  {QStringLiteral("batch"), probeBatch},
                                                  {QStringLiteral("learning_rate"), probeLearningRate}}},
            {QStringLiteral("text"), QJsonObject{{QStringLiteral("dimensions"), textDimensions},
                                                 {QStringLiteral("fit_rows"), textFitRows},
                                                 {QStringLiteral("phrase_alpha"), phraseAlpha},
                                                 {QStringLiteral("phrase_min_purity"), phraseMinPurity},
                                                 {QStringLiteral("phrase_min_support"), phraseMinSupport}}}};
}

} // namespace custody
