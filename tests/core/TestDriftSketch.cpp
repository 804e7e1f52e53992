#include "analysis/FeatureSketch.h"
#include "analysis/FloatSort.h"
#include "analysis/KolmogorovSmirnov.h"
#include "analysis/PopulationStability.h"
#include "sampling/SplitMix64.h"
#include "analysis/Wasserstein.h"

#include <QTest>

#include <algorithm>
#include <cmath>

using namespace custody;

// Mergeable summaries: a sketch merged from shards equals the sketch of the whole, exactly for counts and
// histograms, within the stated rank error for quantiles.
class TestDriftSketch : public QObject
{
    Q_OBJECT

private:
    static constexpr int kShards = 7;
    const FeatureSketch::Bins m_bins{-3.0, 3.0, 24};

    FeatureSketch sketchOf(const std::vector<float> &values, size_t first, size_t last, uint64_t seed) const
    {
        FeatureSketch s(m_bins, seed);
        s.add(std::span<const float>(values.data() + first, last - first));
        return s;
    }

    FeatureSketch mergedShards(const std::vector<float> &values) const
    {
        FeatureSketch merged(m_bins, 1);
        for (int k = 0; k < kShards; ++k) {
            const size_t first = values.size() * size_t(k) / kShards, last = values.size() * size_t(k + 1) / kShards;
            if (!merged.merge(sketchOf(values, first, last, 100 + uint64_t(k))))
                return FeatureSketch(m_bins);
        }
        return merged;
    }

private Q_SLOTS:
    void shardsMergeToTheWhole()
    {
        std::vector<float> values = bellSample(4, 200000, 0.0f, 2.0f, false); // reaches past both ends of the bins
        values[10] = NAN;
        const FeatureSketch whole = sketchOf(values, 0, values.size(), 1);
        const FeatureSketch merged = mergedShards(values);
        QCOMPARE(merged.count(), whole.count());
        QCOMPARE(merged.nonFinite(), int64_t(1));
        QCOMPARE(merged.histogram(), whole.histogram()); // exact, bin by bin
        QVERIFY(whole.histogram().front() > 0 && whole.histogram().back() > 0);
        QCOMPARE(merged.min(), whole.min());
        QCOMPARE(merged.max(), whole.max());
        QVERIFY(std::fabs(merged.mean() - whole.mean()) < 1e-12);
        QVERIFY(std::fabs(merged.standardDeviation() / whole.standardDeviation() - 1) < 1e-12);

        std::vector<float> sorted;
        for (float v : values)
            if (!std::isnan(v))
                sorted.push_back(v);
        sortFloats(&sorted);
        const double n = double(sorted.size());
        double worst = 0;
        for (int i = 1; i < 100; ++i) {
            const double v = sorted[size_t(double(i) / 100 * (n - 1))];
            const double exact = double(std::upper_bound(sorted.begin(), sorted.end(), float(v)) - sorted.begin());
            for (const FeatureSketch *s : {&whole, &merged})
                worst = std::max(worst, std::fabs(s->quantiles().rank(v) - exact) / n);
        }
        QVERIFY2(worst < 0.02, qPrintable(QString::number(worst)));
        QVERIFY(merged.quantiles().retained() < 1000); // bounded space
        // Different bins do not merge.
        FeatureSketch other(FeatureSketch::Bins{0, 1, 24});
        QVERIFY(!other.merge(whole));
    }

    void approximateStatisticsAreNearTheExactOnes()
    {
        std::vector<float> a = bellSample(5, 100000, 0.0f, 1.0f, false), b = bellSample(6, 80000, 0.05f, 1.0f, false);
        const auto c = FeatureSketch::compare(mergedShards(a), mergedShards(b));
        sortFloats(&a);
        sortFloats(&b);
        const double d = KolmogorovSmirnov::statistic(a, b);
        QVERIFY2(std::fabs(c.ksStatistic - d) <= c.ksError, qPrintable(QStringLiteral("%1 vs %2").arg(c.ksStatistic).arg(d)));
        QVERIFY(std::fabs(c.psi - PopulationStability::index(a, b)) < 0.01);
        QVERIFY(std::fabs(c.wasserstein - Wasserstein::distance(a, b)) < 0.02);
        QVERIFY(c.histogramPValue < 1e-6); // the shift shows on the agreed bins too
    }
};

QTEST_GUILESS_MAIN(TestDriftSketch)
#include "TestDriftSketch.moc"
