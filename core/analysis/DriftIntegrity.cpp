#include "analysis/DriftIntegrity.h"

#include <QSet>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

namespace custody {

namespace {

constexpr int kExamples = 20;

bool isConstant(const DriftSample::Column &c)
{
    switch (c.kind) {
    case ColumnKind::Number: {
        float first = NAN;
        for (float v : c.numbers) {
            if (std::isnan(v))
                continue;
            if (std::isnan(first))
                first = v;
            else if (v != first)
                return false;
        }
        return true;
    }
    case ColumnKind::Category: {
        int32_t first = -1;
        for (int32_t v : c.codes) {
            if (v < 0)
                continue;
            if (first < 0)
                first = v;
            else if (v != first)
                return false;
        }
        return true;
    }
    default: return false;
    }
}

// Pixels (and channels) with one value over every valid image of the column.
int constantPixels(const DriftSample::Column &c)
{
    const size_t p = size_t(c.pixelCount());
    if (p == 0)
        return 0;
    std::vector<int16_t> first(p, -1);
    std::vector<uint8_t> varies(p, 0);
    for (size_t r = 0; r < c.imageValid.size(); ++r) {
        if (!c.imageValid[r])
            continue;
        const uint8_t *px = c.pixels.data() + r * p;
        for (size_t i = 0; i < p; ++i) {
            if (first[i] < 0)
                first[i] = px[i];
            else if (px[i] != first[i])
                varies[i] = 1;
        }
    }
    return int(std::count(varies.begin(), varies.end(), 0));
}

QString geometry(const Column &c)
{
    return c.kind == ColumnKind::Image ? QStringLiteral("%1 %2x%3x%4").arg(columnKindName(c.kind)).arg(c.width).arg(c.height).arg(c.channels)
                                       : columnKindName(c.kind);
}

double imbalance(const DriftSample &s)
{
    std::vector<int64_t> counts(size_t(s.labelNames.size()), 0);
    for (int32_t l : s.labels)
        if (l >= 0)
            ++counts[size_t(l)];
    counts.erase(std::remove(counts.begin(), counts.end(), 0), counts.end());
    if (counts.empty())
        return NAN;
    return double(*std::max_element(counts.begin(), counts.end())) / double(*std::min_element(counts.begin(), counts.end()));
}

QString labelOf(const DriftSample &s, int64_t row)
{
    const int32_t l = s.labels[size_t(row)];
    return l < 0 ? QString() : s.labelNames[l];
}

// Rows ordered by content hash, so equal contents are neighbours (a sort beats a hash map of vectors by far
// on a million records). The order is (first 8 bytes, then the whole digest): the same total order in both
// samples, and most comparisons touch only a key kept beside the row.
struct HashOrder
{
    std::vector<int64_t> rows;
    const DriftSample *sample;
    const Digest &hash(size_t k) const { return sample->contentHashes[size_t(rows[k])]; }
    static bool less(const Digest &x, const Digest &y) { return prefix(x) < prefix(y) || (prefix(x) == prefix(y) && x < y); }
    static uint64_t prefix(const Digest &d)
    {
        uint64_t p;
        std::memcpy(&p, d.data(), sizeof p);
        return p;
    }
};

HashOrder rowsByHash(const DriftSample &s)
{
    std::vector<std::pair<uint64_t, int64_t>> keyed(size_t(s.rows()));
    for (int64_t r = 0; r < s.rows(); ++r)
        keyed[size_t(r)] = {HashOrder::prefix(s.contentHashes[size_t(r)]), r};
    std::sort(keyed.begin(), keyed.end(), [&](const auto &x, const auto &y) {
        if (x.first != y.first)
            return x.first < y.first;
        const Digest &hx = s.contentHashes[size_t(x.second)], &hy = s.contentHashes[size_t(y.second)];
        return hx < hy || (hx == hy && x.second < y.second);
    });
    HashOrder order{{}, &s};
    order.rows.reserve(keyed.size());
    for (const auto &k : keyed)
        order.rows.push_back(k.second);
    return order;
}

void checkDuplicates(const DriftSample &baseline, const DriftSample &batch, IntegrityReport *r)
{
    if (batch.contentHashes.size() != size_t(batch.rows()))
        return;
    const HashOrder order = rowsByHash(batch);
    const std::vector<int64_t> &byHash = order.rows;
    const auto hashOf = [](const DriftSample &s, int64_t row) -> const Digest & { return s.contentHashes[size_t(row)]; };
    for (size_t first = 0; first < byHash.size();) {
        size_t last = first + 1;
        while (last < byHash.size() && hashOf(batch, byHash[last]) == hashOf(batch, byHash[first]))
            ++last;
        if (last - first > 1) {
            ++r->duplicateGroups;
            r->duplicateRecords += int64_t(last - first);
            const QString label = labelOf(batch, byHash[first]);
            bool conflicting = false;
            for (size_t k = first + 1; k < last; ++k)
                conflicting = conflicting || labelOf(batch, byHash[k]) != label;
            if (conflicting) {
                ++r->conflictingGroups;
                if (r->conflictingExamples.size() < kExamples) {
                    QStringList ids;
                    for (size_t k = first; k < last; ++k)
                        ids.append(batch.ids[byHash[k]] + QLatin1Char('=') + labelOf(batch, byHash[k]));
                    r->conflictingExamples.append(ids);
                }
            }
        }
        first = last;
    }
    if (baseline.contentHashes.size() != size_t(baseline.rows()))
        return;
    // Walk both hash orders together: every batch row meets the baseline rows with its content.
    const HashOrder baseOrder = rowsByHash(baseline);
    const std::vector<int64_t> &baseByHash = baseOrder.rows;
    size_t b = 0;
    for (size_t k = 0; k < byHash.size(); ++k) {
        const int64_t row = byHash[k];
        const Digest &h = hashOf(batch, row);
        while (b < baseByHash.size() && HashOrder::less(hashOf(baseline, baseByHash[b]), h))
            ++b;
        const QString &id = batch.ids[row];
        const QString label = labelOf(batch, row);
        bool otherId = false, otherLabel = false;
        int64_t conflict = -1;
        for (size_t e = b; e < baseByHash.size() && hashOf(baseline, baseByHash[e]) == h; ++e) {
            otherId = otherId || baseline.ids[baseByHash[e]] != id;
            if (labelOf(baseline, baseByHash[e]) != label) {
                otherLabel = true;
                conflict = baseByHash[e];
            }
        }
        if (otherId)
            ++r->copiesOfBaseline;
        if (otherLabel) {
            ++r->conflictingWithBaseline;
            if (r->conflictingWithBaselineExamples.size() < kExamples)
                r->conflictingWithBaselineExamples.append(id + QLatin1Char('=') + label + QStringLiteral(" (baseline: ")
                                                          + baseline.ids[conflict] + QLatin1Char('=')
                                                          + labelOf(baseline, conflict) + QLatin1Char(')'));
        }
    }
}

} // namespace

IntegrityReport DriftIntegrity::check(const DriftSample &baseline, const DriftSample &batch, const DriftOptions &options)
{
    IntegrityReport r;
    for (const Column &c : batch.schema.columns) {
        const int i = baseline.schema.indexOf(c.name);
        if (i < 0)
            r.addedColumns.append(c.name);
        else if (!(baseline.schema.columns[i] == c))
            r.retypedColumns.append(QStringLiteral("%1: %2 -> %3").arg(c.name, geometry(baseline.schema.columns[i]), geometry(c)));
    }
    for (const Column &c : baseline.schema.columns)
        if (batch.schema.indexOf(c.name) < 0)
            r.removedColumns.append(c.name);

    for (const DriftSample::Column &c : batch.columns) {
        ColumnIntegrity ci;
        ci.name = c.name;
        ci.kind = c.kind;
        ci.batchMissing = c.missing;
        ci.batchNonFinite = c.nonFinite;
        ci.batchConstant = isConstant(c);
        const int bi = baseline.columnIndex(c.name);
        if (bi >= 0) {
            const DriftSample::Column &b = baseline.columns[size_t(bi)];
            ci.baselineMissing = b.missing;
            ci.baselineNonFinite = b.nonFinite;
            ci.baselineConstant = b.kind == c.kind && isConstant(b);
        }
        if (c.kind == ColumnKind::Image) {
            ci.constantPixels = constantPixels(c);
            ci.batchConstant = ci.constantPixels == c.pixelCount() && c.pixelCount() > 0;
        }
        if (ci.batchMissing > 0)
            r.problems.append(QStringLiteral("%1: %2 missing values in the batch").arg(c.name, QString::number(ci.batchMissing)));
        if (ci.batchNonFinite > 0)
            r.problems.append(QStringLiteral("%1: %2 NaN or infinite values in the batch").arg(c.name, QString::number(ci.batchNonFinite)));
        if (ci.batchConstant && batch.rows() > 1)
            r.problems.append(QStringLiteral("%1: constant in the batch").arg(c.name));
        r.columns.push_back(ci);
    }
    r.baselineMalformed = baseline.malformedRecords;
    r.batchMalformed = batch.malformedRecords;

    const QSet<QString> before(baseline.labelNames.begin(), baseline.labelNames.end());
    const QSet<QString> after(batch.labelNames.begin(), batch.labelNames.end());
    for (const QString &l : batch.labelNames)
        if (!before.contains(l))
            r.newLabels.append(l);
    for (const QString &l : baseline.labelNames)
        if (!after.contains(l))
            r.vanishedLabels.append(l);
    r.baselineUnlabelled = std::count(baseline.labels.begin(), baseline.labels.end(), -1);
    r.batchUnlabelled = std::count(batch.labels.begin(), batch.labels.end(), -1);
    r.baselineImbalance = imbalance(baseline);
    r.batchImbalance = imbalance(batch);
    r.imbalanced = r.batchImbalance > options.imbalanceRatio;
    checkDuplicates(baseline, batch, &r);

    if (!r.addedColumns.isEmpty())
        r.problems.append(QStringLiteral("new columns: %1").arg(r.addedColumns.join(QStringLiteral(", "))));
    if (!r.removedColumns.isEmpty())
        r.problems.append(QStringLiteral("missing columns: %1").arg(r.removedColumns.join(QStringLiteral(", "))));
    if (!r.retypedColumns.isEmpty())
        r.problems.append(QStringLiteral("retyped columns: %1").arg(r.retypedColumns.join(QStringLiteral("; "))));
    if (r.batchMalformed > 0)
        r.problems.append(QStringLiteral("%1 batch records do not decode to the schema").arg(r.batchMalformed));
    if (!r.newLabels.isEmpty())
        r.problems.append(QStringLiteral("new labels: %1").arg(r.newLabels.join(QStringLiteral(", "))));
    if (r.imbalanced)
        r.problems.append(QStringLiteral("class imbalance: the largest class is %1 times the smallest").arg(r.batchImbalance, 0, 'f', 1));
    if (r.duplicateGroups > 0)
        r.problems.append(QStringLiteral("%1 groups of identical records in the batch (%2 records, %3 with disagreeing labels)")
                              .arg(r.duplicateGroups).arg(r.duplicateRecords).arg(r.conflictingGroups));
    if (r.copiesOfBaseline > 0)
        r.problems.append(QStringLiteral("%1 batch records copy a baseline record under another id").arg(r.copiesOfBaseline));
    if (r.conflictingWithBaseline > 0)
        r.problems.append(QStringLiteral("%1 batch records have a baseline record's content with another label")
                              .arg(r.conflictingWithBaseline));
    return r;
}

} // namespace custody
