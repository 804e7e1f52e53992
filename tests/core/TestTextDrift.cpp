#include "PlantedText.h"

#include "analysis/DriftEngine.h"
#include "analysis/TextFeatures.h"
#include "sampling/DriftSample.h"

#include <QtTest>

using namespace custody;
using namespace custody::test;

// Drift of text columns through their derived numeric features, and a verdict that names every column no test
// covers (issue 13: a text-only version used to read "0 of 0 features drifted: no dataset drift").
class TestTextDrift : public QObject
{
    Q_OBJECT

    static DriftReport compare(std::shared_ptr<DriftSample> a, std::shared_ptr<DriftSample> b)
    {
        DriftEngine engine;
        DriftReport r;
        QString e;
        if (!engine.compare(std::move(a), std::move(b), &r, &e))
            qFatal("drift failed: %s", qPrintable(e));
        return r;
    }

    static const FeatureDrift *feature(const DriftReport &r, const QString &name)
    {
        const int i = r.featureIndex(name);
        return i >= 0 ? &r.features[size_t(i)] : nullptr;
    }

private slots:
    void cleanTextDoesNotDrift()
    {
        const PlantedText p = PlantedText::make(21, {});
        PlantedText::Rows fresh; // the new clean records only, against the baseline
        for (qsizetype i = 0; i < p.batch.ids.size(); ++i)
            if (p.batch.ids[i].startsWith(QLatin1Char('n'))) {
                fresh.ids << p.batch.ids[i];
                fresh.labels << p.batch.labels[i];
                fresh.texts << p.batch.texts[i];
            }
        const DriftReport r = compare(textSample(p.baseline, QStringLiteral("t@v1")), textSample(fresh, QStringLiteral("t@v2")));
        QVERIFY2(r.untested.isEmpty(), qPrintable(r.untested.join(QLatin1Char(';'))));
        QCOMPARE(r.testedFeatures, 4);
        for (const QString &suffix : textFeatureSuffixes()) {
            const FeatureDrift *f = feature(r, textFeatureName(QStringLiteral("text"), suffix));
            QVERIFY2(f && f->tested, qPrintable(suffix));
            QVERIFY2(!f->drifted, qPrintable(QStringLiteral("%1 p_adj %2").arg(suffix).arg(f->pAdjusted)));
        }
        QVERIFY(!r.datasetDrift);
        QVERIFY(r.toJson(false).value(QStringLiteral("untested_columns")).toArray().isEmpty());
    }

    void longerTextsInNewWordsDrift()
    {
        const PlantedText p = PlantedText::make(22, {});
        const PlantedText other = PlantedText::make(23, {}); // other pseudo-words: a vocabulary the baseline lacks
        PlantedText::Rows moved = other.baseline;
        for (QString &t : moved.texts)
            t = t + QLatin1Char(' ') + t;
        const DriftReport r = compare(textSample(p.baseline, QStringLiteral("t@v1")), textSample(moved, QStringLiteral("t@v2")));
        QVERIFY(feature(r, QStringLiteral("text:words"))->drifted);
        QVERIFY(feature(r, QStringLiteral("text:characters"))->drifted);
        const FeatureDrift *unseen = feature(r, QStringLiteral("text:unseen_word_share"));
        QVERIFY(unseen->drifted);
        QVERIFY2(unseen->effect > 0.5, qPrintable(QString::number(unseen->effect)));
        QVERIFY(r.datasetDrift);
    }

    void anUntestedColumnIsNamedInTheVerdict()
    {
        const PlantedText p = PlantedText::make(24, {});
        auto a = textSample(p.baseline, QStringLiteral("t@v1"));
        auto b = textSample(p.baseline, QStringLiteral("t@v2"));
        b->columns[0].texts.clear(); // a sample whose texts were not read (a shard's summary, say)
        const DriftReport r = compare(a, b);
        QCOMPARE(r.untested.size(), 1);
        QVERIFY2(r.untested.first().startsWith(QStringLiteral("text: ")), qPrintable(r.untested.first()));
        QCOMPARE(r.toJson(false).value(QStringLiteral("untested_columns")).toArray().size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestTextDrift)
#include "TestTextDrift.moc"
