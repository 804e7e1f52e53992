#include "versions/RecordLoader.h"
#include "versions/RecordTableModel.h"
#include "versions/RecordsPanel.h"
#include "WorkspaceFixture.h"
#include "storage/Workspace.h"

#include <QAbstractItemModelTester>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace custody;
using namespace custody::test;

class TestRecordTableModel : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<WorkspaceFixture> m_fixture;
    DatasetVersion m_small; // 1,000 records
    DatasetVersion m_large; // 200,000 records

    QString idAt(const RecordTableModel &model, int row)
    {
        return model.data(model.index(row, RecordTableModel::IdColumn)).toString();
    }

    // Asks for a row, then waits until the loader has delivered it.
    QString loadedIdAt(RecordTableModel &model, int row)
    {
        idAt(model, row);
        if (!QTest::qWaitFor([&] { return model.isRowLoaded(row); }, 10000))
            return QStringLiteral("(never loaded)");
        return idAt(model, row);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_fixture = std::make_unique<WorkspaceFixture>();
        QVERIFY2(m_fixture->isValid(), qPrintable(m_fixture->error()));
        const qint64 small = m_fixture->ingestCsv(QStringLiteral("animals"), QStringLiteral("v1"), numberedRecords(1000));
        QVERIFY2(small, qPrintable(m_fixture->error()));
        const QString big = m_fixture->filePath(QStringLiteral("big.csv"));
        QVERIFY(writeNumberedCsv(big, 200000));
        const qint64 large = m_fixture->ingest(QStringLiteral("big"), QStringLiteral("v1"), {big});
        QVERIFY2(large, qPrintable(m_fixture->error()));
        QString error;
        m_small = *m_fixture->workspace().versionById(small, &error);
        m_large = *m_fixture->workspace().versionById(large, &error);
        m_fixture->release();
    }

    void passesTheModelTester()
    {
        RecordTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setVersion(m_fixture->path(), m_small);
        QCOMPARE(model.rowCount(), 1000);
        QCOMPARE(model.columnCount(), RecordTableModel::FirstFeatureColumn + 3);
        QCOMPARE(loadedIdAt(model, 0), QStringLiteral("r0"));
        model.sort(RecordTableModel::IdColumn, Qt::DescendingOrder);
        QTRY_VERIFY(!model.isBusy());
        model.setFilter(QStringLiteral("r12"));
        QTRY_VERIFY(!model.isBusy());
        QCOMPARE(loadedIdAt(model, 0), QStringLiteral("r129"));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void reportsTheFullRowCountAndPlaceholders()
    {
        RecordTableModel model;
        model.setVersion(m_fixture->path(), m_large);
        QCOMPARE(model.rowCount(), 200000);
        QSignalSpy loaded(&model, &RecordTableModel::rowsLoaded);
        // Nothing is read until someone asks; then the row shows a placeholder until its chunk arrives.
        QCOMPARE(idAt(model, 150000), RecordTableModel::kPlaceholder);
        QTRY_VERIFY(model.isRowLoaded(150000));
        QCOMPARE(idAt(model, 150000), QStringLiteral("r150000"));
        QCOMPARE(loaded.count(), 1);
        const int first = loaded.at(0).at(0).toInt();
        QCOMPARE(first, 150000 / int(RecordLoader::kChunkSize) * int(RecordLoader::kChunkSize));
        QCOMPARE(model.data(model.index(150000, RecordTableModel::LabelColumn)).toString(), QStringLiteral("cat"));
        QCOMPARE(model.data(model.index(150000, RecordTableModel::FirstFeatureColumn)).toString(),
                 QStringLiteral("150000"));
        QCOMPARE(model.data(model.index(150000, RecordTableModel::ContentHashColumn), Qt::ToolTipRole).toString().size(),
                 64);
    }

    void aNaturalViewResetsOnlyOnce()
    {
        RecordTableModel model;
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        model.setVersion(m_fixture->path(), m_small);
        const int afterSet = resets.count();
        QCOMPARE(loadedIdAt(model, 300), QStringLiteral("r300"));
        model.setFilter(QStringLiteral("r1"));
        QTRY_VERIFY(!model.isBusy());
        model.setFilter(QString()); // back to the natural view: applied at once
        QCOMPARE(model.rowCount(), 1000);
        const int afterClear = resets.count();
        QCOMPARE(loadedIdAt(model, 700), QStringLiteral("r700"));
        QTest::qWait(100);
        QCOMPARE(resets.count(), afterClear); // the loader's echo of that view changes nothing
        QCOMPARE(afterClear, afterSet + 2);
    }

    void cacheStaysBounded()
    {
        RecordTableModel model;
        model.setVersion(m_fixture->path(), m_small);
        for (int row = 0; row < 1000; row += 256)
            QCOMPARE(loadedIdAt(model, row), QStringLiteral("r%1").arg(row));
        QVERIFY(model.loadedChunkCount() <= RecordTableModel::kCacheChunks);
        QCOMPARE(model.loadedChunkCount(), 4);
    }

    void sortsInTheStore_data()
    {
        QTest::addColumn<int>("column");
        QTest::addColumn<int>("order");
        QTest::addColumn<QString>("firstId");
        QTest::newRow("row descending") << int(RecordTableModel::RowColumn) << int(Qt::DescendingOrder) << "r999";
        QTest::newRow("id ascending") << int(RecordTableModel::IdColumn) << int(Qt::AscendingOrder) << "r0";
        QTest::newRow("id descending") << int(RecordTableModel::IdColumn) << int(Qt::DescendingOrder) << "r999";
        QTest::newRow("x descending") << int(RecordTableModel::FirstFeatureColumn) << int(Qt::DescendingOrder)
                                      << "r999";
        QTest::newRow("label ascending") << int(RecordTableModel::LabelColumn) << int(Qt::AscendingOrder) << "r2";
    }

    void sortsInTheStore()
    {
        QFETCH(int, column);
        QFETCH(int, order);
        QFETCH(QString, firstId);
        RecordTableModel model;
        model.setVersion(m_fixture->path(), m_small);
        QSignalSpy busy(&model, &RecordTableModel::busyChanged);
        model.sort(column, Qt::SortOrder(order));
        QTRY_VERIFY(!model.isBusy());
        QCOMPARE(busy.count(), 2); // sorting…, then done
        QCOMPARE(model.rowCount(), 1000);
        QCOMPARE(loadedIdAt(model, 0), firstId);
    }

    void filtersInTheStore()
    {
        RecordTableModel model;
        model.setVersion(m_fixture->path(), m_small);
        model.setFilter(QStringLiteral("BIRD")); // case-insensitive, on the label
        QTRY_VERIFY(!model.isBusy());
        QCOMPARE(model.rowCount(), 333);
        QCOMPARE(loadedIdAt(model, 0), QStringLiteral("r2"));
        model.setFilter(QStringLiteral("r99"));
        QTRY_VERIFY(!model.isBusy());
        QCOMPARE(model.rowCount(), 11); // r99, r990..r999
        model.setFilter(QString());
        QCOMPARE(model.rowCount(), 1000); // the natural view needs no ordering pass
    }

    void newerRequestsSupersedeOlderOnes()
    {
        RecordTableModel model;
        model.setVersion(m_fixture->path(), m_large);
        QSignalSpy applied(&model, &RecordTableModel::viewApplied);
        model.sort(RecordTableModel::IdColumn, Qt::DescendingOrder);
        model.setFilter(QStringLiteral("r1999"));
        model.sort(RecordTableModel::IdColumn, Qt::AscendingOrder);
        QTRY_VERIFY_WITH_TIMEOUT(!model.isBusy(), 20000);
        QCOMPARE(applied.count(), 1); // only the newest view is ever shown
        QCOMPARE(model.rowCount(), 111); // r1999, r19990..r19999, r199900..r199999
        QCOMPARE(loadedIdAt(model, 0), QStringLiteral("r1999"));
    }

    void panelFiltersAndSortsLikeAPerson()
    {
        RecordsPanel panel;
        panel.resize(900, 500);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.showVersion(m_fixture->path(), m_small);
        auto *status = panel.findChild<QLabel *>(QStringLiteral("recordStatus"));
        QVERIFY(status);
        QCOMPARE(status->text(), QStringLiteral("1,000 records"));
        QTRY_COMPARE(panel.model()->data(panel.model()->index(0, RecordTableModel::IdColumn)).toString(),
                     QStringLiteral("r0"));

        QTest::keyClicks(panel.filterEdit(), QStringLiteral("r12"));
        QTRY_COMPARE(panel.model()->rowCount(), 11);
        QTRY_COMPARE(status->text(), QStringLiteral("11 of 1,000 records match"));

        // A click on the Id header sorts ascending, a second click descending.
        QHeaderView *header = panel.table()->horizontalHeader();
        const QPoint idHeader(header->sectionViewportPosition(RecordTableModel::IdColumn) + 10, header->height() / 2);
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, idHeader);
        QTRY_COMPARE(panel.model()->sortColumn(), int(RecordTableModel::IdColumn));
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, idHeader);
        QTRY_COMPARE(panel.model()->sortOrder(), Qt::DescendingOrder);
        QTRY_VERIFY(!panel.model()->isBusy());
        QTRY_COMPARE(panel.model()->data(panel.model()->index(0, RecordTableModel::IdColumn)).toString(),
                     QStringLiteral("r129"));
    }

    void jumpingToTheLastRowShowsRealData()
    {
        QTableView view;
        RecordTableModel model;
        view.setModel(&model);
        view.verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
        view.resize(800, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        model.setVersion(m_fixture->path(), m_large);
        QTRY_VERIFY(model.isRowLoaded(0));
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, view.visualRect(model.index(0, 1)).center());
        QCOMPARE(view.currentIndex().row(), 0);

        // Timings live in bench/bench_ui_records_table; this checks the behaviour: the jump lands on the
        // last row, which shows placeholders only until the loader delivers its chunk.
        QTest::keyClick(&view, Qt::Key_End, Qt::ControlModifier);
        QCOMPARE(view.currentIndex().row(), 199999);
        QTRY_VERIFY(model.isRowLoaded(199999));
        QCOMPARE(model.data(model.index(199999, RecordTableModel::IdColumn)).toString(), QStringLiteral("r199999"));
        QVERIFY(model.loadedChunkCount() <= RecordTableModel::kCacheChunks);
        // The rows near the end that the view shows are real too, not placeholders.
        const int top = view.rowAt(0);
        QVERIFY(top > 199900);
        QTRY_VERIFY(model.isRowLoaded(top));
        QCOMPARE(model.data(model.index(top, RecordTableModel::IdColumn)).toString(), QStringLiteral("r%1").arg(top));
    }
};

QTEST_MAIN(TestRecordTableModel)
#include "TestRecordTableModel.moc"
