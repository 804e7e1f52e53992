#include "sampling/SplitMix64.h"
#include "detection/Tsne.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <numbers>

using namespace custody;

namespace {

double gaussian(SplitMix64 &rng)
{
    const double u1 = (double(rng.next() >> 11) + 0.5) * 0x1.0p-53, u2 = double(rng.next() >> 11) * 0x1.0p-53;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

// `clusters` Gaussian blobs of unit spread in `dims` dimensions, centres about 14 apart; rows interleaved so that
// a cluster is not a contiguous block of rows.
Eigen::MatrixXf blobs(int clusters, int perCluster, int dims, uint64_t seed, std::vector<int> *truth)
{
    SplitMix64 rng(seed);
    Eigen::MatrixXf centres(clusters, dims);
    for (int c = 0; c < clusters; ++c)
        for (int d = 0; d < dims; ++d)
            centres(c, d) = float(3.0 * gaussian(rng));
    const int n = clusters * perCluster;
    Eigen::MatrixXf x(n, dims);
    truth->assign(size_t(n), 0);
    for (int r = 0; r < n; ++r) {
        const int c = r % clusters;
        (*truth)[size_t(r)] = c;
        for (int d = 0; d < dims; ++d)
            x(r, d) = centres(c, d) + float(gaussian(rng));
    }
    return x;
}

// Mean share of each point's k nearest 2-D neighbours that come from its own cluster.
double neighbourPurity(const Eigen::MatrixXf &y, const std::vector<int> &truth, int k)
{
    const int n = int(y.rows());
    double total = 0;
    std::vector<std::pair<float, int>> d(size_t(n), {0.0f, 0});
    for (int i = 0; i < n; ++i) {
        for (int j = 0; j < n; ++j)
            d[size_t(j)] = {j == i ? INFINITY : (y.row(i) - y.row(j)).squaredNorm(), j};
        std::partial_sort(d.begin(), d.begin() + k, d.end());
        int same = 0;
        for (int t = 0; t < k; ++t)
            same += truth[size_t(d[size_t(t)].second)] == truth[size_t(i)];
        total += double(same) / k;
    }
    return total / n;
}

bool allFinite(const Eigen::MatrixXf &y)
{
    return y.allFinite();
}

} // namespace

// The cluster plot's projection: separated clusters stay separated, a seed fixes the output, cancel stops it.
class TestTsne : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void separatesClusters()
    {
        std::vector<int> truth;
        const Eigen::MatrixXf x = blobs(4, 250, 20, 11, &truth);
        Tsne tsne;
        qint64 lastDone = -1, lastTotal = 0;
        bool monotonic = true;
        tsne.setProgress([&](qint64 done, qint64 total) {
            monotonic = monotonic && done > lastDone && done <= total;
            lastDone = done;
            lastTotal = total;
        });
        Eigen::MatrixXf y;
        QString error;
        QVERIFY2(tsne.project(x, &y, &error), qPrintable(error));
        QCOMPARE(y.rows(), x.rows());
        QCOMPARE(y.cols(), Eigen::Index(2));
        QVERIFY(allFinite(y));
        QVERIFY(monotonic);
        QCOMPARE(lastDone, lastTotal);
        const double purity = neighbourPurity(y, truth, 10);
        QVERIFY2(purity > 0.95, qPrintable(QString::number(purity)));
    }

    void seedFixesTheOutput()
    {
        std::vector<int> truth;
        const Eigen::MatrixXf x = blobs(3, 80, 10, 12, &truth);
        TsneOptions options;
        options.iterations = 300;
        Eigen::MatrixXf a, b, c;
        QString error;
        QVERIFY(Tsne(options).project(x, &a, &error));
        QVERIFY(Tsne(options).project(x, &b, &error));
        QVERIFY(a == b); // bit for bit, whatever the thread scheduling
        options.seed += 1;
        QVERIFY(Tsne(options).project(x, &c, &error));
        QVERIFY(allFinite(c));
        QVERIFY((a - c).cwiseAbs().maxCoeff() > 1e-3f);
    }

