#include "PlantedText.h"

#include "detection/ScanEngine.h"
#include "sampling/DriftSample.h"
#include "text/TextCorpus.h"
#include "text/TextLsa.h"
#include "text/TextNormaliser.h"

#include <QSet>
#include <QtTest>

using namespace custody;
using namespace custody::test;

// The text representation (normalisation, tokens, hashing, LSA) and the text detectors on generated
// descriptions with planted triggers (tests/support/PlantedText.h).
class TestTextDetection : public QObject
{
    Q_OBJECT

    static ScanResult scan(const PlantedText &p, bool withBaseline, const PlantedText::Rows *only = nullptr)
    {
        ScanOptions o;
        ScanEngine engine(o);
        ScanResult r;
        QString error;
        const auto batch = textSample(only ? *only : p.batch, QStringLiteral("text@v2"));
        const auto base = withBaseline ? textSample(p.baseline, QStringLiteral("text@v1")) : nullptr;
        if (!engine.scan(batch, base, &r, &error))
            qFatal("scan failed: %s", qPrintable(error));
        return r;
    }

    static QSet<QString> flaggedBy(const ScanResult &r, const QString &detector)
    {
        QSet<QString> ids;
        for (const Finding &f : r.findings)
            if (f.detector == detector)
                ids.insert(f.record);
        return ids;
    }

    static int plantedAmong(const PlantedText &p, const QSet<QString> &ids, const QString &kind)
    {
        int n = 0;
        for (const QString &id : ids)
            n += p.kindOf.value(id) == kind ? 1 : 0;
        return n;
    }

private slots:
    void normalisationIsCanonical()
    {
        QCOMPARE(normaliseText(QStringLiteral("  \uFF26\uFF55\uFF4C\uFF4C\u3000Width\t\n 2026 \u0663 ")),
                 QStringLiteral("full width 0000 0"));
        QCOMPARE(normaliseText(QStringLiteral("\u039F\u0394\u039F\u03A3 \u03BF\u03B4\u03BF\u03C2")),
                 QStringLiteral("\u03BF\u03B4\u03BF\u03C3 \u03BF\u03B4\u03BF\u03C3")); // simple case folding
        QCOMPARE(normaliseText(QStringLiteral("\uFB01ne")), QStringLiteral("fine")); // NFKC ligature
        QCOMPARE(normaliseText(QStringLiteral("c\u200Bf")), QStringLiteral("c\u200Bf")); // kept: evidence
        QCOMPARE(wordTokens(QStringLiteral("it's c\u200Bf, (x_1)")),
                 QStringList({QStringLiteral("it"), QStringLiteral("s"), QStringLiteral("c\u200Bf"), QStringLiteral("x_1")}));
        const CharacterProfile p = characterProfile(QStringLiteral("p\u0430ypal t\u200Bhe \u202Eabc"));
        QCOMPARE(p.invisibleNames, QStringList({QStringLiteral("U+200B ZERO WIDTH SPACE"), QStringLiteral("U+202E RIGHT-TO-LEFT OVERRIDE")}));
        QCOMPARE(p.mixedScriptWords, QStringList({QStringLiteral("p\u0430ypal")}));
        QCOMPARE(characterProfile(QStringLiteral("plain \u043F\u0440\u0438\u0432\u0435\u0442 words")).mixedScriptWords, QStringList());
    }

    // Normalisation is linear in the field's length (campaign 10: Qt's NFKC is quadratic, and a 4 MiB field of
    // U+FDFA held a scan for hours; a million characters took minutes), and cutting it into pieces changes
    // nothing: each piece ends before a starter, so e + combining acute still composes across 1024-character
    // marks, and a long field reads as its characters one by one.
    void longFieldsNormaliseInPieces()
    {
        const QString one = normaliseText(QStringLiteral("\uFDFA"));
        QCOMPARE(one.size(), 18);
        const int n = 1000000;
        QCOMPARE(normaliseText(QString(n, QChar(0xFDFA))), one.repeated(n));
        QString accents;
        for (int i = 0; i < 3000; ++i)
            accents += QStringLiteral("e\u0301");
        QCOMPARE(normaliseText(accents), QString(3000, QChar(0x00E9)));
    }

