#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <cstdint>
#include <vector>

namespace custody {

struct DriftOptions;
struct DriftSample;
struct TextCorpus;
class TextVocabulary;

// One word n-gram whose document frequency differs between baseline and batch (or between the two samples'
// records of one class): two-sided two-proportion z with continuity correction, Benjamini-Hochberg adjusted
// over every n-gram (or n-gram x class) tested.
struct TextGramShift
{
    QString gram;
    QString label; // the class, for the per-class table; empty overall
    int64_t baselineDocuments = 0, batchDocuments = 0;
    double baselineShare = 0, batchShare = 0;
    double z = 0, pValue = 1, pAdjusted = 1;
    bool drifted = false;
    QStringList records; // up to 5 ids of records carrying it: the batch's when it rose, the baseline's when it fell
};

// Can a linear classifier tell the batch's texts from the baseline's? Logistic regression on TF-IDF word
// features, cross-fitted on two halves so every score is out of sample; the ROC AUC of those scores and its
// permutation p-value (the Mann-Whitney U test of the scores: the exact null of the AUC when the labels are
// permuted, by its normal approximation with tie correction).
struct TextDomainTest
{
    bool computed = false;
    QString note; // why not, when not computed
    int64_t baselineDocuments = 0, batchDocuments = 0; // used, after subsampling
    double auc = 0.5, pValue = 1;
    bool drifted = false;
    QStringList batchWords, baselineWords; // the words that most mark each side, strongest first

    QJsonObject toJson() const;
};

struct TextColumnDrift
{
    QString column;
    int64_t testedGrams = 0, driftedGrams = 0;
    std::vector<TextGramShift> movedMost; // overall, largest |z| first
    int64_t testedClassGrams = 0;
    std::vector<TextGramShift> byClass;   // per class present on both sides, largest |z| first within each
    TextDomainTest domain;

    QJsonObject toJson(bool includeByClass) const;
};

// The text section of a drift run for one column both samples hold as text (docs/drift.md, "Text"): corpus
// document d is sample row d. Deterministic for options.seed on any number of threads. False only when
// cancelled.
bool textColumnDrift(const QString &column, const TextVocabulary &vocabulary, const TextCorpus &baseline,
                     const TextCorpus &batch, const DriftSample &baselineSample, const DriftSample &batchSample,
                     const DriftOptions &options, TextColumnDrift *out, const std::atomic_bool *cancel = nullptr);

} // namespace custody
