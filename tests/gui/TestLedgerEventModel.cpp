#include "ledger/LedgerEventModel.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace custody;

namespace {
LedgerEvent makeEvent(qint64 seq, const QString &actor, const QString &type, const QJsonObject &body)
{
    LedgerEvent e;
    e.seq = seq;
    e.time = QStringLiteral("2025-11-20T09:30:%1Z").arg(seq, 2, 10, QLatin1Char('0'));
    e.actor = actor;
    e.type = type;
    e.payload = QJsonDocument(QJsonObject{{QStringLiteral("body"), body}}).toJson(QJsonDocument::Compact);
    e.hash.fill(quint8(seq));
    return e;
}
} // namespace

// The ledger's table model alone: lines a person can read, filters, and the row a verification points at.
class TestLedgerEventModel : public QObject
{
    Q_OBJECT

private:
    QHash<QString, QString> m_names{{QStringLiteral("k-ada"), QStringLiteral("ada")}, {QStringLiteral("k-cora"), QStringLiteral("cora")}};

    QList<LedgerRow> rows()
    {
        const QString v2 = QStringLiteral("animals@v2");
        return {
            LedgerEventModel::rowFor(makeEvent(1, {}, EventType::VersionIngested,
                                           {{QStringLiteral("version"), QStringLiteral("animals@v1")}, {QStringLiteral("digest"), QStringLiteral("ab12cd34ef56aa77")}}),
                                     m_names),
            LedgerEventModel::rowFor(makeEvent(2, QStringLiteral("k-root"), EventType::Genesis,
                                           {{QStringLiteral("admin"), QJsonObject{{QStringLiteral("name"), QStringLiteral("root")}}},
                                            {QStringLiteral("policy"), QJsonObject{{QStringLiteral("approvals_required"), 2}}},
                                            {QStringLiteral("adopts"), QJsonObject{{QStringLiteral("tree_size"), 1}}}}),
                                     m_names),
            LedgerEventModel::rowFor(makeEvent(3, QStringLiteral("k-cora"), EventType::DecisionMade,
                                           {{QStringLiteral("version"), v2}, {QStringLiteral("record"), QStringLiteral("r7")},
                                            {QStringLiteral("action"), QStringLiteral("relabel")}, {QStringLiteral("label"), QStringLiteral("fox")}}),
                                     m_names),
            LedgerEventModel::rowFor(makeEvent(4, QStringLiteral("k-cora"), EventType::BatchSubmitted,
                                           {{QStringLiteral("version"), v2}, {QStringLiteral("batch_digest"), QStringLiteral("0123456789abcdef0123")}}),
                                     m_names),
            LedgerEventModel::rowFor(makeEvent(5, QStringLiteral("k-ada"), EventType::BatchVetoed,
                                           {{QStringLiteral("version"), v2}, {QStringLiteral("reason"), QStringLiteral("trigger patch in r9")}}),
                                     m_names),
        };
    }

private Q_SLOTS:
    void readableLines()
    {
        const QList<LedgerRow> r = rows();
        QCOMPARE(r.at(0).actorName, LedgerEventModel::kUnsigned);
        QCOMPARE(r.at(0).summary, QStringLiteral("animals@v1 ingested, digest ab12cd34ef56…"));
        QCOMPARE(r.at(1).actorName, QStringLiteral("root")); // the genesis names its own signer
        QVERIFY(r.at(1).summary.contains(QLatin1String("a release needs 2 approvals")));
        QCOMPARE(r.at(2).summary, QStringLiteral("animals@v2 record 'r7': relabel → fox"));
        QCOMPARE(r.at(4).summary, QStringLiteral("animals@v2 vetoed: “trigger patch in r9”"));
    }

    void filtersByTypeActorAndText()
    {
        LedgerEventModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRows(rows());
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.columnCount(), int(LedgerEventModel::ColumnCount));
        QCOMPARE(model.types().size(), 5);
        QCOMPARE(model.actorNames(), (QStringList{LedgerEventModel::kUnsigned, QStringLiteral("ada"), QStringLiteral("cora"), QStringLiteral("root")}));

        model.setFilter({}, QStringLiteral("cora"), {});
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(model.isFiltered());
        model.setFilter(EventType::BatchSubmitted, QStringLiteral("cora"), {});
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.index(0, LedgerEventModel::SeqColumn).data().toLongLong(), qint64(4));
        model.setFilter({}, {}, QStringLiteral("TRIGGER"));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.rowOfSeq(5), 0);
        QCOMPARE(model.rowOfSeq(3), -1); // filtered out
        model.setFilter({}, {}, QStringLiteral("0303")); // a hash prefix
        QCOMPARE(model.rowCount(), 1);
        model.setFilter({}, {}, {});
        QCOMPARE(model.rowOfSeq(3), 2);
        QCOMPARE(model.index(2, LedgerEventModel::HashColumn).data().toString(), QStringLiteral("030303030303"));
        QCOMPARE(model.index(2, LedgerEventModel::HashColumn).data(Qt::ToolTipRole).toString(), QString(QStringLiteral("03").repeated(32)));
    }

    void marksTheBrokenEvent()
    {
        LedgerEventModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRows(rows());
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setBroken(3, QStringLiteral("its hash does not match its payload and signature"));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.constFirst().constFirst().toModelIndex().row(), 2);
        QVERIFY(model.index(2, LedgerEventModel::SummaryColumn).data(Qt::BackgroundRole).isValid());
        QCOMPARE(model.index(2, LedgerEventModel::TypeColumn).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("its hash does not match its payload and signature"));
        QVERIFY(!model.index(1, 0).data(Qt::BackgroundRole).isValid());
        model.setRows(rows()); // new rows forget the mark
        QCOMPARE(model.brokenSeq(), qint64(0));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_MAIN(TestLedgerEventModel)
#include "TestLedgerEventModel.moc"
