// Each detector on planted data (tests/support/PlantedPoison), in memory: what it is built to find is found,
// a clean batch yields few findings, and the scan is deterministic, cancellable and round-trips.
#include "PlantedPoison.h"

#include "sampling/DriftSample.h"
#include "detection/ScanEngine.h"

#include <QJsonDocument>
#include <QSet>
#include <QTest>

#include <cmath>

using namespace custody;
using namespace custody::test;

namespace {

ScanResult scan(const PlantedPoison &p, const QStringList &detectors = {}, const QString &representation = QStringLiteral("auto"),
                bool withBaseline = true)
{
    ScanOptions o;
    o.detectors = detectors;
    o.representation = representation;
    o.probeEpochs = 12;
    ScanEngine engine(o);
    ScanResult r;
    QString error;
    const bool ok = engine.scan(sampleOf(p.batch, QStringLiteral("t@v2")),
                                withBaseline ? sampleOf(p.baseline, QStringLiteral("t@v1")) : nullptr, &r, &error);
    if (!ok)
        qWarning("scan failed: %s", qPrintable(error));
    return r;
}

// Records of `kind` flagged by `detector` (any detector when empty).
int flagged(const ScanResult &r, const PlantedPoison &p, const QString &kind, const QString &detector = {})
{
    QSet<QString> found;
    for (const Finding &f : r.findings)
        if ((detector.isEmpty() || f.detector == detector) && p.kindOf.value(f.record) == kind)
            found.insert(f.record);
    return int(found.size());
}

int falsePositives(const ScanResult &r, const PlantedPoison &p, const QString &detector = {})
{
    QSet<QString> found;
    for (const Finding &f : r.findings)
        if ((detector.isEmpty() || f.detector == detector) && !p.kindOf.contains(f.record))
            found.insert(f.record);
    return int(found.size());
}

// Share of `kind` among the top 1.5 x count candidates of the class `label` by the detector's score (spectral
// signatures and whitened scores rank inside a class).
double recallAtBudget(const ScanResult &r, const PlantedPoison &p, const QString &detector, const QString &kind,
                      const QString &label = QStringLiteral("0"))
{
    const int d = int(r.detectorOrder.indexOf(detector));
    if (d < 0)
        return 0;
    std::vector<std::pair<float, int>> ranked;
    for (size_t i = 0; i < r.change.size(); ++i)
        if (r.change[i] != uint8_t(RecordChange::Unchanged) && std::isfinite(r.detectorScores[size_t(d)][i]) && r.labels[qsizetype(i)] == label)
            ranked.emplace_back(r.detectorScores[size_t(d)][i], int(i));
    std::sort(ranked.begin(), ranked.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
    const int planted = p.count(kind), budget = int(std::ceil(1.5 * planted));
    int hit = 0;
    for (int i = 0; i < budget && i < int(ranked.size()); ++i)
        hit += p.kindOf.value(r.ids[ranked[size_t(i)].second]) == kind;
    return double(hit) / planted;
}

} // namespace

class TestDetectors : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { m_planted = PlantedPoison::make(7); }

    void deltaFindsEveryRelabelAndNothingElse()
    {
        const ScanResult r = scan(m_planted, {DetectorName::Delta});
        QCOMPARE(flagged(r, m_planted, QStringLiteral("relabelled"), DetectorName::Delta), PlantedPoison::kRelabelled);
        QCOMPARE(r.findingsOf(DetectorName::Delta), PlantedPoison::kRelabelled);
        for (const Finding &f : r.findings) {
            QVERIFY(f.reason.startsWith(QStringLiteral("Relabelled since t@v1")));
            QVERIFY(!f.suggestedLabel.isEmpty() && f.suggestedLabel != f.label);
        }
    }

    void duplicatesFindExactAndNearCopiesWithConflictingLabels()
    {
        const ScanResult r = scan(m_planted, {DetectorName::Duplicates});
        QCOMPARE(flagged(r, m_planted, QStringLiteral("exact_copy"), DetectorName::Duplicates), PlantedPoison::kExactCopies);
        QCOMPARE(flagged(r, m_planted, QStringLiteral("near_copy"), DetectorName::Duplicates), PlantedPoison::kNearCopies);
        QCOMPARE(falsePositives(r, m_planted, DetectorName::Duplicates), 0);
        for (const Finding &f : r.findings) {
            QVERIFY(f.evidence.contains(QStringLiteral("other")));
            QCOMPARE(f.suggestedLabel, f.evidence.value(QStringLiteral("other_label")).toString());
        }
    }

