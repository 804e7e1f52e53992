#pragma once

#include "analysis/TextDrift.h"

namespace custody {

// The domain-classifier test of a text column (docs/drift.md, "Text"): can a linear model tell the batch's
// texts from the baseline's? At most kMaxPerSide documents with text are drawn from each side (seeded);
// features are word unigrams, TF-IDF weighted (1 + ln tf, smoothed idf of the pooled draw) and scaled to unit
// length; an L2-regularised logistic regression (full-batch gradient descent, fixed iterations, classes
// weighted to equal mass) is cross-fitted on two halves split by a seeded hash of the text (copies share a
// half), so every document is scored by a model that saw neither it nor its copies. The ROC AUC of those
// scores is the Mann-Whitney U statistic; its one-sided p-value is the permutation null of the AUC given the
// scores (normal approximation with tie correction). The words with the largest weights of a model fitted on
// the whole draw are the ones that separate the sides. Single-threaded and seeded: the same inputs give the
// same result on any machine.
class TextDomainClassifier
{
public:
    static constexpr int64_t kMaxPerSide = 2000;
    static constexpr int kWordsReported = 10;

    static TextDomainTest test(const TextVocabulary &vocabulary, const TextCorpus &baseline, const TextCorpus &batch,
                               const DriftOptions &options, const std::atomic_bool *cancel = nullptr);

    // The ROC AUC of `scores` for positives (label 1) against negatives (0), ties counted half, and the
    // one-sided Mann-Whitney p-value of AUC >= observed when labels are exchangeable.
    static void aucAndPValue(const std::vector<double> &scores, const std::vector<uint8_t> &labels, double *auc,
                             double *pValue);
};

} // namespace custody
