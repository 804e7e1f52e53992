#include "analysis/DriftRecordQuery.h"

#include "analysis/FeatureDriftTests.h"

#include <algorithm>
#include <cmath>

namespace custody {

int DriftRecordQuery::binOfRow(const DriftSample &s, int column, const FeatureDrift &f, int64_t row) const
{
    const DriftSample::Column &c = s.columns[size_t(column)];
    switch (f.kind) {
    case ColumnKind::Number: return f.histogram.binOf(c.numbers[size_t(row)]);
    case ColumnKind::Image:
        if (!c.imageValid[size_t(row)])
            return -1;
        return f.histogram.binOf(c.pixels[size_t(row) * size_t(c.pixelCount()) + size_t(f.pixel)]);
    case ColumnKind::Category: {
        const int32_t code = c.codes[size_t(row)];
        return code < 0 ? -1 : int(f.histogram.categories.indexOf(c.categories[code]));
    }
    case ColumnKind::Text: return -1;
    }
    return -1;
}

int32_t DriftRecordQuery::labelCode(const DriftSample &s, const QString &label) const
{
    return int32_t(s.labelNames.indexOf(label));
}

std::vector<int64_t> DriftRecordQuery::batchRowsInBin(int feature, int bin, const QString &label) const
{
    std::vector<int64_t> rows;
    const DriftSample *s = m_report.batchSample.get();
    if (!s || feature < 0 || feature >= int(m_report.features.size()))
        return rows;
    const FeatureDrift &f = m_report.features[size_t(feature)];
    const int32_t code = label.isEmpty() ? -2 : labelCode(*s, label);
    if (code == -1)
        return rows; // no such label in the batch
    for (int64_t r = 0; r < s->rows(); ++r)
        if ((code == -2 || s->labels[size_t(r)] == code) && binOfRow(*s, f.batchColumn, f, r) == bin)
            rows.push_back(r);
    return rows;
}

DriftHistogram DriftRecordQuery::classHistogram(int feature, const QString &label) const
{
    DriftHistogram h;
    const DriftSample *a = m_report.baselineSample.get(), *b = m_report.batchSample.get();
    if (!a || !b || feature < 0 || feature >= int(m_report.features.size()))
        return h;
    const FeatureDrift &f = m_report.features[size_t(feature)];
    h.edges = f.histogram.edges;
    h.categories = f.histogram.categories;
    h.baseline.assign(size_t(f.histogram.bins()), 0);
    h.batch.assign(size_t(f.histogram.bins()), 0);
    for (const auto &[sample, column, counts] : {std::tuple{a, f.baselineColumn, &h.baseline}, std::tuple{b, f.batchColumn, &h.batch}}) {
        const int32_t code = labelCode(*sample, label);
        if (code < 0)
            continue;
        for (int64_t r = 0; r < sample->rows(); ++r) {
            if (sample->labels[size_t(r)] != code)
                continue;
            const int bin = binOfRow(*sample, column, f, r);
            if (bin >= 0)
                ++(*counts)[size_t(bin)];
        }
    }
    FeatureDriftTests::markMovedBins(&h);
    return h;
}

std::vector<int64_t> DriftRecordQuery::batchRowsOfClassInTopBins(int feature, const QString &label, int topBins) const
{
    const DriftHistogram h = classHistogram(feature, label);
    double na = 0, nb = 0;
    for (int i = 0; i < h.bins(); ++i) {
        na += double(h.baseline[size_t(i)]);
        nb += double(h.batch[size_t(i)]);
    }
    if (nb == 0)
        return {};
    std::vector<std::pair<double, int>> gains; // bins where the class gained share in the batch
    for (int i = 0; i < h.bins(); ++i) {
        const double gain = double(h.batch[size_t(i)]) / nb - (na > 0 ? double(h.baseline[size_t(i)]) / na : 0.0);
        if (gain > 0)
            gains.push_back({gain, i});
    }
    std::stable_sort(gains.begin(), gains.end(), [](const auto &x, const auto &y) { return x.first > y.first; });
    std::vector<int64_t> rows;
    for (int i = 0; i < topBins && i < int(gains.size()); ++i) {
        const std::vector<int64_t> inBin = batchRowsInBin(feature, gains[size_t(i)].second, label);
        rows.insert(rows.end(), inBin.begin(), inBin.end());
    }
    std::sort(rows.begin(), rows.end());
    return rows;
}

QStringList DriftRecordQuery::recordIds(const std::vector<int64_t> &rows) const
{
    QStringList ids;
    const DriftSample *s = m_report.batchSample.get();
    if (!s)
        return ids;
    for (int64_t r : rows)
        if (r >= 0 && r < s->rows())
            ids.append(s->ids[r]);
    return ids;
}

} // namespace custody
