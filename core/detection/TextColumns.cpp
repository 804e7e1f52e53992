#include "detection/TextColumns.h"

#include "detection/ScanContext.h"
#include "job/Cancel.h"
#include "sampling/DriftSample.h"

#include <QLocale>

#include <cmath>

namespace custody {

const TextCorpus &ScanTextColumn::reference(const ScanContext &context) const
{
    return context.hasBaseline() ? baseline : batch;
}

QString ScanTextColumn::describe() const
{
    return QStringLiteral("%1: LSA of hashed word and character n-grams, %2 dimensions (%3% of the TF-IDF variance of %4 documents)")
        .arg(name, QString::number(lsa.dimensions()), QString::number(100.0 * lsa.explainedShare(), 'f', 1),
             QLocale::c().toString(qlonglong(lsa.fittedRows())));
}

bool prepareTextColumns(ScanContext &c, QString *error, const std::function<void(const QString &)> &progress)
{
    c.text.clear();
    for (size_t bi = 0; bi < c.batch->columns.size(); ++bi) {
        const DriftSample::Column &col = c.batch->columns[bi];
        if (col.kind != ColumnKind::Text || col.texts.size() != c.batch->rows())
            continue; // a sample built without its texts (a shard's summary, say) has nothing to read
        int ai = -1;
        if (c.baseline) {
            ai = c.baseline->columnIndex(col.name);
            if (ai < 0 || c.baseline->columns[size_t(ai)].kind != ColumnKind::Text
                || c.baseline->columns[size_t(ai)].texts.size() != c.baseline->rows())
                continue; // a new or retyped column: the batch's records cannot be compared on it
        }
        ScanTextColumn t;
        t.name = col.name;
        t.batchColumn = int(bi);
        t.baselineColumn = ai;
        t.vocabulary = std::make_shared<TextVocabulary>();
        if (progress)
            progress(QStringLiteral("Reading text: %1").arg(col.name));
        if ((c.baseline && !TextCorpus::build(c.baseline->columns[size_t(ai)].texts, t.vocabulary.get(), &t.baseline, c.cancel))
            || !TextCorpus::build(col.texts, t.vocabulary.get(), &t.batch, c.cancel)) {
            *error = cancelledMessage();
            return false;
        }
        const TextCorpus &ref = c.baseline ? t.baseline : t.batch;
        if (progress)
            progress(QStringLiteral("Text representation: %1").arg(col.name));
        t.weights.fit(ref, *t.vocabulary);
        TextLsa::Options o;
        o.dimensions = c.options.textDimensions;
        o.maxFitRows = c.options.textFitRows;
        o.seed = c.options.seed;
        if (!t.lsa.fit(ref, *t.vocabulary, t.weights, o, c.cancel)
            || !t.lsa.transform(t.batch, *t.vocabulary, t.weights, &t.batchRep, c.cancel)
            || (c.baseline && !t.lsa.transform(t.baseline, *t.vocabulary, t.weights, &t.baselineRep, c.cancel))) {
            *error = cancelledMessage();
            return false;
        }
        // Scale: the reference's mean squared row length becomes the number of dimensions.
        const Eigen::MatrixXf &refRep = c.baseline ? t.baselineRep : t.batchRep;
        const double meanSquare = refRep.rows() ? double(refRep.squaredNorm()) / double(refRep.rows()) : 0.0;
        if (meanSquare > 0) {
            const float scale = float(std::sqrt(double(t.lsa.dimensions()) / meanSquare));
            t.batchRep *= scale;
            t.baselineRep *= scale;
        }
        c.text.push_back(std::move(t));
    }
    return true;
}

} // namespace custody
