#include "drift/DriftVerdict.h"

#include "analysis/DriftReport.h"
#include "drift/DriftFeatureModel.h"

#include <QCoreApplication>

namespace custody {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("DriftPage", text);
}
} // namespace

QString driftVerdictHtml(const DriftReport &r)
{
    QString text = tr("<b>%1</b> against <b>%2</b>: %3 of %4 features drifted (%5%, threshold %6%): <b>%7</b>")
                       .arg(r.batch.toHtmlEscaped(), r.baseline.toHtmlEscaped())
                       .arg(r.driftedFeatures)
                       .arg(r.testedFeatures)
                       .arg(DriftFeatureModel::formatNumber(100 * r.driftShare, 1),
                            DriftFeatureModel::formatNumber(100 * r.options.driftShareThreshold, 1),
                            r.datasetDrift ? tr("DATASET DRIFT") : tr("no dataset drift"));
    text += r.untested.isEmpty() ? QString() : tr("; <b>not tested</b>: %1").arg(r.untested.join(QStringLiteral("; ")).toHtmlEscaped());
    if (r.labels.tested)
        text += tr("<br>Labels: chi2 = %1, p = %2: %3")
                    .arg(DriftFeatureModel::formatNumber(r.labels.statistic, 2), DriftFeatureModel::formatNumber(r.labels.pValue),
                         r.labels.drifted ? tr("drifted") : tr("stable"));
    for (const TextColumnDrift &t : r.text)
        if (t.domain.computed)
            text += tr("<br>Text '%1': a classifier tells the batch from the baseline with AUC %2 (p = %3): %4; %5 n-grams moved")
                        .arg(t.column.toHtmlEscaped(), DriftFeatureModel::formatNumber(t.domain.auc, 3),
                             DriftFeatureModel::formatNumber(t.domain.pValue), t.domain.drifted ? tr("drifted") : tr("stable"))
                        .arg(t.driftedGrams);
    if (!r.integrity.problems.isEmpty())
        text += QStringLiteral("<br>") + tr("Integrity: %1").arg(r.integrity.problems.join(QStringLiteral("; ")).toHtmlEscaped());
    return text;
}

} // namespace custody
