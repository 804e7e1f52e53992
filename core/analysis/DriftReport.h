#pragma once

#include "analysis/DriftOptions.h"
#include "analysis/TextDrift.h"
#include "sampling/DriftSample.h"
#include "formats/Schema.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

namespace custody {

// Baseline and batch counts on shared bins: equal-width numeric bins over both samples' range (one bin per
// integer when the data are small integers), or one bin per category. What the dashboard overlays.
struct DriftHistogram
{
    std::vector<double> edges; // numeric: bins + 1 edges; the last bin is closed on the right. Empty for categories.
    QStringList categories;    // categorical: the bins' names
    std::vector<int64_t> baseline, batch;
    std::vector<int> movedMost; // up to 3 bins by |batch share - baseline share|, largest first

    int bins() const { return int(baseline.size()); }
    // The numeric bin holding `value`, or -1 outside the edges (or for NaN).
    int binOf(double value) const;
};

// One feature: a column, or one pixel (and channel) of an image column.
struct FeatureDrift
{
    QString name;            // column name, or "image[y,x]" / "image[y,x,c]" for a pixel
    ColumnKind kind = ColumnKind::Number; // Image for pixels (tested as numbers)
    int baselineColumn = -1, batchColumn = -1; // DriftSample::columns indices
    int pixel = -1;          // index into the image's bytes, -1 for other columns
    DriftTest test = DriftTest::Auto; // the test that decided
    bool exact = false;      // KS: exact p-value
    bool tested = false;
    QString note;            // why not tested
    int64_t nBaseline = 0, nBatch = 0; // values tested (missing ones left out)
    double statistic = NAN;  // of the deciding test: KS D, chi-square X^2, or the distance
    double pValue = NAN, pAdjusted = NAN;
    double psi = NAN;
    double wasserstein = NAN, wassersteinNormalised = NAN; // numeric
    double jensenShannon = NAN; // categorical (distance, base 2)
    double effect = NAN;     // KS D for numbers, Jensen-Shannon distance for categories: in [0, 1]
    bool drifted = false;
    DriftHistogram histogram;
};

// One (feature, class) cell of class-conditional drift: the feature's test on the records of one label.
struct ClassDrift
{
    int feature = -1; // index into DriftReport::features
    QString label;
    DriftTest test = DriftTest::Auto;
    double statistic = NAN, pValue = NAN, pAdjusted = NAN, effect = NAN;
    bool drifted = false;
    int64_t nBaseline = 0, nBatch = 0;
};

// Class-conditional drift of an image column drawn as an image: one cell per pixel (and channel), row-major.
struct ClassImageMap
{
    QString column;
    QString label;
    int width = 0, height = 0, channels = 0;
    std::vector<float> effect;    // KS D per pixel, 0 where untested
    std::vector<float> pAdjusted; // NaN where untested
    std::vector<int> features;    // feature index per pixel, -1 where none
};

struct LabelDrift
{
    bool tested = false;
    DriftHistogram counts; // categories = labels
    double statistic = NAN, pValue = NAN, jensenShannon = NAN, psi = NAN;
    int dof = 0;
    bool drifted = false;
};

struct RepresentationDrift
{
    bool computed = false;
    QString note;
    int dims = 0;
    double mmd2 = NAN, pValue = NAN, bandwidth = NAN;
    int permutations = 0;
    int64_t nBaseline = 0, nBatch = 0;
    bool drifted = false;
};

struct ColumnIntegrity
{
    QString name;
    ColumnKind kind = ColumnKind::Number;
    int64_t baselineMissing = 0, batchMissing = 0;
    int64_t baselineNonFinite = 0, batchNonFinite = 0;
    bool baselineConstant = false, batchConstant = false; // images: every pixel constant
    int constantPixels = 0; // images: pixels constant across the batch
};

struct IntegrityReport
{
    std::vector<ColumnIntegrity> columns; // the batch's columns
    QStringList addedColumns, removedColumns, retypedColumns;
    int64_t baselineMalformed = 0, batchMalformed = 0;
    QStringList newLabels, vanishedLabels;
    int64_t baselineUnlabelled = 0, batchUnlabelled = 0;
    double baselineImbalance = NAN, batchImbalance = NAN; // largest / smallest class
    bool imbalanced = false;
    // Exact duplicates by content hash.
    int64_t duplicateGroups = 0, duplicateRecords = 0, conflictingGroups = 0; // inside the batch
    QList<QStringList> conflictingExamples; // ids of a few groups whose labels disagree
    int64_t copiesOfBaseline = 0;       // batch records whose content a baseline record has under another id
    int64_t conflictingWithBaseline = 0; // batch records whose content the baseline has with another label
    QStringList conflictingWithBaselineExamples;
    QStringList problems; // one line each, for people

    QJsonObject toJson() const;
};

// The result of one drift run: every statistic, and the decoded samples so the dashboard can list the
// records behind a bin or a cell (DriftRecordQuery).
struct DriftReport
{
    QString baseline, batch; // NAME@LABEL
    DriftOptions options;
    std::vector<FeatureDrift> features;
    LabelDrift labels;
    std::vector<ClassDrift> byClass;   // ranked by effect, largest first
    std::vector<ClassImageMap> classMaps;
    RepresentationDrift representation;
    IntegrityReport integrity;
    std::vector<TextColumnDrift> text; // per text column both samples hold (analysis/TextDrift.h)
    QStringList untested; // "column: why", for each column no test covers (named in the verdict)
    int testedFeatures = 0, driftedFeatures = 0;
    double driftShare = 0;
    bool datasetDrift = false;
    std::shared_ptr<const DriftSample> baselineSample, batchSample;

    // Feature indices, most severe first: drifted, then by adjusted p-value, then by effect.
    std::vector<int> featuresBySeverity() const;
    int featureIndex(const QString &name) const;
    const ClassImageMap *classMap(const QString &column, const QString &label) const;

    // The JSON `custody-cli drift --json` prints. Non-finite numbers are null.
    QJsonObject toJson(bool includeByClass) const;
    // Hex SHA-256 of the compact JSON with every section: what the scan.recorded event commits to.
    QString resultDigest() const;
};

} // namespace custody