    void hashedFeaturesDoNotDependOnVocabularyOrder()
    {
        const QStringList texts = {QStringLiteral("the quick brown fox"), QStringLiteral("brown dogs and the fox")};
        TextVocabulary a, b;
        b.add(QStringLiteral("zebra"));
        b.add(QStringLiteral("fox"));
        TextCorpus ca, cb;
        QVERIFY(TextCorpus::build(texts, &a, &ca));
        QVERIFY(TextCorpus::build(texts, &b, &cb));
        for (int d = 0; d < 2; ++d) {
            std::vector<uint32_t> fa, fb;
            appendHashedFeatures(ca, a, d, &fa);
            appendHashedFeatures(cb, b, d, &fb);
            QCOMPARE(fa, fb);
            // 4 words: 4 + 3 + 2 word grams, then char grams of " the " (3+2+1) etc.
            QVERIFY(fa.size() > 9);
        }
        int count = 0;
        ca.tokensOf(1, &count);
        QCOMPARE(count, 5);
    }

    void lsaSeparatesTopicsAndIsDeterministic()
    {
        const PlantedText p = PlantedText::make(7, {});
        TextVocabulary v;
        TextCorpus corpus;
        QVERIFY(TextCorpus::build(p.baseline.texts, &v, &corpus));
        TfIdfWeights w;
        w.fit(corpus, v);
        QCOMPARE(w.documents(), int64_t(p.baseline.ids.size()));
        TextLsa lsa, again;
        TextLsa::Options o;
        o.dimensions = 16;
        o.maxFitRows = 600; // a sample: the basis must still separate the categories
        QVERIFY(lsa.fit(corpus, v, w, o));
        QVERIFY(again.fit(corpus, v, w, o));
        QCOMPARE(lsa.dimensions(), 16);
        Eigen::MatrixXf x, y;
        QVERIFY(lsa.transform(corpus, v, w, &x));
        QVERIFY(again.transform(corpus, v, w, &y));
        QVERIFY(x == y);
        // Nearest class centroid (cosine) recovers the category of most records.
        const QStringList cats = PlantedText::categories();
        Eigen::MatrixXf centroid = Eigen::MatrixXf::Zero(5, x.cols());
        for (int r = 0; r < x.rows(); ++r)
            centroid.row(int(cats.indexOf(p.baseline.labels[r]))) += x.row(r);
        for (int k = 0; k < 5; ++k)
            centroid.row(k).normalize();
        int right = 0;
        for (int r = 0; r < x.rows(); ++r) {
            Eigen::Index best = 0;
            (centroid * x.row(r).transpose()).maxCoeff(&best);
            right += int(best) == int(cats.indexOf(p.baseline.labels[r])) ? 1 : 0;
        }
        qInfo("nearest centroid accuracy %.3f, explained %.3f", double(right) / double(x.rows()), lsa.explainedShare());
        QVERIFY(right > 0.9 * x.rows());
        QVERIFY(lsa.singularValues()(0) >= lsa.singularValues()(15));
    }

    void sentenceTriggerIsNamedAndEveryCarrierFlagged()
    {
        PlantedText::Options o;
        o.sentenceTrigger = 40;
        const PlantedText p = PlantedText::make(11, o);
        QElapsedTimer t;
        t.start();
        const ScanResult r = scan(p, true);
        qInfo("scan of %lld records: %.2f s", qlonglong(p.batch.ids.size()), t.elapsed() / 1000.0);
        QCOMPARE(r.phrases.size(), 1);
        const TriggerPhrase &tp = r.phrases.first();
        QCOMPARE(tp.label, QStringLiteral("games"));
        QCOMPARE(tp.view, QStringLiteral("baseline"));
        QVERIFY2(tp.phrase.contains(QStringLiteral("maintained with care by the old harbour keeper")), qPrintable(tp.phrase));
        QCOMPARE(tp.support, 40);
        QCOMPARE(tp.baselineSupport, 0);
        QVERIFY2(tp.description.startsWith(QStringLiteral("40 new records of class 'games' contain 'maintained with care")),
                 qPrintable(tp.description));
        const QSet<QString> flagged = flaggedBy(r, DetectorName::Phrases);
        QCOMPARE(plantedAmong(p, flagged, QStringLiteral("sentence")), 40);
        QVERIFY2(flagged.size() <= 60, qPrintable(QString::number(flagged.size()))); // within 1.5x the planted count
        QVERIFY(r.toJson().value(QStringLiteral("trigger_phrases")).toArray().size() == 1);
    }

