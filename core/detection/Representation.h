#pragma once

#include <Eigen/Core>

#include <QString>

#include <atomic>
#include <functional>

namespace custody {

struct ScanContext;

// The representation detectors look at, chosen in this order unless the options force one: the embeddings
// supplied at ingest (when every record of both versions has them), else the bottleneck of a probe network
// trained on the batch (when it has labels of at least two classes and not only text features), else
// standardised features reduced by PCA (for text: its LSA rows). Fills context.batchRep and context.baselineRep.
struct RepresentationChoice
{
    QString kind;   // embeddings | probe | pca
    QString detail; // what exactly, for the record
};

using RepresentationProgress = std::function<void(const QString &phase, qint64 done, qint64 total)>;
bool buildRepresentation(ScanContext &context, RepresentationChoice *choice, QString *error,
                         const RepresentationProgress &progress = {});

} // namespace custody