    void spectralAndRobustCovarianceRankTheBackdoor_data()
    {
        QTest::addColumn<QString>("detector");
        QTest::addColumn<QString>("representation");
        QTest::newRow("spectral, pca") << DetectorName::Spectral << QStringLiteral("pca");
        QTest::newRow("robust-covariance, pca") << DetectorName::RobustCovariance << QStringLiteral("pca");
    }
    void spectralAndRobustCovarianceRankTheBackdoor()
    {
        QFETCH(QString, detector);
        QFETCH(QString, representation);
        const ScanResult r = scan(m_planted, {detector}, representation);
        QCOMPARE(r.representation, representation);
        // Chance would be about 0.16 (30 backdoor records among 280 candidates of class 0, 45 taken).
        QVERIFY2(recallAtBudget(r, m_planted, detector, QStringLiteral("backdoor")) >= 0.6,
                 qPrintable(QString::number(recallAtBudget(r, m_planted, detector, QStringLiteral("backdoor")))));
    }

    void labelConsistencySuggestsTheTrueLabel()
    {
        const ScanResult r = scan(m_planted, {DetectorName::LabelConsistency}, QStringLiteral("pca"));
        QVERIFY(flagged(r, m_planted, QStringLiteral("mislabelled"), DetectorName::LabelConsistency) >= PlantedPoison::kMislabelledNew - 1);
        int suggested2 = 0;
        for (const Finding &f : r.findings)
            if (m_planted.kindOf.value(f.record) == QLatin1String("mislabelled")) {
                suggested2 += f.suggestedLabel == QLatin1String("2");
                QVERIFY(f.evidence.value(QStringLiteral("neighbours")).toArray().size() == 10);
            }
        QVERIFY(suggested2 >= PlantedPoison::kMislabelledNew - 1);
    }

    void outliersAreFarFromTheirClass()
    {
        const ScanResult r = scan(m_planted, {DetectorName::Outliers}, QStringLiteral("pca"));
        QCOMPARE(flagged(r, m_planted, QStringLiteral("outlier"), DetectorName::Outliers), PlantedPoison::kOutliers);
    }

    void activationClusteringSplitsOffTheBackdoor()
    {
        // The backdoor is 30 of 280 new records of class 0 in the batch's class of 1,280: a small cluster of
        // records the baseline does not share.
        const ScanResult r = scan(m_planted, {DetectorName::ActivationClustering}, QStringLiteral("pca"));
        const int found = flagged(r, m_planted, QStringLiteral("backdoor"), DetectorName::ActivationClustering);
        QVERIFY2(found >= PlantedPoison::kBackdoor * 8 / 10, qPrintable(r.summaries.value(0).note));
        QVERIFY(falsePositives(r, m_planted, DetectorName::ActivationClustering) <= 3);
    }

    void triggerIsLocalisedAndEveryCarrierFound()
    {
        const ScanResult r = scan(m_planted);
        QCOMPARE(r.masks.size(), 1);
        const TriggerMask &m = r.masks.first();
        QCOMPARE(m.label, QStringLiteral("0"));
        QCOMPARE(m.width, PlantedPoison::kSide);
        QVERIFY2(m.description.contains(QStringLiteral("bright 3x3 patch at rows 11-13, columns 11-13")), qPrintable(m.description));
        QCOMPARE(int(m.weights.size()), PlantedPoison::kSide * PlantedPoison::kSide);
        QCOMPARE(flagged(r, m_planted, QStringLiteral("backdoor"), DetectorName::Trigger), PlantedPoison::kBackdoor);
    }

