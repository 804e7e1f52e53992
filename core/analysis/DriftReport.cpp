#include "analysis/DriftReport.h"

#include "hashing/Sha256.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <numeric>

namespace custody {

namespace {

QJsonValue number(double v)
{
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null);
}

QJsonValue testName(DriftTest t, bool tested)
{
    return tested ? QJsonValue(driftTestName(t)) : QJsonValue(QJsonValue::Null);
}

QJsonObject countsJson(const DriftHistogram &h)
{
    QJsonObject counts;
    for (int i = 0; i < h.bins() && i < h.categories.size(); ++i)
        counts.insert(h.categories[i], QJsonArray{qint64(h.baseline[size_t(i)]), qint64(h.batch[size_t(i)])});
    return counts;
}

} // namespace

int DriftHistogram::binOf(double value) const
{
    if (edges.size() < 2 || std::isnan(value) || value < edges.front() || value > edges.back())
        return -1;
    const auto it = std::upper_bound(edges.begin(), edges.end(), value);
    return std::min(int(it - edges.begin()) - 1, int(edges.size()) - 2);
}

std::vector<int> DriftReport::featuresBySeverity() const
{
    std::vector<int> order(features.size());
    std::iota(order.begin(), order.end(), 0);
    const auto key = [](double v, double missing) { return std::isnan(v) ? missing : v; };
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        const FeatureDrift &x = features[size_t(a)], &y = features[size_t(b)];
        if (x.drifted != y.drifted)
            return x.drifted;
        if (x.tested != y.tested)
            return x.tested;
        const double px = key(x.pAdjusted, 2.0), py = key(y.pAdjusted, 2.0);
        if (px != py)
            return px < py;
        return key(x.effect, -1.0) > key(y.effect, -1.0);
    });
    return order;
}

int DriftReport::featureIndex(const QString &name) const
{
    for (size_t i = 0; i < features.size(); ++i)
        if (features[i].name == name)
            return int(i);
    return -1;
}

const ClassImageMap *DriftReport::classMap(const QString &column, const QString &label) const
{
    for (const ClassImageMap &m : classMaps)
        if (m.column == column && m.label == label)
            return &m;
    return nullptr;
}

QJsonObject IntegrityReport::toJson() const
{
    QJsonArray cols;
    for (const ColumnIntegrity &c : columns) {
        QJsonObject o{{QStringLiteral("name"), c.name},
                      {QStringLiteral("kind"), columnKindName(c.kind)},
                      {QStringLiteral("missing"), QJsonArray{qint64(c.baselineMissing), qint64(c.batchMissing)}},
                      {QStringLiteral("non_finite"), QJsonArray{qint64(c.baselineNonFinite), qint64(c.batchNonFinite)}},
                      {QStringLiteral("constant"), QJsonArray{c.baselineConstant, c.batchConstant}}};
        if (c.kind == ColumnKind::Image)
            o.insert(QStringLiteral("constant_pixels"), c.constantPixels);
        cols.append(o);
    }
    QJsonArray conflicting;
    for (const QStringList &g : conflictingExamples)
        conflicting.append(QJsonArray::fromStringList(g));
    return QJsonObject{
        {QStringLiteral("columns"), cols},
        {QStringLiteral("schema"), QJsonObject{{QStringLiteral("added"), QJsonArray::fromStringList(addedColumns)},
                                               {QStringLiteral("removed"), QJsonArray::fromStringList(removedColumns)},
                                               {QStringLiteral("retyped"), QJsonArray::fromStringList(retypedColumns)}}},
        {QStringLiteral("malformed_records"), QJsonArray{qint64(baselineMalformed), qint64(batchMalformed)}},
        {QStringLiteral("new_labels"), QJsonArray::fromStringList(newLabels)},
        {QStringLiteral("vanished_labels"), QJsonArray::fromStringList(vanishedLabels)},
        {QStringLiteral("unlabelled"), QJsonArray{qint64(baselineUnlabelled), qint64(batchUnlabelled)}},
        {QStringLiteral("class_imbalance"), QJsonObject{{QStringLiteral("baseline"), number(baselineImbalance)},
                                                        {QStringLiteral("batch"), number(batchImbalance)},
                                                        {QStringLiteral("flagged"), imbalanced}}},
        {QStringLiteral("duplicates"), QJsonObject{{QStringLiteral("groups"), qint64(duplicateGroups)},
                                                   {QStringLiteral("records"), qint64(duplicateRecords)},
                                                   {QStringLiteral("conflicting_groups"), qint64(conflictingGroups)},
                                                   {QStringLiteral("conflicting_examples"), conflicting}}},
        {QStringLiteral("across_baseline"),
         QJsonObject{{QStringLiteral("copies"), qint64(copiesOfBaseline)},
                     {QStringLiteral("conflicting_labels"), qint64(conflictingWithBaseline)},
                     {QStringLiteral("conflicting_examples"), QJsonArray::fromStringList(conflictingWithBaselineExamples)}}},
        {QStringLiteral("problems"), QJsonArray::fromStringList(problems)},
    };
}

