#include "detection/Representation.h"
#include "job/Cancel.h"

#include "sampling/DriftSample.h"
#include "detection/Pca.h"
#include "detection/ProbeNetwork.h"
#include "detection/ScanContext.h"

namespace custody {

namespace {

bool allEmbedded(const DriftSample *s, int dims)
{
    if (!s)
        return true;
    if (s->embeddingDims != dims || dims == 0)
        return false;
    for (uint8_t e : s->hasEmbedding)
        if (!e)
            return false;
    return true;
}

Eigen::MatrixXf embeddings(const DriftSample &s)
{
    return Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
        s.embeddings.data(), s.rows(), s.embeddingDims);
}

bool projectAll(const FeatureView &view, const Pca &pca, Eigen::MatrixXf *out, const std::atomic_bool *cancel)
{
    out->resize(view.rows(), pca.dims());
    Eigen::MatrixXf block;
    for (int64_t first = 0; first < view.rows(); first += 4096) {
        if (cancel && cancel->load())
            return false;
        const int count = int(std::min<int64_t>(4096, view.rows() - first));
        view.gatherRange(first, count, &block);
        out->middleRows(first, count) = pca.transform(block);
    }
    return true;
}

} // namespace

bool buildRepresentation(ScanContext &c, RepresentationChoice *choice, QString *error,
                         const RepresentationProgress &progress)
{
    const QString wanted = c.options.representation;
    const int embDims = c.batch->embeddingDims;
    const bool haveEmbeddings = allEmbedded(c.batch, embDims) && allEmbedded(c.baseline, embDims);
    int labelled = 0;
    std::vector<int> rows, labels;
    for (size_t r = 0; r < c.batchLabel.size(); ++r)
        if (c.batchLabel[r] >= 0) {
            rows.push_back(int(r));
            labels.push_back(c.batchLabel[r]);
            ++labelled;
        }
    if (wanted == QLatin1String("embeddings") || (wanted == QLatin1String("auto") && haveEmbeddings)) {
        if (!haveEmbeddings) {
            *error = QStringLiteral("the representation 'embeddings' needs embeddings for every record of both versions");
            return false;
        }
        c.batchRep = embeddings(*c.batch);
        if (c.baseline)
            c.baselineRep = embeddings(*c.baseline);
        choice->kind = QStringLiteral("embeddings");
        choice->detail = QStringLiteral("embeddings supplied at ingest, %1 dimensions").arg(embDims);
        return true;
    }
    if (c.batchView->dims() == 0) {
        // Say why of each column: a column typed differently by the baseline, or text with no words, is not "none".
        QStringList why;
        for (const DriftSample::Column &col : c.batch->columns) {
            QString what = columnKindName(col.kind);
            const int ref = c.baseline ? c.baseline->columnIndex(col.name) : -1;
            if (ref >= 0 && c.baseline->columns[size_t(ref)].kind != col.kind)
                what += QStringLiteral(" here, %1 in the baseline (scan with --no-baseline, or make the kinds agree)")
                            .arg(columnKindName(c.baseline->columns[size_t(ref)].kind));
            else if (col.kind == ColumnKind::Text)
                what += QStringLiteral(" with no words to compare");
            else if (col.kind == ColumnKind::Image)
                what += QStringLiteral(" of varying size");
            why << col.name + QStringLiteral(": ") + what;
        }
        *error = QStringLiteral("the version has no numeric, categorical, image or text features to scan%1")
                     .arg(why.isEmpty() ? QString() : QStringLiteral(" (") + why.join(QStringLiteral("; ")) + QLatin1Char(')'));
        return false;
    }
    // Text alone: its LSA rows reduced by PCA, which bench_text measured with fewer false positives than the
    // probe network at the same recall (bench/README.md, "Text").
    const bool probeHelps = !c.batchView->onlyText();
    if (wanted == QLatin1String("probe") || (wanted == QLatin1String("auto") && probeHelps && c.classes() >= 2 && labelled > 0)) {
        ProbeNetwork::Options o;
        o.hidden = c.options.probeHidden;
        o.bottleneck = c.options.probeBottleneck;
        o.epochs = c.options.probeEpochs;
        o.batch = c.options.probeBatch;
        o.learningRate = c.options.probeLearningRate;
        o.seed = c.options.seed;
        ProbeNetwork probe(o);
        if (!probe.train(*c.batchView, rows, labels, c.classes(), error,
                         [&](qint64 done, qint64 total) {
                             if (progress)
                                 progress(QStringLiteral("Training probe network"), done, total);
                         },
                         c.cancel))
            return false;
        if (progress)
            progress(QStringLiteral("Computing representations"), 0, 1);
        if (!probe.embed(*c.batchView, &c.batchRep, c.cancel)
            || (c.baseline && !probe.embed(*c.baselineView, &c.baselineRep, c.cancel))) {
            *error = cancelledMessage();
            return false;
        }
        choice->kind = QStringLiteral("probe");
        choice->detail = probe.describe(c.batchView->dims());
        return true;
    }
    if (progress)
        progress(QStringLiteral("Principal components"), 0, 1);
    Pca pca;
    if (!Pca::fit(c.referenceView(), {}, c.options.pcaDimensions, &pca, c.cancel)
        || !projectAll(*c.batchView, pca, &c.batchRep, c.cancel)
        || (c.baseline && !projectAll(*c.baselineView, pca, &c.baselineRep, c.cancel))) {
        *error = cancelledMessage();
        return false;
    }
    choice->kind = QStringLiteral("pca");
    choice->detail = QStringLiteral("standardised features reduced by PCA to %1 dimensions (%2% of the variance)")
                         .arg(pca.dims())
                         .arg(100.0 * pca.explained(), 0, 'f', 1);
    return true;
}

} // namespace custody