    void combinedRankingPutsPlantedRecordsFirst()
    {
        const ScanResult r = scan(m_planted);
        QVERIFY(!r.ranking.isEmpty());
        for (int i = 1; i < r.ranking.size(); ++i)
            QVERIFY(r.ranking[i - 1].score >= r.ranking[i].score);
        const int planted = int(m_planted.kindOf.size());
        int hits = 0;
        for (int i = 0; i < planted && i < r.ranking.size(); ++i)
            hits += m_planted.kindOf.contains(r.ranking[i].record);
        QVERIFY2(hits >= planted * 9 / 10, qPrintable(QStringLiteral("%1 of %2").arg(hits).arg(planted)));
        for (const Finding &f : r.findings) {
            QVERIFY(!f.reason.isEmpty());
            QVERIFY(std::isfinite(f.score) && std::isfinite(f.threshold));
            QCOMPARE(r.ids.value(f.row), f.record);
        }
        // Unchanged records were approved already: never findings, never scored.
        for (const Finding &f : r.findings)
            QVERIFY(r.change[size_t(f.row)] != uint8_t(RecordChange::Unchanged));
    }

    void cleanBatchYieldsFewFindings()
    {
        const PlantedPoison clean = PlantedPoison::make(11, true);
        const ScanResult r = scan(clean);
        QCOMPARE(r.findingsOf(DetectorName::Delta), 0);
        QCOMPARE(r.findingsOf(DetectorName::Duplicates), 0);
        QVERIFY(r.masks.isEmpty());
        // 200 new clean records; calibration at alpha = 0.001 per detector.
        QStringList which;
        for (const Finding &f : r.findings)
            which << f.detector;
        QVERIFY2(r.ranking.size() <= 4, qPrintable(which.join(QStringLiteral(","))));
    }

    void withoutBaselineSingleDatasetDetectorsRun()
    {
        const ScanResult r = scan(m_planted, {}, QStringLiteral("pca"), false);
        QVERIFY(r.baseline.isEmpty());
        QCOMPARE(r.findingsOf(DetectorName::Delta), 0);
        QCOMPARE(int(r.change.size()), int(m_planted.batch.count()));
        // Exact copies inside the version still conflict with their originals.
        QVERIFY(flagged(r, m_planted, QStringLiteral("exact_copy"), DetectorName::Duplicates) == PlantedPoison::kExactCopies);
        QVERIFY(r.ranking.size() < int(m_planted.batch.count()) / 10);
    }

    void sameSeedSameResult()
    {
        const ScanResult a = scan(m_planted), b = scan(m_planted);
        QCOMPARE(a.resultDigest(), b.resultDigest());
        QCOMPARE(a.arrays(), b.arrays());
    }

    void resultRoundTripsAndDamageIsRefused()
    {
        const ScanResult r = scan(m_planted);
        ScanResult back;
        QString error;
        QVERIFY(ScanResult::fromJson(r.toJson(), &back, &error));
        QVERIFY(back.setArrays(r.arrays(), &error));
        QCOMPARE(back.resultDigest(), r.resultDigest());
        QCOMPARE(back.ids, r.ids);
        QCOMPARE(back.reduced, r.reduced);
        QByteArray damaged = r.arrays();
        damaged.chop(7);
        QVERIFY(!back.setArrays(damaged, &error));
        QVERIFY(error.contains(QStringLiteral("damaged")));
        QVERIFY(!ScanResult::fromJson(QJsonObject{{QStringLiteral("kind"), QStringLiteral("drift")}}, &back, &error));
    }

    void cancelStopsTheScan()
    {
        std::atomic_bool cancel{true};
        ScanEngine engine;
        engine.setCancelFlag(&cancel);
        ScanResult r;
        QString error;
        QVERIFY(!engine.scan(sampleOf(m_planted.batch, QStringLiteral("t@v2")), sampleOf(m_planted.baseline, QStringLiteral("t@v1")), &r, &error));
        QCOMPARE(error, QStringLiteral("cancelled"));
    }

    // Cancelled while it runs (once the neighbours are being searched), not only before it starts: the scan
    // stops with "cancelled" and runs no detector after the flag was set.
    void cancelDuringTheScanStopsIt()
    {
        std::atomic_bool cancel{false};
        ScanEngine engine;
        engine.setCancelFlag(&cancel);
        QStringList phases;
        engine.setProgress([&](const Progress &p) {
            if (!phases.contains(p.phase))
                phases << p.phase;
            if (p.phase == QLatin1String("Finding neighbours"))
                cancel = true;
        });
        ScanResult r;
        QString error;
        QVERIFY(!engine.scan(sampleOf(m_planted.batch, QStringLiteral("t@v2")), sampleOf(m_planted.baseline, QStringLiteral("t@v1")), &r, &error));
        QCOMPARE(error, QStringLiteral("cancelled"));
        QVERIFY2(phases.contains(QStringLiteral("Finding neighbours")), qPrintable(phases.join(QLatin1Char(','))));
        for (const QString &phase : std::as_const(phases))
            QVERIFY2(!phase.startsWith(QLatin1String("Detector:")) && phase != QLatin1String("Ranking"), qPrintable(phase));
        QVERIFY(r.findings.isEmpty());
    }

