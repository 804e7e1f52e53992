#include "TestSupport.h"
#include "analysis/CategoricalTests.h"
#include "analysis/FloatSort.h"
#include "analysis/KolmogorovDistribution.h"
#include "analysis/KolmogorovSmirnov.h"
#include "analysis/MaximumMeanDiscrepancy.h"
#include "analysis/MultipleTesting.h"
#include "analysis/PopulationStability.h"
#include "sampling/SplitMix64.h"
#include "analysis/Wasserstein.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QElapsedTimer>
#include <QTest>

#include <atomic>
#include <chrono>
#include <thread>

#include <algorithm>
#include <cmath>

using namespace custody;

namespace {

// Relative agreement, with an absolute floor for values that are (nearly) zero on both sides.
bool close(double actual, double expected, double rel, double absFloor = 1e-300)
{
    if (std::isnan(actual) || std::isnan(expected))
        return std::isnan(actual) && std::isnan(expected);
    return std::fabs(actual - expected) <= std::max(rel * std::fabs(expected), absFloor);
}

std::vector<float> sampleOf(const QJsonValue &v)
{
    if (v.isArray()) {
        std::vector<float> out;
        for (const QJsonValue &x : v.toArray())
            out.push_back(float(x.toDouble()));
        return out;
    }
    const QJsonObject s = v.toObject();
    return bellSample(uint64_t(s.value(QStringLiteral("seed")).toInteger()), s.value(QStringLiteral("n")).toInteger(),
                      float(s.value(QStringLiteral("loc")).toDouble()), float(s.value(QStringLiteral("scale")).toDouble()),
                      s.value(QStringLiteral("round")).toBool());
}

std::vector<int64_t> countsOf(const QJsonValue &v)
{
    std::vector<int64_t> out;
    for (const QJsonValue &x : v.toArray())
        out.push_back(x.toInteger());
    return out;
}

} // namespace

class TestDriftStatistics : public QObject
{
    Q_OBJECT

private:
    QJsonObject m_fixtures;

private Q_SLOTS:
    void initTestCase()
    {
        QFile f(test::dataPath(QStringLiteral("drift/scipy_fixtures.json")));
        QVERIFY2(f.open(QIODevice::ReadOnly), "run tests/data/drift/make_fixtures.py");
        m_fixtures = QJsonDocument::fromJson(f.readAll()).object();
        QVERIFY(!m_fixtures.isEmpty());
    }

    void generatorIsBitExact()
    {
        SplitMix64 rng(7);
        for (const QJsonValue &hex : m_fixtures.value(QStringLiteral("splitmix64_seed7")).toArray())
            QCOMPARE(QString::number(rng.next(), 16).rightJustified(16, QLatin1Char('0')), hex.toString());
        const QJsonObject check = m_fixtures.value(QStringLiteral("generated_check")).toObject();
        const std::vector<float> values = sampleOf(check.value(QStringLiteral("spec")));
        const QJsonArray expected = check.value(QStringLiteral("values")).toArray();
        QCOMPARE(qsizetype(values.size()), expected.size());
        for (size_t i = 0; i < values.size(); ++i)
            QCOMPARE(double(values[i]), expected[qsizetype(i)].toDouble());
    }

    void radixSortMatchesStdSort()
    {
        SplitMix64 rng(42);
        for (size_t n : {size_t(0), size_t(1), size_t(100), size_t(5000), size_t(200000)}) {
            std::vector<float> v(n);
            for (float &x : v) {
                const uint64_t r = rng.next();
                x = (r & 1) ? float(int64_t(r >> 40) - (1 << 23)) * 1e-3f : float(r % 7); // negatives, ties
            }
            if (n > 10) {
                v[3] = -0.0f;
                v[4] = INFINITY;
                v[5] = -INFINITY;
            }
            std::vector<float> expected = v;
            std::sort(expected.begin(), expected.end());
            sortFloats(&v);
            QVERIFY(std::is_sorted(v.begin(), v.end()));
            for (size_t i = 0; i < n; ++i)
                QVERIFY(v[i] == expected[i]);
        }
        const uint64_t counts[256] = {2, 0, 3};
        std::vector<float> sorted;
        floatsFromByteCounts(counts, &sorted);
        QCOMPARE(sorted, (std::vector<float>{0, 0, 2, 2, 2}));
    }