QJsonObject DriftReport::toJson(bool includeByClass) const
{
    QJsonArray feats;
    for (const FeatureDrift &f : features) {
        QJsonObject o{{QStringLiteral("name"), f.name},
                      {QStringLiteral("kind"), columnKindName(f.kind)},
                      {QStringLiteral("test"), testName(f.test, f.tested)},
                      {QStringLiteral("statistic"), number(f.statistic)},
                      {QStringLiteral("p_value"), number(f.pValue)},
                      {QStringLiteral("p_adjusted"), number(f.pAdjusted)},
                      {QStringLiteral("psi"), number(f.psi)},
                      {QStringLiteral("effect"), number(f.effect)},
                      {QStringLiteral("drifted"), f.drifted},
                      {QStringLiteral("n_baseline"), qint64(f.nBaseline)},
                      {QStringLiteral("n_batch"), qint64(f.nBatch)}};
        if (f.test == DriftTest::KolmogorovSmirnov && f.tested)
            o.insert(QStringLiteral("exact"), f.exact);
        if (f.kind == ColumnKind::Category) {
            o.insert(QStringLiteral("js_distance"), number(f.jensenShannon));
        } else {
            o.insert(QStringLiteral("wasserstein"), number(f.wasserstein));
            o.insert(QStringLiteral("wasserstein_normalized"), number(f.wassersteinNormalised));
        }
        if (!f.note.isEmpty())
            o.insert(QStringLiteral("note"), f.note);
        feats.append(o);
    }
    QJsonObject labelsJson{{QStringLiteral("tested"), labels.tested},
                           {QStringLiteral("test"), QStringLiteral("chi2")},
                           {QStringLiteral("statistic"), number(labels.statistic)},
                           {QStringLiteral("dof"), labels.dof},
                           {QStringLiteral("p_value"), number(labels.pValue)},
                           {QStringLiteral("js_distance"), number(labels.jensenShannon)},
                           {QStringLiteral("psi"), number(labels.psi)},
                           {QStringLiteral("drifted"), labels.drifted},
                           {QStringLiteral("counts"), countsJson(labels.counts)}};
    QJsonObject out{{QStringLiteral("baseline"), baseline},
                    {QStringLiteral("batch"), batch},
                    {QStringLiteral("features"), feats},
                    {QStringLiteral("labels"), labelsJson},
                    {QStringLiteral("dataset_drift"), datasetDrift},
                    {QStringLiteral("untested_columns"), QJsonArray::fromStringList(untested)},
                    {QStringLiteral("drift_share"), driftShare},
                    {QStringLiteral("drifted_features"), driftedFeatures},
                    {QStringLiteral("tested_features"), testedFeatures},
                    {QStringLiteral("integrity"), integrity.toJson()},
                    {QStringLiteral("config"), options.toJson()}};
    if (representation.computed || !representation.note.isEmpty()) {
        out.insert(QStringLiteral("representation"),
                   QJsonObject{{QStringLiteral("computed"), representation.computed},
                               {QStringLiteral("note"), representation.note},
                               {QStringLiteral("test"), QStringLiteral("mmd")},
                               {QStringLiteral("dims"), representation.dims},
                               {QStringLiteral("mmd2"), number(representation.mmd2)},
                               {QStringLiteral("p_value"), number(representation.pValue)},
                               {QStringLiteral("bandwidth"), number(representation.bandwidth)},
                               {QStringLiteral("permutations"), representation.permutations},
                               {QStringLiteral("n_baseline"), qint64(representation.nBaseline)},
                               {QStringLiteral("n_batch"), qint64(representation.nBatch)},
                               {QStringLiteral("drifted"), representation.drifted}});
    }
    if (!text.empty()) {
        QJsonArray columns;
        for (const TextColumnDrift &t : text)
            columns.append(t.toJson(includeByClass));
        out.insert(QStringLiteral("text"), columns);
    }
    if (includeByClass) {
        QJsonArray cells;
        for (const ClassDrift &c : byClass) {
            cells.append(QJsonObject{{QStringLiteral("feature"), features[size_t(c.feature)].name},
                                     {QStringLiteral("label"), c.label},
                                     {QStringLiteral("test"), driftTestName(c.test)},
                                     {QStringLiteral("statistic"), number(c.statistic)},
                                     {QStringLiteral("p_value"), number(c.pValue)},
                                     {QStringLiteral("p_adjusted"), number(c.pAdjusted)},
                                     {QStringLiteral("effect"), number(c.effect)},
                                     {QStringLiteral("drifted"), c.drifted},
                                     {QStringLiteral("n_baseline"), qint64(c.nBaseline)},
                                     {QStringLiteral("n_batch"), qint64(c.nBatch)}});
        }
        out.insert(QStringLiteral("by_class"), cells);
    }
    return out;
}

QString DriftReport::resultDigest() const
{
    // QJsonObject keeps keys sorted, so the compact form is canonical for a given report.
    const QByteArray json = QJsonDocument(toJson(true)).toJson(QJsonDocument::Compact);
    return toHex(Sha256::of(std::string_view(json.constData(), size_t(json.size()))));
}

} // namespace custody