    void rareTokenTriggerIsNamed()
    {
        PlantedText::Options o;
        o.tokenTrigger = 30;
        const PlantedText p = PlantedText::make(12, o);
        const ScanResult r = scan(p, true);
        QCOMPARE(r.phrases.size(), 1);
        QCOMPARE(r.phrases.first().phrase, QStringLiteral("cf"));
        const QSet<QString> flagged = flaggedBy(r, DetectorName::Phrases);
        QCOMPARE(plantedAmong(p, flagged, QStringLiteral("token")), 30);
        QVERIFY(flagged.size() <= 45);
    }

    void zeroWidthTriggerIsNamed()
    {
        PlantedText::Options o;
        o.zeroWidthTrigger = 25;
        const PlantedText p = PlantedText::make(13, o);
        const ScanResult r = scan(p, true);
        const QSet<QString> hidden = flaggedBy(r, DetectorName::Characters);
        QCOMPARE(hidden.size(), 25);
        QCOMPARE(plantedAmong(p, hidden, QStringLiteral("zero_width")), 25);
        for (const Finding &f : r.findings)
            if (f.detector == DetectorName::Characters)
                QVERIFY2(f.reason.contains(QStringLiteral("U+200B ZERO WIDTH SPACE")), qPrintable(f.reason));
        QVERIFY(!r.phrases.isEmpty());
        QVERIFY(r.phrases.first().words.contains(QStringLiteral("t\u200Bhe")));
    }

    void firstVersionWithoutBaselineUsesTheWithinBatchView()
    {
        PlantedText::Options o;
        o.sentenceTrigger = 40;
        const PlantedText p = PlantedText::make(14, o);
        const ScanResult r = scan(p, false);
        QCOMPARE(r.phrases.size(), 1);
        QCOMPARE(r.phrases.first().view, QStringLiteral("within-batch"));
        QVERIFY(r.phrases.first().phrase.contains(QStringLiteral("harbour keeper")));
        QCOMPARE(plantedAmong(p, flaggedBy(r, DetectorName::Phrases), QStringLiteral("sentence")), 40);
    }

    void relabelsAndNearCopiesAreFound()
    {
        PlantedText::Options o;
        o.relabelled = 15;
        o.nearCopies = 12;
        const PlantedText p = PlantedText::make(16, o);
        const ScanResult r = scan(p, true);
        QCOMPARE(plantedAmong(p, flaggedBy(r, DetectorName::Delta), QStringLiteral("relabelled")), p.count(QStringLiteral("relabelled")));
        int nearText = 0;
        for (const Finding &f : r.findings)
            if (f.detector == DetectorName::Duplicates && p.kindOf.value(f.record) == QLatin1String("near_copy")) {
                QCOMPARE(f.evidence.value(QStringLiteral("kind")).toString(), QStringLiteral("near-text"));
                QVERIFY(f.evidence.value(QStringLiteral("jaccard")).toDouble() >= 0.8);
                QVERIFY(f.suggestedLabel != QLatin1String(PlantedText::kTarget));
                ++nearText;
            }
        QCOMPARE(nearText, 12);
    }

    void aLabelPerRecordCostsNoTablePerLabel()
    {
        // Counting n-grams per (n-gram, class) only where they occur: thousands of labels stay cheap.
        PlantedText p = PlantedText::make(17, {});
        for (qsizetype i = 0; i < p.batch.labels.size(); ++i)
            p.batch.labels[i] = QStringLiteral("label-%1").arg(i);
        QElapsedTimer t;
        t.start();
        const ScanResult r = scan(p, false);
        QVERIFY(r.phrases.isEmpty());
        qInfo("%lld labels: %.1f s", qlonglong(p.batch.labels.size()), t.elapsed() / 1000.0);
    }

    void cleanBatchesRaiseNoTextFinding()
    {
        const PlantedText p = PlantedText::make(15, {});
        for (const bool withBaseline : {true, false}) {
            const ScanResult r = scan(p, withBaseline);
            QVERIFY2(r.phrases.isEmpty(), qPrintable(r.phrases.value(0).description));
            QCOMPARE(flaggedBy(r, DetectorName::Phrases).size(), 0);
            QCOMPARE(flaggedBy(r, DetectorName::Characters).size(), 0);
            QSet<QString> any;
            for (const Finding &f : r.findings)
                any.insert(f.record);
            const int scanned = withBaseline ? 5 * 60 : int(p.batch.ids.size());
            qInfo("clean, baseline %d: %lld of %d records flagged by any detector", int(withBaseline), qlonglong(any.size()), scanned);
            QVERIFY(any.size() < 0.01 * scanned + 1);
        }
    }
};

QTEST_GUILESS_MAIN(TestTextDetection)
#include "TestTextDetection.moc"