    // Auto picks the embeddings when every record of both versions has one, else the probe network when the
    // batch has labels of two classes or more, else PCA; the choice is in the findings document, which the
    // ledger's result digest covers, and comes back when it is read.
    void representationIsChosenInOrderAndRecorded()
    {
        const auto withEmbeddings = [](std::shared_ptr<DriftSample> s, int dims, bool all) {
            s->embeddingDims = dims;
            s->embeddings.assign(size_t(s->rows()) * size_t(dims), 0.0f);
            for (int64_t r = 0; r < s->rows(); ++r)
                for (int d = 0; d < dims; ++d)
                    s->embeddings[size_t(r) * size_t(dims) + size_t(d)] = float((r * 7 + d * 3) % 11) + float(s->labels[size_t(r)]);
            s->hasEmbedding.assign(size_t(s->rows()), 1);
            if (!all)
                s->hasEmbedding[0] = 0;
            return s;
        };
        const auto chosen = [](std::shared_ptr<DriftSample> batch, std::shared_ptr<DriftSample> baseline, ScanResult *out) {
            ScanOptions o;
            o.detectors = {QStringLiteral("outliers")};
            ScanResult r;
            QString error;
            if (!ScanEngine(o).scan(batch, baseline, &r, &error))
                return QStringLiteral("failed: ") + error;
            if (out)
                *out = r;
            return r.representation;
        };
        const auto batch = [&] { return sampleOf(m_planted.batch, QStringLiteral("t@v2")); };
        const auto baseline = [&] { return sampleOf(m_planted.baseline, QStringLiteral("t@v1")); };
        ScanResult embedded;
        QCOMPARE(chosen(withEmbeddings(batch(), 4, true), withEmbeddings(baseline(), 4, true), &embedded), QStringLiteral("embeddings"));
        QVERIFY2(embedded.representationDetail.contains(QLatin1String("4 dimensions")), qPrintable(embedded.representationDetail));
        QCOMPARE(chosen(withEmbeddings(batch(), 4, true), withEmbeddings(baseline(), 4, false), nullptr), QStringLiteral("probe"));
        QCOMPARE(chosen(batch(), baseline(), nullptr), QStringLiteral("probe"));
        auto unlabelled = batch();
        std::fill(unlabelled->labels.begin(), unlabelled->labels.end(), -1);
        ScanResult pca;
        QCOMPARE(chosen(unlabelled, nullptr, &pca), QStringLiteral("pca"));

        // Recorded: the findings document names it, and reading the document back restores it.
        const QJsonObject document = embedded.toJson();
        QCOMPARE(document.value(QStringLiteral("representation")).toObject().value(QStringLiteral("kind")).toString(), QStringLiteral("embeddings"));
        ScanResult back;
        QString error;
        QVERIFY2(ScanResult::fromJson(document, &back, &error), qPrintable(error));
        QCOMPARE(back.representation, embedded.representation);
        QCOMPARE(back.representationDetail, embedded.representationDetail);
        ScanResult altered = embedded; // the digest covers the choice: another representation, another digest
        altered.representation = QStringLiteral("pca");
        QVERIFY(altered.resultDigest() != embedded.resultDigest());
    }

    void unknownDetectorIsNamed()
    {
        ScanOptions o;
        o.detectors = {QStringLiteral("magic")};
        ScanEngine engine(o);
        ScanResult r;
        QString error;
        QVERIFY(!engine.scan(sampleOf(m_planted.batch, QStringLiteral("t@v2")), nullptr, &r, &error));
        QVERIFY(error.contains(QStringLiteral("unknown detector 'magic'")));
    }

private:
    PlantedPoison m_planted;
};

QTEST_GUILESS_MAIN(TestDetectors)
#include "TestDetectors.moc"
