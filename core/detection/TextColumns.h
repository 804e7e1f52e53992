#pragma once

#include "text/TextCorpus.h"
#include "text/TextLsa.h"

#include <Eigen/Core>

#include <QString>

#include <functional>
#include <memory>

namespace custody {

struct ScanContext;

// One text column of a scan: both samples tokenised against one vocabulary, TF-IDF weights and the LSA basis
// fitted on the reference (the baseline, else the batch), and each sample's dense rows scaled so that a row's
// mean squared length over the reference is the number of dimensions (as many standardised features would
// have). Trigger phrases, near duplicates and the character findings read the corpora; every other detector
// sees the dense rows through the FeatureView.
struct ScanTextColumn
{
    QString name;
    int batchColumn = -1, baselineColumn = -1;
    std::shared_ptr<TextVocabulary> vocabulary;
    TextCorpus batch, baseline;
    TfIdfWeights weights;
    TextLsa lsa;
    Eigen::MatrixXf batchRep, baselineRep;

    const TextCorpus &reference(const ScanContext &context) const;
    QString describe() const; // "description: LSA 64 dimensions (31.2% of the variance of 8,000 documents)"
};

// Fills context.text for every text column the batch shares with the baseline (by name and kind).
bool prepareTextColumns(ScanContext &context, QString *error,
                        const std::function<void(const QString &phase)> &progress = {});

} // namespace custody
