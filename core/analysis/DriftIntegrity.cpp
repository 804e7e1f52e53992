#include "analysis/DriftIntegrity.h"

#include <QSet>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <unordered_map>

namespace custody {

namespace {

struct DigestHash
{
    size_t operator()(const Digest &d) const
    {
        size_t h;
        std::memcpy(&h, d.data(), sizeof h); // SHA-256 bytes are already uniform
        return h;
    }
};

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

void checkDuplicates(const DriftSample &baseline, const DriftSample &batch, IntegrityReport *r)
{
    if (batch.contentHashes.size() != size_t(batch.rows()))
        return;
    std::unordered_map<Digest, std::vector<int64_t>, DigestHash> inBatch;
    inBatch.reserve(size_t(batch.rows()));
    for (int64_t row = 0; row < batch.rows(); ++row)
        inBatch[batch.contentHashes[size_t(row)]].push_back(row);
    for (const auto &[hash, rows] : inBatch) {
        if (rows.size() < 2)
            continue;
        ++r->duplicateGroups;
        r->duplicateRecords += int64_t(rows.size());
        const QString first = labelOf(batch, rows.front());
        const bool conflicting = std::any_of(rows.begin(), rows.end(), [&](int64_t x) { return labelOf(batch, x) != first; });
        if (conflicting) {
            ++r->conflictingGroups;
            if (r->conflictingExamples.size() < kExamples) {
                QStringList ids;
                for (int64_t x : rows)
                    ids.append(batch.ids[x] + QLatin1Char('=') + labelOf(batch, x));
                r->conflictingExamples.append(ids);
            }
        }
    }
    if (baseline.contentHashes.size() != size_t(baseline.rows()))
        return;
    std::unordered_map<Digest, std::vector<int64_t>, DigestHash> inBaseline;
    inBaseline.reserve(size_t(baseline.rows()));
    for (int64_t row = 0; row < baseline.rows(); ++row)
        inBaseline[baseline.contentHashes[size_t(row)]].push_back(row);
    for (int64_t row = 0; row < batch.rows(); ++row) {
        const auto it = inBaseline.find(batch.contentHashes[size_t(row)]);
        if (it == inBaseline.end())
            continue;
        const QString &id = batch.ids[row];
        const QString label = labelOf(batch, row);
        bool otherId = false, otherLabel = false;
        for (int64_t b : it->second) {
            otherId = otherId || baseline.ids[b] != id;
            otherLabel = otherLabel || labelOf(baseline, b) != label;
        }
        if (otherId)
            ++r->copiesOfBaseline;
        if (otherLabel) {
            ++r->conflictingWithBaseline;
            if (r->conflictingWithBaselineExamples.size() < kExamples)
                r->conflictingWithBaselineExamples.append(id + QLatin1Char('=') + label + QStringLiteral(" (baseline: ")
                                                          + baseline.ids[it->second.front()] + QLatin1Char('=')
                                                          + labelOf(baseline, it->second.front()) + QLatin1Char(')'));
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
            r.problems.append(QStringLiteral("%1: %2 missing values in the batch").arg(c.name).arg(ci.batchMissing));
        if (ci.batchNonFinite > 0)
            r.problems.append(QStringLiteral("%1: %2 NaN or infinite values in the batch").arg(c.name).arg(ci.batchNonFinite));
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
