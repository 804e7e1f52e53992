#include "findings/FindingsFilter.h"
#include "findings/FindingsModel.h"
#include "GuiTestHelpers.h"
#include "detection/ScanResult.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace custody;

namespace {

Finding finding(int row, const QString &detector, double score, const QString &suggested = {})
{
    Finding f;
    f.row = row;
    f.record = QStringLiteral("r%1").arg(row);
    f.detector = detector;
    f.score = score;
    f.threshold = 1;
    f.reason = QStringLiteral("%1 flagged r%2").arg(detector).arg(row);
    f.suggestedLabel = suggested;
    return f;
}

// Ten records r0..r9 in classes a (even rows) and b (odd rows). Flagged: r7 (spectral and label consistency,
// suggested a), r3 (spectral), r4 (delta); r9 was not scored.
std::shared_ptr<const ScanResult> handBuiltScan()
{
    auto r = std::make_shared<ScanResult>();
    r->version = QStringLiteral("t@v2");
    r->baseline = QStringLiteral("t@v1");
    for (int i = 0; i < 10; ++i) {
        r->ids << QStringLiteral("r%1").arg(i);
        r->labels << (i % 2 ? QStringLiteral("b") : QStringLiteral("a"));
        r->change.push_back(uint8_t(i == 4 ? RecordChange::Relabelled : i >= 6 ? RecordChange::New : RecordChange::Unchanged));
        r->suspicion.push_back(i == 9 ? NAN : float(i) / 10.0f);
        r->projectionX.push_back(float(i));
        r->projectionY.push_back(float(i % 3));
    }
    r->suspicion[7] = 5.0f;
    r->suspicion[3] = 3.0f;
    r->suspicion[4] = 2.0f;
    r->ranking = {Suspicion{7, QStringLiteral("r7"), 5.0, {DetectorName::Spectral, DetectorName::LabelConsistency}},
                  Suspicion{3, QStringLiteral("r3"), 3.0, {DetectorName::Spectral}},
                  Suspicion{4, QStringLiteral("r4"), 2.0, {DetectorName::Delta}}};
    r->findings = {finding(7, DetectorName::Spectral, 4.0), finding(7, DetectorName::LabelConsistency, 0.9, QStringLiteral("a")),
                   finding(3, DetectorName::Spectral, 2.5), finding(4, DetectorName::Delta, 1.0)};
    return r;
}

Decision decision(const QString &record, const QString &action, const QString &label = {})
{
    Decision d;
    d.recordId = record;
    d.action = action;
    d.label = label;
    d.seq = 1;
    return d;
}

QStringList column(const QAbstractItemModel *model, int column)
{
    QStringList out;
    for (int row = 0; row < model->rowCount(); ++row)
        out << model->index(row, column).data().toString();
    return out;
}

} // namespace

class TestFindingsModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rowsFollowTheRankingThenTheRest()
    {
        FindingsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        model.setResult(handBuiltScan());
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(model.columnCount(), int(FindingsModel::ColumnCount));
        QCOMPARE(model.flaggedCount(), 3);
        // Findings in ranking order, then the others by score, the unscored r9 last.
        QCOMPARE(column(&model, FindingsModel::Record),
                 (QStringList{"r7", "r3", "r4", "r8", "r6", "r5", "r2", "r1", "r0", "r9"}));
        QCOMPARE(model.index(0, FindingsModel::Class).data().toString(), QStringLiteral("b"));
        QCOMPARE(model.index(0, FindingsModel::Suggested).data().toString(), QStringLiteral("a"));
        QCOMPARE(model.index(0, FindingsModel::Detectors).data().toString(), QStringLiteral("spectral, label-consistency"));
        QCOMPARE(model.index(0, FindingsModel::Change).data().toString(), QStringLiteral("new"));
        QCOMPARE(model.index(2, FindingsModel::Change).data().toString(), QStringLiteral("relabelled"));
        QCOMPARE(model.index(1, FindingsModel::Change).data().toString(), QStringLiteral("—"));
        QCOMPARE(model.index(9, FindingsModel::Score).data().toString(), QStringLiteral("—"));
        QVERIFY(std::isnan(model.index(9, 0).data(FindingsModel::ScoreRole).toDouble()));
        QCOMPARE(model.index(0, 0).data(FindingsModel::BatchRowRole).toInt(), 7);
        QVERIFY(model.index(0, 0).data(FindingsModel::FlaggedRole).toBool());
        QVERIFY(!model.index(3, 0).data(FindingsModel::FlaggedRole).toBool());
        QCOMPARE(model.modelRow(4), 2);
        QCOMPARE(model.batchRow(2), 4);
        QCOMPARE(model.batchRowOf(QStringLiteral("r9")), 9);
        QCOMPARE(model.batchRowOf(QStringLiteral("nope")), -1);
        QCOMPARE(model.classes(), (QStringList{"a", "b"}));
        QCOMPARE(model.detectors(), (QStringList{DetectorName::Delta, DetectorName::Spectral, DetectorName::LabelConsistency}));
        model.setResult(nullptr);
        QCOMPARE(model.rowCount(), 0);
    }

    void decisionsRefreshOnlyTheirRows()
    {
        FindingsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setResult(handBuiltScan());
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setDecisions({decision(QStringLiteral("r3"), QStringLiteral("exclude")),
                            decision(QStringLiteral("r7"), QStringLiteral("relabel"), QStringLiteral("a"))});
        QCOMPARE(changed.count(), 2);
        QCOMPARE(reset.count(), 0);
        QCOMPARE(model.index(1, FindingsModel::DecisionColumn).data().toString(), QStringLiteral("exclude"));
        QCOMPARE(model.index(0, FindingsModel::DecisionColumn).data().toString(), QStringLiteral("relabel → a"));
        QCOMPARE(model.index(0, 0).data(FindingsModel::DecisionRole).toString(), QStringLiteral("relabel"));
        QVERIFY(model.decisionOf(QStringLiteral("r3")).has_value());
        changed.clear();
        // The same decisions again change nothing; withdrawing one refreshes that row only.
        model.setDecisions({decision(QStringLiteral("r3"), QStringLiteral("exclude")),
                            decision(QStringLiteral("r7"), QStringLiteral("relabel"), QStringLiteral("a"))});
        QCOMPARE(changed.count(), 0);
        model.setDecisions({decision(QStringLiteral("r7"), QStringLiteral("relabel"), QStringLiteral("a"))});
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.constFirst().at(0).toModelIndex().row(), 1);
        QVERIFY(model.index(1, FindingsModel::DecisionColumn).data().toString().isEmpty());
    }

    void filterByDetectorClassScoreAndDecision()
    {
        FindingsModel model;
        model.setResult(handBuiltScan());
        FindingsFilter filter;
        filter.setFindingsModel(&model);
        QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(column(&filter, FindingsModel::Record), (QStringList{"r7", "r3", "r4"}));

        QSignalSpy criteria(&filter, &FindingsFilter::criteriaChanged);
        filter.setDetector(DetectorName::Spectral);
        QCOMPARE(column(&filter, FindingsModel::Record), (QStringList{"r7", "r3"}));
        filter.setDetector(DetectorName::Spectral); // unchanged: no signal
        QCOMPARE(criteria.count(), 1);
        filter.setClassFilter(QStringLiteral("a"));
        QCOMPARE(filter.rowCount(), 0);
        filter.setDetector(QString());
        QCOMPARE(column(&filter, FindingsModel::Record), (QStringList{"r4"}));
        filter.setClassFilter(QString());
        filter.setMinimumScore(2.5);
        QCOMPARE(column(&filter, FindingsModel::Record), (QStringList{"r7", "r3"}));
        filter.setMinimumScore(-std::numeric_limits<double>::infinity());

        model.setDecisions({decision(QStringLiteral("r3"), QStringLiteral("exclude")),
                            decision(QStringLiteral("r4"), QStringLiteral("keep"))});
        filter.setDecisionFilter(FindingsFilter::DecisionFilter::Undecided);
        QCOMPARE(column(&filter, FindingsModel::Record), (QStringList{"r7"}));
        filter.setDecisionFilter(FindingsFilter::DecisionFilter::Exclude);
        QCOMPARE(column(&filter, FindingsModel::Record), (QStringList{"r3"}));
        filter.setDecisionFilter(FindingsFilter::DecisionFilter::Keep);
        QCOMPARE(column(&filter, FindingsModel::Record), (QStringList{"r4"}));
        filter.setDecisionFilter(FindingsFilter::DecisionFilter::Relabel);
        QCOMPARE(filter.rowCount(), 0);
        // A decision taken while the queue shows undecided findings takes the record out at once.
        filter.setDecisionFilter(FindingsFilter::DecisionFilter::Undecided);
        model.setDecisions({decision(QStringLiteral("r3"), QStringLiteral("exclude")),
                            decision(QStringLiteral("r4"), QStringLiteral("keep")), decision(QStringLiteral("r7"), QStringLiteral("keep"))});
        QCOMPARE(filter.rowCount(), 0);
        filter.setDecisionFilter(FindingsFilter::DecisionFilter::Any);

        filter.setShowAllRecords(true);
        QCOMPARE(filter.rowCount(), 10);
        filter.setMinimumScore(0.45);
        QCOMPARE(column(&filter, FindingsModel::Record), (QStringList{"r7", "r3", "r4", "r8", "r6", "r5"})); // unscored r9 out
    }

    void detectorCountsFollowTheOtherCriteria()
    {
        FindingsModel model;
        model.setResult(handBuiltScan());
        FindingsFilter filter;
        filter.setFindingsModel(&model);
        const QList<QPair<QString, int>> all{{QString(), 3}, {DetectorName::Delta, 1}, {DetectorName::Spectral, 2},
                                             {DetectorName::LabelConsistency, 1}};
        QCOMPARE(filter.detectorCounts(), all);
        // Choosing a detector does not change the counts the detector combo shows...
        filter.setDetector(DetectorName::Delta);
        QCOMPARE(filter.detectorCounts(), all);
        // ...but a class does.
        filter.setClassFilter(QStringLiteral("b"));
        const QList<QPair<QString, int>> b{{QString(), 2}, {DetectorName::Delta, 0}, {DetectorName::Spectral, 2},
                                           {DetectorName::LabelConsistency, 1}};
        QCOMPARE(filter.detectorCounts(), b);
    }

    void sortsOnEveryColumn_data()
    {
        QTest::addColumn<int>("column");
        QTest::addColumn<Qt::SortOrder>("order");
        QTest::addColumn<QStringList>("records");
        QTest::newRow("record") << int(FindingsModel::Record) << Qt::DescendingOrder << QStringList{"r7", "r4", "r3"};
        QTest::newRow("class") << int(FindingsModel::Class) << Qt::AscendingOrder << QStringList{"r4", "r7", "r3"};
        QTest::newRow("suggested") << int(FindingsModel::Suggested) << Qt::DescendingOrder << QStringList{"r7", "r3", "r4"};
        QTest::newRow("score") << int(FindingsModel::Score) << Qt::AscendingOrder << QStringList{"r4", "r3", "r7"};
        QTest::newRow("detectors") << int(FindingsModel::Detectors) << Qt::AscendingOrder << QStringList{"r4", "r3", "r7"};
        QTest::newRow("change") << int(FindingsModel::Change) << Qt::DescendingOrder << QStringList{"r4", "r7", "r3"};
        QTest::newRow("decision") << int(FindingsModel::DecisionColumn) << Qt::AscendingOrder << QStringList{"r7", "r4", "r3"};
    }

    void sortsOnEveryColumn()
    {
        QFETCH(int, column);
        QFETCH(Qt::SortOrder, order);
        QFETCH(QStringList, records);
        FindingsModel model;
        model.setResult(handBuiltScan());
        model.setDecisions({decision(QStringLiteral("r3"), QStringLiteral("relabel"), QStringLiteral("x")),
                            decision(QStringLiteral("r4"), QStringLiteral("keep"))});
        FindingsFilter filter;
        filter.setFindingsModel(&model);
        QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        filter.sort(column, order);
        QCOMPARE(::column(&filter, FindingsModel::Record), records);
    }

    void numericIdsSortAsNumbers()
    {
        auto r = std::make_shared<ScanResult>();
        for (int i : {10, 9, 100}) {
            r->ids << QString::number(i);
            r->labels << QStringLiteral("0");
            r->change.push_back(0);
            r->suspicion.push_back(1);
        }
        for (int row = 0; row < 3; ++row)
            r->ranking << Suspicion{row, r->ids.at(row), 1.0, {DetectorName::Outliers}};
        FindingsModel model;
        model.setResult(r);
        FindingsFilter filter;
        filter.setFindingsModel(&model);
        filter.sort(FindingsModel::Record, Qt::AscendingOrder);
        QCOMPARE(column(&filter, FindingsModel::Record), (QStringList{"9", "10", "100"}));
    }
};

QTEST_MAIN(TestFindingsModel)
#include "TestFindingsModel.moc"
