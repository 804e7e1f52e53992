#include "PlantedText.h"

#include "analysis/DriftEngine.h"
#include "analysis/TextDrift.h"
#include "analysis/TextFeatures.h"
#include "sampling/DriftSample.h"
#include "text/TextCorpus.h"

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
        // The text section: n-grams tested, none moved beyond chance, and no classifier tells the sides apart.
        QCOMPARE(r.text.size(), size_t(1));
        const TextColumnDrift &t = r.text.front();
        QVERIFY2(t.testedGrams > 100, qPrintable(QString::number(t.testedGrams)));
        QCOMPARE(t.driftedGrams, int64_t(0));
        QVERIFY(t.domain.computed);
        QVERIFY2(!t.domain.drifted && t.domain.auc < 0.6, qPrintable(QStringLiteral("AUC %1 p %2").arg(t.domain.auc).arg(t.domain.pValue)));
    }

    // A sentence trigger and a rare token in records relabelled to one class: the n-grams that moved name them
    // with the records behind them, the per-class table puts them in that class, and the classifier separates
    // the batch by those words.
    void triggerPhrasesAreTheMostMovedNgrams()
    {
        PlantedText::Options o;
        o.sentenceTrigger = 120;
        o.tokenTrigger = 60;
        const PlantedText p = PlantedText::make(25, o);
        DriftEngine engine;
        DriftReport r;
        QString e;
        QVERIFY2(engine.compare(textSample(p.baseline, QStringLiteral("t@v1")), textSample(p.batch, QStringLiteral("t@v2")), &r, &e),
                 qPrintable(e));
        QCOMPARE(r.text.size(), size_t(1));
        const TextColumnDrift &t = r.text.front();
        QVERIFY(t.driftedGrams > 0);
        const auto find = [](const std::vector<TextGramShift> &shifts, const QString &gram, const QString &label = QString()) {
            for (const TextGramShift &s : shifts)
                if (s.gram == gram && (label.isEmpty() || s.label == label))
                    return &s;
            return static_cast<const TextGramShift *>(nullptr);
        };
        const TextGramShift *keeper = find(t.movedMost, QStringLiteral("harbour keeper"));
        QVERIFY2(keeper, qPrintable(t.movedMost.empty() ? QString() : t.movedMost.front().gram));
        QVERIFY(keeper->drifted && keeper->z > 0);
        QCOMPARE(keeper->baselineDocuments, int64_t(0));
        QCOMPARE(keeper->batchDocuments, int64_t(120));
        QCOMPARE(keeper->records.size(), 5);
        for (const QString &id : keeper->records)
            QCOMPARE(p.kindOf.value(id), QStringLiteral("sentence"));
        const TextGramShift *cf = find(t.movedMost, QStringLiteral("cf"));
        QVERIFY(cf && cf->drifted);
        // Every n-gram of the sentence moved alike in the class; its strongest ones lead the class's rows.
        const QString sentence = QStringLiteral("maintained with care by the old harbour keeper");
        const auto target = QString::fromLatin1(PlantedText::kTarget);
        const auto inClass = std::find_if(t.byClass.begin(), t.byClass.end(), [&](const TextGramShift &s) { return s.label == target; });
        QVERIFY(inClass != t.byClass.end());
        QVERIFY2(inClass->drifted && inClass->z > 0 && (sentence.contains(inClass->gram) || inClass->gram == QLatin1String("cf")),
                 qPrintable(inClass->gram));
        QVERIFY2(t.domain.computed && t.domain.drifted, qPrintable(QStringLiteral("AUC %1 p %2 words %3").arg(t.domain.auc).arg(t.domain.pValue).arg(t.domain.batchWords.join(QLatin1Char(32)))));
        QVERIFY2(t.domain.batchWords.contains(QStringLiteral("harbour")) || t.domain.batchWords.contains(QStringLiteral("keeper"))
                     || t.domain.batchWords.contains(QStringLiteral("cf")),
                 qPrintable(t.domain.batchWords.join(QLatin1Char(' '))));
        // The JSON carries the section, and the same inputs give the same digest.
        const QJsonArray text = r.toJson(true).value(QStringLiteral("text")).toArray();
        QCOMPARE(text.size(), 1);
        QVERIFY(text.first().toObject().value(QStringLiteral("by_class")).toArray().size() > 0);
        DriftReport again;
        QVERIFY(engine.compare(textSample(p.baseline, QStringLiteral("t@v1")), textSample(p.batch, QStringLiteral("t@v2")), &again, &e));
        QCOMPARE(again.resultDigest(), r.resultDigest());
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

    // Cancelled before it starts: false, and no half-made counts are read (a chunk that never ran has none).
    void cancelledTextDriftStopsCleanly()
    {
        const PlantedText p = PlantedText::make(27, {});
        const auto a = textSample(p.baseline, QStringLiteral("t@v1")), b = textSample(p.batch, QStringLiteral("t@v2"));
        TextVocabulary vocabulary;
        TextCorpus ca, cb;
        QVERIFY(TextCorpus::build(a->columns[0].texts, &vocabulary, &ca) && TextCorpus::build(b->columns[0].texts, &vocabulary, &cb));
        std::atomic_bool stop{true};
        TextColumnDrift out;
        QVERIFY(!textColumnDrift(QStringLiteral("text"), vocabulary, ca, cb, *a, *b, DriftOptions(), &out, &stop));
        stop = false;
        QVERIFY(textColumnDrift(QStringLiteral("text"), vocabulary, ca, cb, *a, *b, DriftOptions(), &out, &stop));
        QVERIFY(out.testedGrams > 0);
    }

    // A batch with no records (every one excluded at release): nothing is tested, and the verdict says what.
    void anEmptyBatchNamesWhatItDidNotTest()
    {
        const PlantedText p = PlantedText::make(26, {});
        const DriftReport r = compare(textSample(p.baseline, QStringLiteral("t@v1")), textSample({}, QStringLiteral("t@v2")));
        QCOMPARE(r.testedFeatures, 0);
        QVERIFY2(r.untested.contains(QStringLiteral("text:words: no values in the batch")), qPrintable(r.untested.join(QLatin1Char(';'))));
        QVERIFY(!r.toJson(false).value(QStringLiteral("untested_columns")).toArray().isEmpty());
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