    void subsampleAndPlacementKeepClusters()
    {
        std::vector<int> truth;
        const Eigen::MatrixXf x = blobs(4, 250, 20, 13, &truth);
        TsneOptions options;
        options.maxExact = 300;
        Eigen::MatrixXf y, again;
        QString error;
        QVERIFY2(Tsne(options).project(x, &y, &error), qPrintable(error));
        QCOMPARE(y.rows(), x.rows());
        QVERIFY(allFinite(y));
        const double purity = neighbourPurity(y, truth, 10);
        QVERIFY2(purity > 0.95, qPrintable(QString::number(purity)));
        QVERIFY(Tsne(options).project(x, &again, &error));
        QVERIFY(y == again);
    }

    void duplicatesArePlacedOnTheirTwin()
    {
        std::vector<int> truth;
        Eigen::MatrixXf x = blobs(2, 100, 5, 14, &truth);
        x.row(7) = x.row(3); // whichever of the two is sampled, the other lands exactly on it
        TsneOptions options;
        options.maxExact = 60;
        options.iterations = 200;
        Eigen::MatrixXf y;
        QString error;
        QVERIFY(Tsne(options).project(x, &y, &error));
        QVERIFY(allFinite(y));
        // Both sampled: t-SNE pulls identical rows together, though not necessarily onto one point.
        QVERIFY((y.row(7) - y.row(3)).norm() < 1.0f);
    }

    void cancelStops()
    {
        std::vector<int> truth;
        const Eigen::MatrixXf x = blobs(2, 100, 5, 15, &truth);
        std::atomic_bool cancel{true};
        Tsne before;
        before.setCancelFlag(&cancel);
        Eigen::MatrixXf y;
        QString error;
        QVERIFY(!before.project(x, &y, &error));
        QCOMPARE(error, QStringLiteral("cancelled"));

        cancel = false;
        Tsne during;
        during.setCancelFlag(&cancel);
        qint64 seen = 0;
        during.setProgress([&](qint64 done, qint64) {
            seen = done;
            if (done >= 50)
                cancel = true;
        });
        error.clear();
        QVERIFY(!during.project(x, &y, &error));
        QCOMPARE(error, QStringLiteral("cancelled"));
        QVERIFY(seen < 100); // stopped within a few iterations
    }

    void tinyAndDegenerateInputs()
    {
        QString error;
        for (int n = 0; n <= 5; ++n) {
            Eigen::MatrixXf x(n, 3);
            for (int r = 0; r < n; ++r)
                x.row(r) << float(r), float(r * r), 1.0f;
            Eigen::MatrixXf y;
            QVERIFY2(Tsne().project(x, &y, &error), qPrintable(error));
            QCOMPARE(y.rows(), Eigen::Index(n));
            QCOMPARE(y.cols(), Eigen::Index(2));
            QVERIFY(allFinite(y));
        }
        // Every row identical, zero columns, and a non-finite value: finite output, no division by zero.
        TsneOptions quick;
        quick.iterations = 100;
        const Eigen::MatrixXf same = Eigen::MatrixXf::Constant(50, 4, 2.5f), noColumns(40, 0);
        for (const Eigen::MatrixXf &x : {same, noColumns}) {
            Eigen::MatrixXf y;
            QVERIFY(Tsne(quick).project(x, &y, &error));
            QCOMPARE(y.rows(), x.rows());
            QVERIFY(allFinite(y));
        }
        std::vector<int> truth;
        Eigen::MatrixXf x = blobs(2, 30, 4, 16, &truth);
        x(5, 2) = NAN;
        x(9, 0) = INFINITY;
        Eigen::MatrixXf y;
        quick.maxExact = 20;
        QVERIFY(Tsne(quick).project(x, &y, &error));
        QVERIFY(allFinite(y));
    }
};

QTEST_GUILESS_MAIN(TestTsne)
#include "TestTsne.moc"
