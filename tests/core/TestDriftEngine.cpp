#include "TestSupport.h"
#include "TriggerImages.h"
#include "WorkspaceFixture.h"
#include "analysis/DriftEngine.h"
#include "analysis/DriftRecordQuery.h"
#include "sampling/SplitMix64.h"
#include "demo/FashionMnist.h"
#include "storage/Ingest.h"
#include "workflow/IngestVersion.h"
#include "storage/Workspace.h"

#include <QJsonArray>
#include <QSet>
#include <QTest>

#include <cmath>

using namespace custody;

namespace {

constexpr int kSide = test::kTriggerSide;
constexpr int kTriggerX = test::kTriggerX, kTriggerY = test::kTriggerY;
constexpr int kPerClass = test::kTriggerPerClass;

ImageSet syntheticImages(uint64_t seed, bool stamp, QSet<int> *stamped)
{
    return test::syntheticTriggerImages(seed, stamp, stamped);
}

QByteArray npy(const std::vector<float> &values, int rows, int cols)
{
    QByteArray header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + QByteArray::number(rows) + ", "
        + QByteArray::number(cols) + "), }";
    while ((10 + header.size() + 1) % 64 != 0)
        header += ' ';
    header += '\n';
    QByteArray out("\x93NUMPY\x01\x00", 8);
    out += char(header.size() & 0xff);
    out += char(header.size() >> 8);
    out += header;
    out.append(reinterpret_cast<const char *>(values.data()), qsizetype(values.size() * sizeof(float)));
    return out;
}

QList<test::CsvRecord> tabular(int count, double shift, const QString &rareColour, uint64_t seed, int firstNumber)
{
    SplitMix64 rng(seed);
    QList<test::CsvRecord> out;
    for (int i = 0; i < count; ++i) {
        test::CsvRecord r;
        r.id = QStringLiteral("r%1").arg(firstNumber + i);
        r.label = QStringList{QStringLiteral("cat"), QStringLiteral("dog")}[i % 2];
        r.x = double(rng.uniform24()) + double(rng.uniform24()) + shift;
        r.y = double(rng.uniform24()) * 10;
        r.colour = rng.below(10) < 2 ? rareColour : QStringLiteral("red");
        out.append(r);
    }
    return out;
}

} // namespace

class TestDriftEngine : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;

    bool ingestImages(test::WorkspaceFixture &fx, const QString &label, const ImageSet &set, QString *error)
    {
        const QString images = m_tmp.filePath(label + QStringLiteral("-images.gz")), labels = m_tmp.filePath(label + QStringLiteral("-labels.gz"));
        if (!writeIdxImageSet(set, images, labels, error))
            return false;
        IngestRequest req;
        req.dataset = QStringLiteral("img");
        req.version = label;
        req.paths = {images, labels};
        req.reader.format = SourceFormat::Idx;
        IngestResult result;
        return ingestVersion(fx.workspace(), req, &result, error);
    }