    void numericAgreesWithScipy_data()
    {
        QTest::addColumn<QJsonObject>("c");
        for (const QJsonValue &v : m_fixtures.value(QStringLiteral("numeric")).toArray())
            QTest::newRow(qPrintable(v.toObject().value(QStringLiteral("name")).toString())) << v.toObject();
    }
    void numericAgreesWithScipy()
    {
        QFETCH(QJsonObject, c);
        std::vector<float> a = sampleOf(c.value(QStringLiteral("a"))), b = sampleOf(c.value(QStringLiteral("b")));
        sortFloats(&a);
        sortFloats(&b);
        const auto ks = KolmogorovSmirnov::test(a, b);
        QCOMPARE(ks.exact, c.value(QStringLiteral("ks_exact")).toBool());
        const double d = c.value(QStringLiteral("ks_statistic")).toDouble(), p = c.value(QStringLiteral("ks_pvalue")).toDouble();
        QVERIFY2(close(ks.statistic, d, 1e-12, 1e-15), qPrintable(QStringLiteral("D %1 vs %2").arg(ks.statistic, 0, 'g', 17).arg(d, 0, 'g', 17)));
        QVERIFY2(close(ks.pValue, p, 1e-6), qPrintable(QStringLiteral("p %1 vs %2").arg(ks.pValue, 0, 'g', 17).arg(p, 0, 'g', 17)));
        const double w = c.value(QStringLiteral("wasserstein")).toDouble();
        QVERIFY2(close(Wasserstein::distance(a, b), w, 1e-9, 1e-15),
                 qPrintable(QStringLiteral("W %1 vs %2").arg(Wasserstein::distance(a, b), 0, 'g', 17).arg(w, 0, 'g', 17)));
        QVERIFY(close(Wasserstein::standardDeviation(a), c.value(QStringLiteral("baseline_std")).toDouble(), 1e-9, 1e-15));
        const double psi = c.value(QStringLiteral("psi")).toDouble();
        QVERIFY2(close(PopulationStability::index(a, b), psi, 1e-9, 1e-12),
                 qPrintable(QStringLiteral("PSI %1 vs %2").arg(PopulationStability::index(a, b), 0, 'g', 17).arg(psi, 0, 'g', 17)));
    }

    void mergeMatchesANaiveEcdfWalk()
    {
        // Heavy ties within and across samples, and unequal sizes: the branch-free merge against the definition.
        SplitMix64 rng(9);
        for (int round = 0; round < 200; ++round) {
            std::vector<float> a(1 + rng.below(40)), b(1 + rng.below(40));
            const uint64_t range = 1 + rng.below(8);
            for (float &v : a)
                v = float(rng.below(range));
            for (float &v : b)
                v = float(rng.below(range)) + (round % 3 == 0 ? 0.5f : 0.0f);
            std::sort(a.begin(), a.end());
            std::sort(b.begin(), b.end());
            std::vector<float> all = a;
            all.insert(all.end(), b.begin(), b.end());
            std::sort(all.begin(), all.end());
            all.erase(std::unique(all.begin(), all.end()), all.end());
            int64_t best = 0;
            double area = 0;
            for (size_t k = 0; k < all.size(); ++k) {
                const int64_t i = std::upper_bound(a.begin(), a.end(), all[k]) - a.begin();
                const int64_t j = std::upper_bound(b.begin(), b.end(), all[k]) - b.begin();
                const int64_t gap = std::abs(i * int64_t(b.size()) - j * int64_t(a.size()));
                best = std::max(best, gap);
                if (k + 1 < all.size())
                    area += double(gap) * (all[k + 1] - all[k]);
            }
            QCOMPARE(KolmogorovSmirnov::scaledStatistic(a, b), best);
            QVERIFY(close(Wasserstein::distance(a, b), area / (double(a.size()) * double(b.size())), 1e-12, 1e-15));
        }
    }

    void kolmogorovDistributionAgreesWithScipy()
    {
        int checked = 0;
        for (const QJsonValue &v : m_fixtures.value(QStringLiteral("kstwo")).toArray()) {
            const QJsonObject c = v.toObject();
            const int64_t n = c.value(QStringLiteral("n")).toInteger();
            const double x = c.value(QStringLiteral("x")).toDouble();
            const double sf = KolmogorovDistribution::sf(n, x), expected = c.value(QStringLiteral("sf")).toDouble();
            QVERIFY2(close(sf, expected, 1e-6), qPrintable(QStringLiteral("kstwo.sf(%1, n=%2) = %3, SciPy %4")
                                                               .arg(x, 0, 'g', 17).arg(n).arg(sf, 0, 'g', 17).arg(expected, 0, 'g', 17)));
            const double sm = KolmogorovDistribution::smirnovSf(n, x), smExpected = c.value(QStringLiteral("smirnov")).toDouble();
            QVERIFY2(close(sm, smExpected, 1e-6), qPrintable(QStringLiteral("smirnov(%1, %2) = %3, SciPy %4")
                                                                 .arg(n).arg(x, 0, 'g', 17).arg(sm, 0, 'g', 17).arg(smExpected, 0, 'g', 17)));
            ++checked;
        }
        QVERIFY(checked > 200);
    }

    void pelzGoodApproachesTheExactDistribution()
    {
        // The expansion's error is O(n^-2): at n = 20000 it must agree with the exact Durbin matrix closely.
        for (double nx2 : {0.3, 0.8, 1.5, 2.0}) {
            const double x = std::sqrt(nx2 / 20000);
            QVERIFY(close(KolmogorovDistribution::pelzGoodCdf(20000, x), KolmogorovDistribution::durbinCdf(20000, x), 1e-7, 1e-12));
        }
    }

