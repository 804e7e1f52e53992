#include "analysis/DriftFeaturePlan.h"
#include "analysis/TextFeatures.h"

#include "analysis/FeatureDriftTests.h"
#include "analysis/FloatSort.h"

#include <QHash>

#include <array>
#include <cmath>

namespace custody {

namespace {

std::vector<float> gatherNumbers(const std::vector<float> &values, const std::vector<int64_t> *rows)
{
    std::vector<float> out;
    if (rows) {
        out.reserve(rows->size());
        for (int64_t r : *rows)
            if (!std::isnan(values[size_t(r)]))
                out.push_back(values[size_t(r)]);
    } else {
        out.reserve(values.size());
        for (float v : values)
            if (!std::isnan(v))
                out.push_back(v);
    }
    sortFloats(&out);
    return out;
}

QString pixelName(const DriftSample::Column &c, int pixel)
{
    const int x = (pixel / c.channels) % c.width, y = (pixel / c.channels) / c.width;
    if (c.channels == 1)
        return c.name + QStringLiteral("[%1,%2]").arg(y).arg(x);
    return c.name + QStringLiteral("[%1,%2,%3]").arg(y).arg(x).arg(pixel % c.channels);
}

} // namespace

DriftFeaturePlan::DriftFeaturePlan(const DriftSample &baseline, const DriftSample &batch, const DriftOptions &options)
    : m_options(options)
{
    m_base.sample = &baseline;
    m_batch.sample = &batch;
    // Classes: labels with enough records in both samples.
    if (options.classConditional) {
        QHash<QString, int64_t> baseCounts, batchCounts;
        for (int32_t l : baseline.labels)
            if (l >= 0)
                ++baseCounts[baseline.labelNames[l]];
        for (int32_t l : batch.labels)
            if (l >= 0)
                ++batchCounts[batch.labelNames[l]];
        for (const QString &name : baseline.labelNames)
            if (baseCounts.value(name) >= options.minClassSize && batchCounts.value(name) >= options.minClassSize)
                m_classes.append(name);
    }
    for (Side *side : {&m_base, &m_batch}) {
        const DriftSample &s = *side->sample;
        side->classOfLabel.assign(size_t(s.labelNames.size()), -1);
        for (qsizetype l = 0; l < s.labelNames.size(); ++l)
            side->classOfLabel[size_t(l)] = int(m_classes.indexOf(s.labelNames[l]));
        side->rowsOf.assign(size_t(m_classes.size()), {});
        for (int64_t r = 0; r < s.rows(); ++r) {
            const int32_t l = s.labels[size_t(r)];
            if (l >= 0 && side->classOfLabel[size_t(l)] >= 0)
                side->rowsOf[size_t(side->classOfLabel[size_t(l)])].push_back(r);
        }
    }
    addColumns();
    m_cells.resize(m_features.size() * size_t(classCount()));
    for (size_t f = 0; f < m_features.size(); ++f)
        for (int k = 0; k < classCount(); ++k) {
            ClassDrift &c = m_cells[f * size_t(classCount()) + size_t(k)];
            c.feature = int(f);
            c.label = m_classes[k];
        }
}

void DriftFeaturePlan::addColumns()
{
    const DriftSample &base = *m_base.sample, &batch = *m_batch.sample;
    for (size_t bi = 0; bi < batch.columns.size(); ++bi) {
        const DriftSample::Column &c = batch.columns[bi];
        const int ai = base.columnIndex(c.name);
        if (ai < 0)
            continue; // a new column: reported by the integrity checks
        const DriftSample::Column &a = base.columns[size_t(ai)];
        if (a.kind != c.kind || (c.kind == ColumnKind::Image && (a.width != c.width || a.height != c.height || a.channels != c.channels))) {
            m_skipped.append(c.name + QStringLiteral(": kind or geometry changed"));
            continue;
        }
        FeatureDrift f;
        f.kind = c.kind;
        f.baselineColumn = ai;
        f.batchColumn = int(bi);
        switch (c.kind) {
        case ColumnKind::Text:
            // Tested through its derived numeric columns (analysis/TextFeatures.h), when they were made.
            if (batch.columnIndex(textFeatureName(c.name, QStringLiteral("words"))) < 0)
                m_skipped.append(c.name + QStringLiteral(": free text whose values were not read"));
            continue;
        case ColumnKind::Image:
            if (c.pixelCount() <= 0) {
                m_skipped.append(c.name + QStringLiteral(": images of varying size"));
                continue;
            }
            for (int p = 0; p < c.pixelCount(); ++p) {
                f.name = pixelName(c, p);
                f.pixel = p;
                m_features.push_back(f);
                m_categoryMaps.emplace_back();
            }
            continue;
        case ColumnKind::Category: {
            CategoryMap map;
            map.categories = a.categories;
            QHash<QString, int> index;
            for (qsizetype i = 0; i < a.categories.size(); ++i) {
                index.insert(a.categories[i], int(i));
                map.baseline.push_back(int(i));
            }
            for (const QString &cat : c.categories) {
                auto it = index.find(cat);
                if (it == index.end()) {
                    it = index.insert(cat, int(map.categories.size()));
                    map.categories.append(cat);
                }
                map.batch.push_back(*it);
            }
            f.name = c.name;
            m_features.push_back(f);
            m_categoryMaps.push_back(std::move(map));
            continue;
        }
        case ColumnKind::Number:
            f.name = c.name;
            m_features.push_back(f);
            m_categoryMaps.emplace_back();
            continue;
        }
    }
}

QString DriftFeaturePlan::overrideProblem() const
{
    for (auto it = m_options.featureTests.cbegin(); it != m_options.featureTests.cend(); ++it) {
        const QString &name = it.key();
        const DriftTest test = it.value();
        const FeatureDrift *match = nullptr;
        for (const FeatureDrift &f : m_features) {
            const bool byColumn = f.pixel >= 0 && m_batch.sample->columns[size_t(f.batchColumn)].name == name;
            if (f.name == name || byColumn) {
                match = &f;
                break;
            }
        }
        if (!match)
            return QStringLiteral("--test names '%1', which is not a feature both versions have").arg(name);
        const bool categorical = match->kind == ColumnKind::Category;
        const bool fits = categorical ? (test == DriftTest::ChiSquare || test == DriftTest::JensenShannon || test == DriftTest::PopulationStability)
                                      : (test == DriftTest::KolmogorovSmirnov || test == DriftTest::Wasserstein
                                         || test == DriftTest::PopulationStability);
        if (!fits)
            return QStringLiteral("--test %1=%2: '%1' is %3, whose tests are %4")
                .arg(name, driftTestName(test), categorical ? QStringLiteral("categorical") : QStringLiteral("numeric"),
                     categorical ? QStringLiteral("chi2, jensenshannon and psi") : QStringLiteral("ks, wasserstein and psi"));
    }
    return QString();
}

DriftTest DriftFeaturePlan::requestedTest(const FeatureDrift &feature) const
{
    if (const auto it = m_options.featureTests.find(feature.name); it != m_options.featureTests.end())
        return *it;
    if (feature.pixel >= 0) { // a whole image column can be overridden by its name
        const QString column = m_batch.sample->columns[size_t(feature.batchColumn)].name;
        if (const auto it = m_options.featureTests.find(column); it != m_options.featureTests.end())
            return *it;
    }
    return feature.kind == ColumnKind::Category ? m_options.categoricalTest : m_options.numericTest;
}

void DriftFeaturePlan::computeFeature(int f)
{
    FeatureDrift &feature = m_features[size_t(f)];
    switch (feature.kind) {
    case ColumnKind::Number: computeNumber(f, feature); break;
    case ColumnKind::Image: computePixel(f, feature); break;
    case ColumnKind::Category: computeCategory(f, feature); break;
    case ColumnKind::Text: break;
    }
}

void DriftFeaturePlan::computeNumber(int f, FeatureDrift &feature)
{
    const auto &a = m_base.sample->columns[size_t(feature.baselineColumn)].numbers;
    const auto &b = m_batch.sample->columns[size_t(feature.batchColumn)].numbers;
    const DriftTest test = requestedTest(feature);
    FeatureDriftTests::numeric(gatherNumbers(a, nullptr), gatherNumbers(b, nullptr), test, m_options, &feature);
    for (int k = 0; k < classCount(); ++k)
        FeatureDriftTests::numericCell(gatherNumbers(a, &m_base.rowsOf[size_t(k)]), gatherNumbers(b, &m_batch.rowsOf[size_t(k)]),
                                       test, m_options, &m_cells[size_t(f) * size_t(classCount()) + size_t(k)]);
}

void DriftFeaturePlan::computePixel(int f, FeatureDrift &feature)
{
    // A counting sort per class: pixels are bytes, so 256 counters sort them.
    using Counts = std::array<uint64_t, 256>;
    const auto count = [&](const Side &side, int column, Counts *all, std::vector<Counts> *byClass) {
        const DriftSample &s = *side.sample;
        const DriftSample::Column &c = s.columns[size_t(column)];
        const size_t stride = size_t(c.pixelCount());
        all->fill(0);
        byClass->assign(size_t(classCount()), Counts{});
        const uint8_t *px = c.pixels.data() + feature.pixel;
        for (int64_t r = 0; r < s.rows(); ++r) {
            if (!c.imageValid[size_t(r)])
                continue;
            const uint8_t v = px[size_t(r) * stride];
            ++(*all)[v];
            const int32_t l = s.labels[size_t(r)];
            if (l >= 0 && side.classOfLabel[size_t(l)] >= 0)
                ++(*byClass)[size_t(side.classOfLabel[size_t(l)])][v];
        }
    };
    Counts baseAll, batchAll;
    std::vector<Counts> baseByClass, batchByClass;
    count(m_base, feature.baselineColumn, &baseAll, &baseByClass);
    count(m_batch, feature.batchColumn, &batchAll, &batchByClass);
    std::vector<float> a, b;
    floatsFromByteCounts(baseAll.data(), &a);
    floatsFromByteCounts(batchAll.data(), &b);
    const DriftTest test = requestedTest(feature);
    FeatureDriftTests::numeric(a, b, test, m_options, &feature);
    for (int k = 0; k < classCount(); ++k) {
        floatsFromByteCounts(baseByClass[size_t(k)].data(), &a);
        floatsFromByteCounts(batchByClass[size_t(k)].data(), &b);
        FeatureDriftTests::numericCell(a, b, test, m_options, &m_cells[size_t(f) * size_t(classCount()) + size_t(k)]);
    }
}

void DriftFeaturePlan::computeCategory(int f, FeatureDrift &feature)
{
    const CategoryMap &map = m_categoryMaps[size_t(f)];
    const size_t width = size_t(map.categories.size());
    const auto count = [&](const Side &side, int column, const std::vector<int> &toUnion, std::vector<int64_t> *all,
                           std::vector<std::vector<int64_t>> *byClass) {
        const DriftSample &s = *side.sample;
        const auto &codes = s.columns[size_t(column)].codes;
        all->assign(width, 0);
        byClass->assign(size_t(classCount()), std::vector<int64_t>(width, 0));
        for (int64_t r = 0; r < s.rows(); ++r) {
            const int32_t code = codes[size_t(r)];
            if (code < 0)
                continue;
            const size_t u = size_t(toUnion[size_t(code)]);
            ++(*all)[u];
            const int32_t l = s.labels[size_t(r)];
            if (l >= 0 && side.classOfLabel[size_t(l)] >= 0)
                ++(*byClass)[size_t(side.classOfLabel[size_t(l)])][u];
        }
    };
    std::vector<int64_t> a, b;
    std::vector<std::vector<int64_t>> aByClass, bByClass;
    count(m_base, feature.baselineColumn, map.baseline, &a, &aByClass);
    count(m_batch, feature.batchColumn, map.batch, &b, &bByClass);
    const DriftTest test = requestedTest(feature);
    FeatureDriftTests::categorical(a, b, map.categories, test, m_options, &feature);
    for (int k = 0; k < classCount(); ++k)
        FeatureDriftTests::categoricalCell(aByClass[size_t(k)], bByClass[size_t(k)], test, m_options,
                                           &m_cells[size_t(f) * size_t(classCount()) + size_t(k)]);
}

} // namespace custody