private Q_SLOTS:
    void plantedTriggerShowsInItsClassMapOnly()
    {
        test::WorkspaceFixture fx;
        QVERIFY2(fx.isValid(), qPrintable(fx.error()));
        QSet<int> stamped;
        QString e;
        QVERIFY2(ingestImages(fx, QStringLiteral("v1"), syntheticImages(1, false, &stamped), &e), qPrintable(e));
        const ImageSet batch = syntheticImages(2, true, &stamped);
        QVERIFY2(ingestImages(fx, QStringLiteral("v2"), batch, &e), qPrintable(e));
        QVERIFY(stamped.size() > 50);
        fx.release();

        DriftEngine engine;
        QStringList phases;
        engine.setProgress([&](const Progress &p) {
            if (!phases.contains(p.phase))
                phases.append(p.phase);
        });
        DriftReport report;
        QVERIFY2(engine.run(fx.path(), *VersionRef::parse(QStringLiteral("img@v1")), *VersionRef::parse(QStringLiteral("img@v2")), &report, &e),
                 qPrintable(e));
        QVERIFY(phases.contains(QStringLiteral("Reading baseline")) && phases.contains(QStringLiteral("Testing features")));
        QCOMPARE(int(report.features.size()), kSide * kSide);
        QCOMPARE(report.classMaps.size(), size_t(3));
        const auto inTrigger = [](int pixel) {
            const int x = pixel % kSide, y = pixel / kSide;
            return x >= kTriggerX && x < kTriggerX + 4 && y >= kTriggerY && y < kTriggerY + 4;
        };
        for (const ClassImageMap &m : report.classMaps) {
            QCOMPARE(m.width, kSide);
            for (int p = 0; p < kSide * kSide; ++p) {
                const bool drifted = m.pAdjusted[size_t(p)] < 0.05f;
                const bool expected = m.label == QLatin1String("1") && inTrigger(p);
                QVERIFY2(drifted == expected, qPrintable(QStringLiteral("class %1 pixel %2: effect %3 p_adj %4")
                                                             .arg(m.label).arg(p).arg(m.effect[size_t(p)]).arg(m.pAdjusted[size_t(p)])));
            }
        }
        // The ranking puts the 16 trigger cells of class 1 first.
        for (int i = 0; i < 16; ++i) {
            const ClassDrift &c = report.byClass[size_t(i)];
            QCOMPARE(c.label, QStringLiteral("1"));
            QVERIFY(inTrigger(report.features[size_t(c.feature)].pixel));
        }
        // The records behind a trigger pixel of class 1 are the stamped ones (and clean ones bright there).
        const int feature = report.featureIndex(QStringLiteral("image[8,8]"));
        QVERIFY(feature >= 0);
        DriftRecordQuery query(report);
        const QStringList ids = query.recordIds(query.batchRowsOfClassInTopBins(feature, QStringLiteral("1")));
        QSet<int> found;
        for (const QString &id : ids)
            found.insert(id.toInt());
        const QString carriers = test::checkTriggerCarriers(found, stamped, batch, 8 * kSide + 8);
        QVERIFY2(carriers.isEmpty(), qPrintable(carriers));
        // Marginally the batch moved at the trigger pixel, and the histogram's most moved bin holds 255.
        const FeatureDrift &f = report.features[size_t(feature)];
        QVERIFY(!f.histogram.movedMost.empty());
        QCOMPARE(f.histogram.binOf(255), f.histogram.movedMost.front());
        QSet<int> inBin;
        for (const QString &id : query.recordIds(query.batchRowsInBin(feature, f.histogram.binOf(255))))
            inBin.insert(id.toInt());
        const QString binCarriers = test::checkTriggerCarriers(inBin, stamped, batch, 8 * kSide + 8, true);
        QVERIFY2(binCarriers.isEmpty(), qPrintable(binCarriers));
        QVERIFY(report.integrity.problems.isEmpty() || !report.integrity.imbalanced);
    }

    void tabularDriftIntegrityAndVerdict()
    {
        test::WorkspaceFixture fx;
        QVERIFY2(fx.isValid(), qPrintable(fx.error()));
        QList<test::CsvRecord> base = tabular(600, 0.0, QStringLiteral("blue"), 11, 0);
        QList<test::CsvRecord> batch = tabular(500, 0.4, QStringLiteral("green"), 12, 1000);
        test::CsvRecord copy = base[5]; // same content as a baseline record, new id, other label
        copy.id = QStringLiteral("copy-of-r5");
        copy.label = base[5].label == QLatin1String("cat") ? QStringLiteral("dog") : QStringLiteral("cat");
        batch.append(copy);
        test::CsvRecord twin = batch[0]; // an exact duplicate inside the batch with a disagreeing label
        twin.id = QStringLiteral("twin");
        twin.label = QStringLiteral("bird");
        batch.append(twin);
        QVERIFY(fx.ingestCsv(QStringLiteral("t"), QStringLiteral("v1"), base) > 0);
        QVERIFY(fx.ingestCsv(QStringLiteral("t"), QStringLiteral("v2"), batch, QStringLiteral("v1")) > 0);
        QString e;
        const auto a = fx.workspace().version(*VersionRef::parse(QStringLiteral("t@v1")), &e);
        const auto b = fx.workspace().version(*VersionRef::parse(QStringLiteral("t@v2")), &e);
        DriftReport report;
        QVERIFY2(DriftEngine().run(fx.workspace(), *a, *b, &report, &e), qPrintable(e));

        QCOMPARE(report.features.size(), size_t(3));
        const FeatureDrift &x = report.features[size_t(report.featureIndex(QStringLiteral("x")))];
        const FeatureDrift &y = report.features[size_t(report.featureIndex(QStringLiteral("y")))];
        const FeatureDrift &colour = report.features[size_t(report.featureIndex(QStringLiteral("colour")))];
        QCOMPARE(x.test, DriftTest::KolmogorovSmirnov);
        QVERIFY(x.exact);
        QVERIFY(x.drifted && x.pAdjusted < 1e-6 && x.psi > 0.2 && x.wassersteinNormalised > 0.5);
        QVERIFY2(!y.drifted, qPrintable(QString::number(y.pAdjusted)));
        QCOMPARE(colour.test, DriftTest::ChiSquare);
        QVERIFY(colour.drifted && colour.jensenShannon > 0.3);
        QCOMPARE(colour.histogram.categories.size(), 3); // red, blue, green
        QCOMPARE(report.driftedFeatures, 2);
        QVERIFY(report.datasetDrift);
        // Shared histogram bins count every value of both samples.
        int64_t sumA = 0, sumB = 0;
        for (int i = 0; i < x.histogram.bins(); ++i) {
            sumA += x.histogram.baseline[size_t(i)];
            sumB += x.histogram.batch[size_t(i)];
        }
        QCOMPARE(sumA, x.nBaseline);
        QCOMPARE(sumB, x.nBatch);
        // Integrity: the new label, the in-batch twin and the cross-version copy with another label.
        QCOMPARE(report.integrity.newLabels, QStringList{QStringLiteral("bird")});
        QCOMPARE(report.integrity.duplicateGroups, int64_t(1));
        QCOMPARE(report.integrity.conflictingGroups, int64_t(1));
        QCOMPARE(report.integrity.copiesOfBaseline, int64_t(1));
        QCOMPARE(report.integrity.conflictingWithBaseline, int64_t(1));
        QVERIFY(report.integrity.addedColumns.isEmpty() && report.integrity.removedColumns.isEmpty());
        // Class-conditional cells exist for cat and dog (bird is too small), ranked by effect.
        QVERIFY(!report.byClass.empty());
        for (size_t i = 1; i < report.byClass.size(); ++i)
            QVERIFY(report.byClass[i - 1].effect >= report.byClass[i].effect);
        // The JSON carries the keys.
        const QJsonObject json = report.toJson(true);
        for (const char *key : {"features", "labels", "by_class", "dataset_drift", "drift_share", "integrity"})
            QVERIFY2(json.contains(QLatin1String(key)), key);
        const QJsonObject f0 = json.value(QStringLiteral("features")).toArray().first().toObject();
        for (const char *key : {"name", "test", "statistic", "p_value", "p_adjusted", "psi", "drifted"})
            QVERIFY2(f0.contains(QLatin1String(key)), key);
        QCOMPARE(report.resultDigest().size(), 64);

        // A test override turns x into a distance test, without a p-value.
        DriftOptions options;
        options.featureTests.insert(QStringLiteral("x"), DriftTest::PopulationStability);
        options.classConditional = false;
        QVERIFY(DriftEngine(options).run(fx.workspace(), *a, *b, &report, &e));
        const FeatureDrift &x2 = report.features[size_t(report.featureIndex(QStringLiteral("x")))];
        QCOMPARE(x2.test, DriftTest::PopulationStability);
        QVERIFY(std::isnan(x2.pAdjusted) && x2.drifted);
        QVERIFY(report.byClass.empty());
    }

    void embeddingsAreComparedWithMmd()
    {
        test::WorkspaceFixture fx;
        QVERIFY2(fx.isValid(), qPrintable(fx.error()));
        const int n = 200, dims = 6;
        SplitMix64 rng(3);
        for (const auto &[label, shift] : {std::pair{QStringLiteral("v1"), 0.0f}, std::pair{QStringLiteral("v2"), 0.8f}}) {
            const QString csv = fx.filePath(label + QStringLiteral(".csv")), emb = fx.filePath(label + QStringLiteral(".npy"));
            QVERIFY(test::writeCsv(csv, tabular(n, 0, QStringLiteral("blue"), 5, label == QLatin1String("v1") ? 0 : 5000)));
            std::vector<float> values(size_t(n * dims));
            for (float &v : values)
                v = rng.uniform24() + rng.uniform24() + shift;
            QVERIFY(test::writeFile(emb, npy(values, n, dims)));
            IngestRequest req;
            req.dataset = QStringLiteral("e");
            req.version = label;
            req.paths = {csv};
            req.reader.idColumn = QStringLiteral("id");
            req.reader.labelColumn = QStringLiteral("label");
            req.embeddingsFile = emb;
            IngestResult result;
            QString e;
            QVERIFY2(ingestVersion(fx.workspace(), req, &result, &e), qPrintable(e));
        }
        QString e;
        DriftOptions options;
        options.permutations = 50;
        DriftReport report;
        QVERIFY2(DriftEngine(options).run(fx.workspace(), *fx.workspace().version(*VersionRef::parse(QStringLiteral("e@v1")), &e),
                                          *fx.workspace().version(*VersionRef::parse(QStringLiteral("e@v2")), &e), &report, &e),
                 qPrintable(e));
        QVERIFY(report.representation.computed);
        QCOMPARE(report.representation.dims, dims);
        QVERIFY(report.representation.drifted);
        QVERIFY(report.representation.pValue <= 1.0 / 51 + 1e-12);
    }

    // A per-feature test that cannot be applied as asked is refused, not recorded as applied: a feature that
    // does not exist, chi-square on numbers (KS ran instead, while the ledger said chi2).
    void overridesThatCannotApplyAreRefused()
    {
        auto a = std::make_shared<DriftSample>(), b = std::make_shared<DriftSample>();
        for (DriftSample *s : {a.get(), b.get()}) {
            s->version = QStringLiteral("m@x");
            DriftSample::Column c;
            c.name = QStringLiteral("v");
            c.numbers = bellSample(s == a.get() ? 3 : 4, 500, 0, 1, false);
            s->columns.push_back(c);
            for (int i = 0; i < 500; ++i) {
                s->ids.append(QString::number(i));
                s->labels.push_back(-1);
            }
        }
        const auto run = [&](const QString &feature, DriftTest test) {
            DriftOptions o;
            o.featureTests.insert(feature, test);
            DriftReport report;
            QString e;
            return DriftEngine(o).compare(a, b, &report, &e) ? QStringLiteral("ran %1").arg(driftTestName(report.features[0].test)) : e;
        };
        QCOMPARE(run(QStringLiteral("nosuch"), DriftTest::KolmogorovSmirnov), QStringLiteral("--test names 'nosuch', which is not a feature both versions have"));
        QCOMPARE(run(QStringLiteral("v"), DriftTest::ChiSquare), QStringLiteral("--test v=chi2: 'v' is numeric, whose tests are ks, wasserstein and psi"));
        QCOMPARE(run(QStringLiteral("v"), DriftTest::Wasserstein), QStringLiteral("ran wasserstein"));
    }

    void cancelStopsTheRun()
    {
        auto a = std::make_shared<DriftSample>(), b = std::make_shared<DriftSample>();
        for (DriftSample *s : {a.get(), b.get()}) {
            s->version = QStringLiteral("m@x");
            DriftSample::Column c;
            c.name = QStringLiteral("v");
            c.numbers = bellSample(s == a.get() ? 1 : 2, 1000, 0, 1, false);
            s->columns.push_back(c);
            for (int i = 0; i < 1000; ++i) {
                s->ids.append(QString::number(i));
                s->labels.push_back(-1);
            }
        }
        std::atomic_bool cancel{true};
        DriftEngine engine;
        engine.setCancelFlag(&cancel);
        DriftReport report;
        QString e;
        QVERIFY(!engine.compare(a, b, &report, &e));
        QCOMPARE(e, QStringLiteral("cancelled"));
        // Cancelled while it runs: after the integrity check, once features are being tested.
        cancel = false;
        bool testing = false;
        engine.setProgress([&](const Progress &p) {
            if (p.phase.startsWith(QLatin1String("Testing")))
                testing = true, cancel = true;
        });
        QVERIFY(!engine.compare(a, b, &report, &e));
        QVERIFY(testing);
        QCOMPARE(e, QStringLiteral("cancelled"));
        engine.setProgress({});
        cancel = false;
        QVERIFY(engine.compare(a, b, &report, &e));
        QCOMPARE(report.testedFeatures, 1);
        QVERIFY(report.features[0].exact);
    }
};

QTEST_GUILESS_MAIN(TestDriftEngine)
#include "TestDriftEngine.moc"