    void exactTwoSampleMatchesPathCounting()
    {
        // n1 = n2 = 3: of the C(6,3) = 20 paths, D = 1 for 2 of them, D >= 2/3 for 8 of them... (hand counts)
        QCOMPARE(KolmogorovSmirnov::exactPValue(3, 3, 3), 2.0 / 20.0);
        QCOMPARE(KolmogorovSmirnov::exactPValue(3, 3, 0), 1.0);
        QVERIFY(close(KolmogorovSmirnov::exactPValue(5, 5, 5), 2.0 / 252.0, 1e-14));
        // The p-value never increases with D.
        double previous = 1.0;
        for (int64_t h = 1; h <= 35; ++h) {
            const double p = KolmogorovSmirnov::exactPValue(5, 7, h);
            QVERIFY(p <= previous + 1e-15);
            previous = p;
        }
    }

    void chiSquareAndJensenShannonAgreeWithScipy()
    {
        for (const QJsonValue &v : m_fixtures.value(QStringLiteral("chi2")).toArray()) {
            const QJsonObject c = v.toObject();
            const auto a = countsOf(c.value(QStringLiteral("baseline"))), b = countsOf(c.value(QStringLiteral("batch")));
            const auto r = CategoricalTests::chiSquare(a, b);
            const QByteArray name = c.value(QStringLiteral("name")).toString().toUtf8();
            QVERIFY2(close(r.statistic, c.value(QStringLiteral("statistic")).toDouble(), 1e-9, 1e-12), name);
            QVERIFY2(close(r.pValue, c.value(QStringLiteral("pvalue")).toDouble(), 1e-6), name);
            QCOMPARE(r.dof, c.value(QStringLiteral("dof")).toInt());
            QVERIFY2(close(CategoricalTests::jensenShannonDistance(a, b), c.value(QStringLiteral("js_distance")).toDouble(), 1e-9, 1e-15), name);
            QVERIFY2(close(PopulationStability::fromCounts(a, b), c.value(QStringLiteral("psi")).toDouble(), 1e-9, 1e-15), name);
        }
    }

    void benjaminiHochbergAgreesWithReference()
    {
        for (const QJsonValue &v : m_fixtures.value(QStringLiteral("bh")).toArray()) {
            std::vector<double> p, expected;
            for (const QJsonValue &x : v.toObject().value(QStringLiteral("p")).toArray())
                p.push_back(x.toDouble());
            for (const QJsonValue &x : v.toObject().value(QStringLiteral("adjusted")).toArray())
                expected.push_back(x.toDouble());
            const std::vector<double> adjusted = MultipleTesting::benjaminiHochberg(p);
            for (size_t i = 0; i < p.size(); ++i)
                QVERIFY(close(adjusted[i], expected[i], 1e-12, 1e-15));
        }
        const auto withNan = MultipleTesting::benjaminiHochberg({0.01, NAN, 0.02});
        QVERIFY(std::isnan(withNan[1]));
        QCOMPARE(withNan[0], 0.02);
        QCOMPARE(withNan[2], 0.02);
    }

    void mmdSeparatesShiftedEmbeddings()
    {
        const int dims = 8;
        SplitMix64 rng(5);
        const auto cloud = [&](int64_t n, float shift) {
            std::vector<float> out(size_t(n * dims));
            for (float &v : out)
                v = rng.uniform24() + rng.uniform24() - 1.0f;
            for (int64_t i = 0; i < n; ++i)
                out[size_t(i * dims)] += shift;
            return out;
        };
        MaximumMeanDiscrepancy::Options options;
        options.permutations = 100;
        const auto x = cloud(300, 0), same = cloud(250, 0), shifted = cloud(250, 0.6f);
        const auto r0 = MaximumMeanDiscrepancy::test(x, same, dims, options);
        QVERIFY2(r0.pValue > 0.05, qPrintable(QString::number(r0.pValue)));
        const auto r1 = MaximumMeanDiscrepancy::test(x, shifted, dims, options);
        QVERIFY2(r1.pValue < 0.01, qPrintable(QString::number(r1.pValue)));
        QVERIFY(r1.mmd2 > r0.mmd2);
        // Seeded: the same call gives the same answer; subsampling caps the rows used.
        QCOMPARE(MaximumMeanDiscrepancy::test(x, shifted, dims, options).mmd2, r1.mmd2);
        options.maxPerSample = 100;
        const auto capped = MaximumMeanDiscrepancy::test(x, shifted, dims, options);
        QCOMPARE(capped.n1, int64_t(100));
        QCOMPARE(capped.n2, int64_t(100));
        // Permutations poll the cancel flag (campaign 8: a first SIGTERM went unheard through 10^6 of them).
        std::atomic_bool stop{false};
        options.permutations = 1000000;
        options.cancel = &stop;
        std::thread canceller([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            stop = true;
        });
        QElapsedTimer clock;
        clock.start();
        const auto stopped = MaximumMeanDiscrepancy::test(x, shifted, dims, options);
        canceller.join();
        QVERIFY(stopped.cancelled);
        QVERIFY(stopped.permutations < 1000000);
        QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
    }
};

QTEST_GUILESS_MAIN(TestDriftStatistics)
#include "TestDriftStatistics.moc"
