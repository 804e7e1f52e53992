#pragma once

#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace custody {

// Detector names as they appear in findings, the CLI's --detectors list and the desktop's filters.
namespace DetectorName {
inline const QString Spectral = QStringLiteral("spectral");             // spectral signatures
inline const QString RobustCovariance = QStringLiteral("robust-covariance"); // SPECTRE-like whitened scoring
inline const QString ActivationClustering = QStringLiteral("activation-clustering");
inline const QString LabelConsistency = QStringLiteral("label-consistency"); // kNN disagreement
inline const QString Duplicates = QStringLiteral("duplicates");         // exact and near, conflicting labels
inline const QString Outliers = QStringLiteral("outliers");             // kNN distance within the class
inline const QString Delta = QStringLiteral("delta");                   // relabelled / modified since baseline
inline const QString Trigger = QStringLiteral("trigger");               // records carrying a localised trigger
inline const QString Phrases = QStringLiteral("trigger-phrases");       // text: records carrying a trigger phrase
inline const QString Characters = QStringLiteral("hidden-characters");  // text: invisible and look-alike characters
QStringList all();
} // namespace DetectorName

// How a batch record relates to the baseline (by id and content hash).
enum class RecordChange : uint8_t { Unchanged, New, Modified, Relabelled };
QString recordChangeName(RecordChange change);

// One flagged record and why.
struct Finding
{
    QString record;   // record id
    int row = -1;     // row in the batch version (record order)
    QString detector; // DetectorName
    QString label;    // the record's label in the batch
    double score = 0; // the detector's raw score (larger is more suspicious)
    double threshold = 0; // the score at which this detector flags in this record's class
    double pValue = 1;    // tail probability of the score under the baseline's (or the class's) null
    QString reason;       // one sentence a curator understands
    QString suggestedLabel; // label consistency / duplicates: the label the evidence points to
    QJsonObject evidence;   // detector-specific details (neighbours, group, the other record, ...)

    QJsonObject toJson() const;
    static Finding fromJson(const QJsonObject &json);
};

struct DetectorSummary
{
    QString detector;
    bool ran = false;
    QString note;         // why it did not run, or what it saw ("class 0: split 5,712 / 288, silhouette 0.41")
    int64_t scored = 0;   // records scored
    int64_t flagged = 0;  // findings
    QJsonObject parameters;

    QJsonObject toJson() const;
    static DetectorSummary fromJson(const QJsonObject &json);
};

// A trigger mask: the features (pixels, columns) that separate a flagged group of a class from the rest of
// the class, with a sentence that says it in words.
struct TriggerMask
{
    QString label;       // the class
    QString detector;    // whose group
    int groupSize = 0;
    QString column;      // image column, or empty for tabular features
    int width = 0, height = 0; // image geometry when column is an image (channels folded)
    std::vector<float> weights; // per feature (pixel): standardised mean difference group vs rest
    QStringList topFeatures;    // names of the strongest features, strongest first
    QString description;        // "288 records of class 0 share a bright 4x4 patch at rows 22-25, columns 22-25"
    // The features of the mask and the group's and the class's mean values there (what TriggerMatch compares).
    std::vector<int> features;
    std::vector<float> groupMean, restMean;

    QJsonObject toJson() const;
    static TriggerMask fromJson(const QJsonObject &json);
};

// A trigger phrase: an n-gram (merged into the longest phrase its records share) far more frequent among the
// batch's new records of one class than among the baseline's records of that class (view "baseline"), or, in
// a version without a baseline, tied to one label against the label prior in records whose other words point
// to other classes (view "within-batch"). docs/detection.md, "Trigger phrases".
struct TriggerPhrase
{
    QString column;
    QString phrase;      // normalised words joined by spaces
    QStringList words;
    QString label;
    QString view;        // baseline | within-batch
    int support = 0;     // new (candidate) records of the class carrying it
    int classRecords = 0; // new records of the class
    int baselineSupport = 0, baselineRecords = 0; // the reference's records of the class: carrying it, all
    int otherSupport = 0, otherRecords = 0;       // records of other classes (reference, or batch): carrying, all
    double purity = 0;   // share of the new records carrying it that have the class
    double z = 0, pValue = 1;
    QStringList records; // ids of the records carrying the whole phrase
    QString description;

    QJsonObject toJson() const;
    static TriggerPhrase fromJson(const QJsonObject &json);
};

// One record's place in the combined ranking.
struct Suspicion
{
    int row = -1;
    QString record;
    double score = 0;   // combined suspicion (higher first)
    QStringList detectors; // detectors that flagged it, strongest first
};

// Everything a scan produced. The JSON part (findings, summaries, masks, configuration) is what the ledger's
// result digest covers and what `custody-cli findings` reads back; the per-row arrays (scores and the 2-D
// projection for the cluster plot) are stored beside it as a binary object whose hash the JSON names.
struct ScanResult
{
    QString version;   // NAME@LABEL scanned
    QString baseline;  // NAME@LABEL, empty without one
    QJsonObject configuration; // detectors, parameters, seed
    QString representation;    // "embeddings" | "probe" | "pca"
    QString representationDetail; // e.g. "probe MLP 784-128-32-10, 4 epochs, training accuracy 0.91"
    QList<DetectorSummary> summaries;
    QList<Finding> findings;      // every detector's, ordered by combined suspicion then detector
    QList<Suspicion> ranking;     // flagged records, most suspicious first
    QList<TriggerMask> masks;
    QList<TriggerPhrase> phrases;
    double seconds = 0;
    // Seconds per phase ("read", "representation", "neighbours", each detector, "ranking", "projection"); not
    // part of the result digest (timings differ between runs of the same scan).
    QList<QPair<QString, double>> timings;

    // Per batch row (all the same length as the version's records): ids and labels for display, what changed,
    // the combined score (NaN when not scored), and the 2-D PCA projection of the representation.
    QStringList ids;
    QStringList labels;
    std::vector<uint8_t> change;      // RecordChange
    std::vector<float> suspicion;
    std::vector<float> projectionX, projectionY;
    int reducedDims = 0;              // the representation reduced by PCA (input of the desktop's t-SNE)
    std::vector<float> reduced;       // rows x reducedDims, row-major
    QStringList detectorOrder;        // order of the rows of detectorScores
    std::vector<std::vector<float>> detectorScores; // per detector, per row (NaN when not scored)

    QJsonObject toJson() const; // the findings document (no per-row arrays)
    QByteArray arrays() const;  // the per-row arrays, little-endian binary (docs/detection.md)
    bool setArrays(const QByteArray &bytes, QString *error);
    static bool fromJson(const QJsonObject &json, ScanResult *result, QString *error);
    // SHA-256 (hex) of the canonical findings document: what scan.recorded events name as result_digest.
    QString resultDigest() const;

    int findingsOf(const QString &detector) const;
    QList<Finding> findingsFor(int row) const;
};

} // namespace custody
