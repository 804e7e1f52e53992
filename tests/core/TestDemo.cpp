#include "TestSupport.h"
#include "demo/DemoWorkspace.h"
#include "demo/FashionMnist.h"
#include "demo/PoisonGenerator.h"
#include "formats/ContentDisplay.h"
#include "storage/Delta.h"
#include "storage/RecordQuery.h"
#include "workflow/Verifier.h"
#include "storage/Workspace.h"
#include "workflow/OpenWorkspace.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <random>

using namespace custody;

// The demo generator on a small synthetic image set (the real Fashion-MNIST is exercised by the demo itself).
class TestDemo : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QString m_source;
    DemoOptions m_options;

private Q_SLOTS:
    void initTestCase()
    {
        ImageSet set;
        set.width = set.height = 28;
        std::mt19937 rng(1);
        for (int i = 0; i < 3000; ++i) {
            set.labels.push_back(uint8_t(i % 10));
            for (int p = 0; p < 784; ++p)
                set.pixels.push_back(uint8_t(p < 600 ? rng() % 256 : 0)); // full range; blank lower rows, like the real data
        }
        m_source = m_tmp.filePath(QStringLiteral("fmnist"));
        QDir().mkpath(m_source);
        QString e;
        QVERIFY2(writeIdxImageSet(set, m_source + QStringLiteral("/train-images-idx3-ubyte.gz"),
                                  m_source + QStringLiteral("/train-labels-idx1-ubyte.gz"), &e), qPrintable(e));
        m_options.fashionMnistDir = m_source;
        m_options.baselineSize = 1500;
        m_options.newCleanSize = 300;
        m_options.flippedLabels = 20;
        m_options.conflictingCopies = 10;
        m_options.backdoorRate = 0.1;
        m_options.targetClass = 3;
    }

    void buildsBothVersionsWithPlantedPoison()
    {
        const QString dir = m_tmp.filePath(QStringLiteral("demo"));
        QString e;
        QVERIFY2(buildDemoWorkspace(dir, m_options, &e), qPrintable(e));
        QFile f(dir + QStringLiteral("/demo-data/ground-truth.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject truth = QJsonDocument::fromJson(f.readAll()).object();
        QSet<QString> flipped, copies, backdoors;
        for (const QJsonValue &v : truth.value(QStringLiteral("records")).toArray()) {
            const QString kind = v[QStringLiteral("kind")].toString();
            const QString id = v[QStringLiteral("id")].toString();
            (kind == QLatin1String("flipped_label") ? flipped : kind == QLatin1String("conflicting_copy") ? copies : backdoors).insert(id);
        }
        QCOMPARE(flipped.size(), 20);
        QCOMPARE(copies.size(), 10);
        QVERIFY(backdoors.size() > 10);

        auto ws = openWorkspace(dir, &e);
        QVERIFY2(ws, qPrintable(e));
        const auto v1 = ws->version(VersionRef{QStringLiteral("fashion"), QStringLiteral("v1")}, &e);
        const auto v2 = ws->version(VersionRef{QStringLiteral("fashion"), QStringLiteral("v2")}, &e);
        QVERIFY(v1 && v2);
        QCOMPARE(v1->recordCount, qint64(1500));
        QCOMPARE(v2->parentLabel, QStringLiteral("v1"));
        QCOMPARE(v2->provenance.license, QStringLiteral("MIT"));

        // The compare view's facts: exactly the planted relabels and conflicting duplicates.
        Delta d;
        QVERIFY(computeDelta(*ws, *v1, *v2, &d, &e));
        QCOMPARE(QSet<QString>(d.relabelled.begin(), d.relabelled.end()), flipped);
        QVERIFY(d.modified.isEmpty() && d.removed.isEmpty());
        QSet<QString> inConflict;
        for (const DuplicateGroup &g : d.duplicates)
            if (g.conflictingLabels)
                for (const QString &id : g.ids)
                    if (id.toInt() >= 1500)
                        inConflict.insert(id);
        QCOMPARE(inConflict, copies);

        // A backdoor record carries the trigger and the target label.
        RecordQuery q(*ws);
        const auto rec = q.byId(v2->id, *backdoors.begin(), &e);
        QVERIFY2(rec, qPrintable(e));
        QCOMPARE(rec->label, QStringLiteral("3"));
        const QImage img = contentImage(rec->content.toStdString());
        QCOMPARE(img.pixelColor(22, 22).red(), 255);
        QCOMPARE(img.pixelColor(25, 25).red(), 255);

        VerifyReport report;
        QVERIFY(Verifier::run(*ws, &report, &e));
        QVERIFY(report.ok());
    }

    void sameSeedSameBatch()
    {
        ImageSet train;
        QString e;
        QVERIFY(loadIdxImageSet(m_source + QStringLiteral("/train-images-idx3-ubyte.gz"),
                                m_source + QStringLiteral("/train-labels-idx1-ubyte.gz"), &train, &e));
        DemoBatch a, b, c;
        QVERIFY(PoisonGenerator(m_options).generate(train, &a, &e));
        QVERIFY(PoisonGenerator(m_options).generate(train, &b, &e));
        DemoOptions other = m_options;
        other.seed += 1;
        QVERIFY(PoisonGenerator(other).generate(train, &c, &e));
        QCOMPARE(a.groundTruth, b.groundTruth);
        QVERIFY(a.incoming.pixels == b.incoming.pixels);
        QVERIFY(a.groundTruth.value(QStringLiteral("records")) != c.groundTruth.value(QStringLiteral("records")));
    }

    void triggersDifferAndUnknownIsRefused()
    {
        std::vector<uint8_t> patch(784, 0), cross(784, 0), checker(784, 0), bogus(784, 0);
        QVERIFY(PoisonGenerator::stampTrigger(QStringLiteral("patch"), patch.data(), 28, 28));
        QVERIFY(PoisonGenerator::stampTrigger(QStringLiteral("cross"), cross.data(), 28, 28));
        QVERIFY(PoisonGenerator::stampTrigger(QStringLiteral("checker"), checker.data(), 28, 28));
        QVERIFY(patch != cross && cross != checker && patch != checker);
        QVERIFY(!PoisonGenerator::stampTrigger(QStringLiteral("bogus"), bogus.data(), 28, 28));
        DemoOptions o = m_options;
        o.trigger = QStringLiteral("bogus");
        QString e;
        QVERIFY(!buildDemoWorkspace(m_tmp.filePath(QStringLiteral("bogus")), o, &e));
        QVERIFY2(e.contains(QStringLiteral("unknown trigger")), qPrintable(e));
    }

    void cancelledOrFailedBuildLeavesNothing()
    {
        const QString dir = m_tmp.filePath(QStringLiteral("cancelled"));
        std::atomic_bool cancel{false};
        QString e;
        const bool ok = buildDemoWorkspace(dir, m_options, &e, [&](const Progress &p) {
            if (p.phase.contains(QStringLiteral("v2")))
                cancel = true;
        }, &cancel);
        QVERIFY(!ok);
        QVERIFY2(e.contains(QStringLiteral("cancelled")), qPrintable(e));
        QVERIFY(!QFileInfo::exists(dir));
        QVERIFY(!QFileInfo::exists(dir + QStringLiteral(".building")));

        DemoOptions missing = m_options;
        missing.fashionMnistDir = m_tmp.filePath(QStringLiteral("nowhere"));
        QVERIFY(!buildDemoWorkspace(dir, missing, &e));
        QVERIFY2(e.contains(QStringLiteral("dataset-fashion-mnist")), qPrintable(e));
    }
};

QTEST_GUILESS_MAIN(TestDemo)
#include "TestDemo.moc"
