#include "GuiTestHelpers.h"
#include "ingest/IngestDialog.h"
#include "ingest/IngestSourcePanel.h"
#include "session/BackgroundJob.h"
#include "shell/MainWindow.h"
#include "widgets/MessageBar.h"
#include "versions/RecordTableModel.h"
#include "versions/RecordsPanel.h"
#include "TestSupport.h"
#include "versions/VersionDetailsView.h"
#include "versions/VersionsPage.h"
#include "GuiSigning.h"
#include "WorkspaceFixture.h"
#include "session/WorkspaceSession.h"
#include "storage/Workspace.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

using namespace custody;
using namespace custody::test;

class TestIngestDialog : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<WorkspaceFixture> m_fixture;
    QString m_csv;
    QString m_bigCsv;

    template<typename T>
    static T *child(QWidget *parent, const char *name)
    {
        T *w = parent->findChild<T *>(QLatin1String(name));
        if (!w)
            qWarning("no widget %s", name);
        return w;
    }

    static void typeInto(QLineEdit *edit, const QString &text)
    {
        edit->selectAll();
        QTest::keyClick(edit, Qt::Key_Backspace);
        QTest::keyClicks(edit, text);
    }

    static void typeInto(QComboBox *combo, const QString &text)
    {
        typeInto(combo->lineEdit(), text);
    }

    static void choose(QComboBox *combo, const QString &text)
    {
        const int i = combo->findText(text);
        QVERIFY2(i >= 0, qPrintable(text));
        combo->setCurrentIndex(i);
    }

    IngestDialog *openDialog(MainWindow &w)
    {
        w.findChild<QAction *>(QStringLiteral("action_ingest"))->trigger();
        return waitForTopLevel<IngestDialog>(QStringLiteral("ingestDialog"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        isolateSettings();
        m_fixture = std::make_unique<WorkspaceFixture>();
        QVERIFY2(m_fixture->isValid(), qPrintable(m_fixture->error()));
        QVERIFY2(m_fixture->ingestCsv(QStringLiteral("animals"), QStringLiteral("v1"), numberedRecords(40)),
                 qPrintable(m_fixture->error()));
        m_fixture->release();
        m_csv = m_fixture->filePath(QStringLiteral("delivery.csv"));
        QVERIFY(writeCsv(m_csv, numberedRecords(60)));
        m_bigCsv = m_fixture->filePath(QStringLiteral("big.csv"));
        QVERIFY(writeNumberedCsv(m_bigCsv, 600000));
    }

    void ingestsEndToEnd()
    {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.openWorkspace(m_fixture->path()));
        IngestDialog *dialog = openDialog(w);
        QVERIFY(dialog);

        typeInto(child<QLineEdit>(dialog, "ingestPaths"), m_csv);
        auto *preview = child<QTableWidget>(dialog, "ingestPreview");
        QTRY_COMPARE(preview->rowCount(), 50);
        auto *format = child<QComboBox>(dialog, "ingestFormat");
        QCOMPARE(format->itemText(0), QStringLiteral("Auto-detect (csv)"));
        auto *idColumn = child<QComboBox>(dialog, "ingestIdColumn");
        auto *labelColumn = child<QComboBox>(dialog, "ingestLabelColumn");
        QCOMPARE(idColumn->itemText(0), QStringLiteral("(row number)"));
        QCOMPARE(labelColumn->itemText(0), QStringLiteral("(none)"));
        QVERIFY(idColumn->findText(QStringLiteral("colour")) > 0);
        choose(idColumn, QStringLiteral("(row number)"));
        QTRY_COMPARE(preview->item(1, 0)->text(), QStringLiteral("1")); // ids follow the choice
        choose(idColumn, QStringLiteral("id"));
        choose(labelColumn, QStringLiteral("label"));
        QTRY_COMPARE(preview->item(1, 0)->text(), QStringLiteral("r1"));
        QCOMPARE(preview->item(1, 1)->text(), QStringLiteral("dog"));

        auto *dataset = child<QComboBox>(dialog, "ingestDataset");
        QCOMPARE(dataset->currentText(), QStringLiteral("animals"));
        auto *label = child<QLineEdit>(dialog, "ingestVersion");
        QCOMPARE(label->text(), QStringLiteral("v2")); // suggested after v1
        auto *parent = child<QComboBox>(dialog, "ingestParent");
        QCOMPARE(parent->currentText(), QStringLiteral("v1"));
        typeInto(child<QLineEdit>(dialog, "ingestSourceUri"), QStringLiteral("s3://vendor/delivery.csv"));
        typeInto(child<QLineEdit>(dialog, "ingestSupplier"), QStringLiteral("Vendor Ltd"));
        typeInto(child<QLineEdit>(dialog, "ingestLicense"), QStringLiteral("proprietary"));
        typeInto(child<QLineEdit>(dialog, "ingestAcquiredAt"), QStringLiteral("2025-11-21"));

        QSignalSpy ingested(dialog, &IngestDialog::ingested);
        QSignalSpy progress(dialog->findChild<BackgroundJob *>(QStringLiteral("ingestJob")), &BackgroundJob::progressed);
        QTest::mouseClick(child<QPushButton>(dialog, "ingestStartButton"), Qt::LeftButton);
        QVERIFY(dialog->isRunning());
        QVERIFY(!child<QLineEdit>(dialog, "ingestPaths")->isEnabled()); // inputs wait for the worker
        QVERIFY(child<QProgressBar>(dialog, "ingestProgress")->isVisible());
        QTRY_COMPARE(ingested.count(), 1);
        QVERIFY(progress.count() >= 1);
        QTRY_VERIFY(!findTopLevel<IngestDialog>(QStringLiteral("ingestDialog")));

        // The new version is in the timeline, selected, with the provenance that was typed.
        const auto v2 = w.session()->findVersion(VersionRef{QStringLiteral("animals"), QStringLiteral("v2")});
        QVERIFY(v2);
        QCOMPARE(v2->recordCount, 60);
        QCOMPARE(v2->parentLabel, QStringLiteral("v1"));
        QCOMPARE(w.page<VersionsPage>()->currentVersionId(), v2->id);
        QCOMPARE(w.page<VersionsPage>()->details()->fieldText(QStringLiteral("source")),
                 QStringLiteral("s3://vendor/delivery.csv"));
        QCOMPARE(w.page<VersionsPage>()->details()->fieldText(QStringLiteral("acquired")), QStringLiteral("2025-11-21"));
        QCOMPARE(w.findChild<QLabel *>(QStringLiteral("statusVersionCount"))->text(), QStringLiteral("2 versions"));
    }

    void ingestsIdxImagesWithTheirLabelsFile()
    {
        // Two files make one source: IDX images and their IDX labels, as MNIST ships them.
        const QString images = m_fixture->filePath(QStringLiteral("digits-images-idx3-ubyte"));
        const QString labels = m_fixture->filePath(QStringLiteral("digits-labels-idx1-ubyte"));
        QByteArray imageBytes = QByteArray::fromHex("00000803000000050000000400000004");
        QByteArray labelBytes = QByteArray::fromHex("0000080100000005");
        for (int i = 0; i < 5; ++i) {
            for (int p = 0; p < 16; ++p)
                imageBytes.append(char((p * 16 + i * 40) & 0xff));
            labelBytes.append(char(i % 3));
        }
        QVERIFY(writeFile(images, imageBytes));
        QVERIFY(writeFile(labels, labelBytes));

        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.openWorkspace(m_fixture->path()));
        IngestDialog *dialog = openDialog(w);
        QVERIFY(dialog);
        typeInto(child<QLineEdit>(dialog, "ingestPaths"), IngestSourcePanel::joinPaths({images, labels}));
        auto *preview = child<QTableWidget>(dialog, "ingestPreview");
        QTRY_COMPARE(preview->rowCount(), 5);
        QCOMPARE(child<QComboBox>(dialog, "ingestFormat")->itemText(0), QStringLiteral("Auto-detect (idx)"));
        QCOMPARE(preview->item(4, 1)->text(), QStringLiteral("1")); // the label of record 4 from the labels file
        typeInto(child<QComboBox>(dialog, "ingestDataset"), QStringLiteral("digits"));
        QCOMPARE(child<QLineEdit>(dialog, "ingestVersion")->text(), QStringLiteral("v1"));
        QCOMPARE(child<QComboBox>(dialog, "ingestParent")->currentText(), QStringLiteral("(none)"));
        QSignalSpy ingested(dialog, &IngestDialog::ingested);
        QTest::mouseClick(child<QPushButton>(dialog, "ingestStartButton"), Qt::LeftButton);
        QTRY_COMPARE(ingested.count(), 1);
        const auto v = w.session()->findVersion(VersionRef{QStringLiteral("digits"), QStringLiteral("v1")});
        QVERIFY(v);
        QCOMPARE(v->recordCount, 5);
        QVERIFY(v->schema.hasImage());
        // Image versions show a thumbnail column, not one column per pixel.
        RecordTableModel *model = w.page<VersionsPage>()->records()->model();
        QCOMPARE(model->columnCount(), RecordTableModel::FirstFeatureColumn + 1);
        QCOMPARE(model->headerData(RecordTableModel::FirstFeatureColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Thumbnail"));
        QTRY_VERIFY(model->isRowLoaded(0));
        const QImage thumbnail =
            model->data(model->index(0, RecordTableModel::FirstFeatureColumn), Qt::DecorationRole).value<QImage>();
        QCOMPARE(thumbnail.size(), QSize(4, 4));
    }

    void ingestsAFolderOfImages()
    {
        const QString folder = m_fixture->filePath(QStringLiteral("pictures"));
        for (int i = 0; i < 6; ++i)
            QVERIFY(writePng(QStringLiteral("%1/%2/img%3.png").arg(folder, i < 4 ? "cat" : "dog").arg(i), 6, 6, i));
        WorkspaceSession session;
        QString error;
        QVERIFY(session.open(m_fixture->path(), &error));
        IngestDialog dialog(&session);
        dialog.show();
        typeInto(child<QLineEdit>(&dialog, "ingestPaths"), folder);
        auto *preview = child<QTableWidget>(&dialog, "ingestPreview");
        QTRY_COMPARE(preview->rowCount(), 6);
        QCOMPARE(child<QComboBox>(&dialog, "ingestFormat")->itemText(0), QStringLiteral("Auto-detect (images)"));
        QCOMPARE(child<QComboBox>(&dialog, "ingestIdColumn")->itemText(0), QStringLiteral("(file name)"));
        QCOMPARE(child<QComboBox>(&dialog, "ingestLabelColumn")->itemText(0), QStringLiteral("(from folders)"));
        QCOMPARE(preview->item(0, 0)->text(), QStringLiteral("img0"));
        QCOMPARE(preview->item(5, 1)->text(), QStringLiteral("dog"));
        typeInto(child<QComboBox>(&dialog, "ingestDataset"), QStringLiteral("pictures"));
        QSignalSpy ingested(&dialog, &IngestDialog::ingested);
        QTest::mouseClick(child<QPushButton>(&dialog, "ingestStartButton"), Qt::LeftButton);
        QTRY_COMPARE(ingested.count(), 1);
        QVERIFY(session.reload(&error));
        QCOMPARE(session.findVersion(ingested.at(0).at(0).toLongLong())->recordCount, 6);
    }

    // What an image folder holds that is not ingested is said in the window after the dialog closes.
    void skippedEntriesAreShownAfterTheIngest()
    {
        const QString folder = m_fixture->filePath(QStringLiteral("pictures-with-strays"));
        for (int i = 0; i < 3; ++i)
            QVERIFY(writePng(QStringLiteral("%1/cat/img%2.png").arg(folder).arg(i), 6, 6, i));
        QVERIFY(writePng(folder + QStringLiteral("/stray.png"), 6, 6, 9));
        QVERIFY(writeFile(folder + QStringLiteral("/cat/.DS_Store"), "x"));
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.openWorkspace(m_fixture->path()));
        IngestDialog *dialog = openDialog(w);
        QVERIFY(dialog);
        typeInto(child<QLineEdit>(dialog, "ingestPaths"), folder);
        QTRY_COMPARE(child<QTableWidget>(dialog, "ingestPreview")->rowCount(), 3);
        typeInto(child<QComboBox>(dialog, "ingestDataset"), QStringLiteral("strays"));
        QSignalSpy ingested(dialog, &IngestDialog::ingested);
        QTest::mouseClick(child<QPushButton>(dialog, "ingestStartButton"), Qt::LeftButton);
        QTRY_COMPARE(ingested.count(), 1);
        const QStringList skipped = ingested.at(0).at(1).toStringList();
        QCOMPARE(skipped.size(), 2);
        QTRY_VERIFY(w.messageBar()->isVisible());
        const QString shown = w.messageBar()->text();
        QVERIFY2(shown.contains(QStringLiteral("Ingested strays@v1: 3 records.")) && shown.contains(QStringLiteral("stray.png"))
                     && shown.contains(QStringLiteral("cat/.DS_Store")), qPrintable(shown));
    }

    void validatesBeforeStarting_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("dataset");
        QTest::addColumn<QString>("label");
        QTest::addColumn<QString>("acquired");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no source") << "" << "animals" << "v9" << "" << "Choose the file";
        QTest::newRow("missing file") << "/nonexistent/x.csv" << "animals" << "v9" << "" << "no such file";
        QTest::newRow("empty name") << "CSV" << "" << "v9" << "" << "Give the dataset a name";
        QTest::newRow("empty label") << "CSV" << "animals" << "" << "" << "Give the new version a label";
        QTest::newRow("label with @") << "CSV" << "animals" << "v@9" << "" << "cannot contain spaces or “@”";
        QTest::newRow("label used") << "CSV" << "animals" << "v1" << "" << "animals@v1 already exists";
        QTest::newRow("bad time") << "CSV" << "animals" << "v9" << "last tuesday" << "not an ISO 8601";
    }

    void validatesBeforeStarting()
    {
        QFETCH(QString, path);
        QFETCH(QString, dataset);
        QFETCH(QString, label);
        QFETCH(QString, acquired);
        QFETCH(QString, expected);
        WorkspaceSession session;
        QString error;
        QVERIFY(session.open(m_fixture->path(), &error));
        IngestDialog dialog(&session);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        typeInto(child<QLineEdit>(&dialog, "ingestPaths"), path == QLatin1String("CSV") ? m_csv : path);
        if (path == QLatin1String("CSV"))
            QTRY_VERIFY(child<QTableWidget>(&dialog, "ingestPreview")->rowCount() > 0);
        typeInto(child<QComboBox>(&dialog, "ingestDataset"), dataset);
        typeInto(child<QLineEdit>(&dialog, "ingestVersion"), label);
        typeInto(child<QLineEdit>(&dialog, "ingestAcquiredAt"), acquired);
        QTRY_VERIFY(!dialog.source()->isPreviewing());
        QTest::qWait(IngestSourcePanel::kPreviewDelayMs + 50);
        QTest::mouseClick(child<QPushButton>(&dialog, "ingestStartButton"), Qt::LeftButton);
        QVERIFY(!dialog.isRunning());
        QVERIFY(dialog.messages()->isVisible());
        QVERIFY2(dialog.messages()->text().contains(expected), qPrintable(dialog.messages()->text()));
        QVERIFY(dialog.isVisible());
    }

    void showsTheCoresErrorInline()
    {
        WorkspaceSession session;
        QString error;
        QVERIFY(session.open(m_fixture->path(), &error));
        const QString broken = m_fixture->filePath(QStringLiteral("duplicate-ids.csv"));
        QList<CsvRecord> records = numberedRecords(10);
        records[7].id = records[3].id;
        QVERIFY(writeCsv(broken, records));
        IngestDialog dialog(&session);
        dialog.show();
        typeInto(child<QLineEdit>(&dialog, "ingestPaths"), broken);
        QTRY_VERIFY(child<QTableWidget>(&dialog, "ingestPreview")->rowCount() > 0);
        typeInto(child<QComboBox>(&dialog, "ingestDataset"), QStringLiteral("broken"));
        QSignalSpy ingested(&dialog, &IngestDialog::ingested);
        QTest::mouseClick(child<QPushButton>(&dialog, "ingestStartButton"), Qt::LeftButton);
        QTRY_VERIFY(!dialog.isRunning());
        QCOMPARE(ingested.count(), 0);
        QCOMPARE(dialog.messages()->kind(), MessageBar::Kind::Error);
        QVERIFY2(dialog.messages()->text().contains(QLatin1String("duplicate id 'r3'")),
                 qPrintable(dialog.messages()->text()));
        QVERIFY(child<QLineEdit>(&dialog, "ingestPaths")->isEnabled()); // a person can fix it and retry
    }

    void signsTheIngestInASignedWorkspace()
    {
        test::TestKeys keys;
        QString error;
        QVERIFY2(test::addTeam(keys, {QStringLiteral("cora")}, &error), qPrintable(error));
        WorkspaceFixture signedFixture;
        QVERIFY2(test::buildSignedWorkspace(signedFixture, keys, &error), qPrintable(error));
        signedFixture.release();
        WorkspaceSession session;
        QVERIFY(session.open(signedFixture.path(), &error));
        IngestDialog dialog(&session);
        QVERIFY(dialog.needsSignature());
        dialog.setSigner(keys.directory(), QStringLiteral("cora"), QStringLiteral("cora"));
        dialog.show();
        QVERIFY(writeCsv(m_csv, numberedRecords(12)));
        typeInto(child<QLineEdit>(&dialog, "ingestPaths"), m_csv);
        QTRY_VERIFY(child<QTableWidget>(&dialog, "ingestPreview")->rowCount() > 0);
        typeInto(child<QComboBox>(&dialog, "ingestDataset"), QStringLiteral("animals"));
        typeInto(child<QLineEdit>(&dialog, "ingestVersion"), QStringLiteral("v9"));
        QSignalSpy ingested(&dialog, &IngestDialog::ingested);

        // A wrong passphrase: refused inline, nothing stored, the dialog stays for another try.
        typeInto(child<QLineEdit>(&dialog, "ingestPassphrase"), QStringLiteral("not it"));
        QTest::mouseClick(child<QPushButton>(&dialog, "ingestStartButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isRunning(), test::kSigningTimeoutMs);
        QCOMPARE(ingested.count(), 0);
        QVERIFY2(dialog.messages()->text().contains(QLatin1String("wrong passphrase")), qPrintable(dialog.messages()->text()));
        QVERIFY(child<QLineEdit>(&dialog, "ingestPassphrase")->text().isEmpty()); // never kept in the field

        typeInto(child<QLineEdit>(&dialog, "ingestPassphrase"), QString::fromLatin1(test::kPassphrase));
        QTest::mouseClick(child<QPushButton>(&dialog, "ingestStartButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(ingested.count(), 1, test::kSigningTimeoutMs);
        session.reload(&error);
        const auto v9 = session.workspace()->version(VersionRef{QStringLiteral("animals"), QStringLiteral("v9")}, &error);
        QVERIFY2(v9, qPrintable(error));
        QCOMPARE(v9->provenance.ingestedBy, QStringLiteral("cora")); // the signing principal
    }

    void cancelLeavesNoVersion()
    {
        WorkspaceSession session;
        QString error;
        QVERIFY(session.open(m_fixture->path(), &error));
        const qsizetype versionsBefore = session.versions().size();
        const QStringList objectsBefore = objectFiles(m_fixture->path());
        IngestDialog dialog(&session);
        dialog.show();
        typeInto(child<QLineEdit>(&dialog, "ingestPaths"), m_bigCsv);
        QTRY_VERIFY(child<QTableWidget>(&dialog, "ingestPreview")->rowCount() > 0);
        typeInto(child<QComboBox>(&dialog, "ingestDataset"), QStringLiteral("big"));
        auto *cancel = child<QPushButton>(&dialog, "ingestCancelButton");
        // Cancel as soon as the worker reports that it is under way, as a person who changed their mind.
        auto *progress = dialog.findChild<BackgroundJob *>(QStringLiteral("ingestJob"));
        int reports = 0;
        connect(progress, &BackgroundJob::progressed, this, [&] {
            if (reports++ == 0)
                QTest::mouseClick(cancel, Qt::LeftButton);
        });
        QSignalSpy ingested(&dialog, &IngestDialog::ingested);
        QTest::mouseClick(child<QPushButton>(&dialog, "ingestStartButton"), Qt::LeftButton);
        QVERIFY(dialog.isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isRunning(), 60000);
        QCOMPARE(ingested.count(), 0);
        QVERIFY(dialog.isVisible());
        QVERIFY2(dialog.messages()->text().contains(QLatin1String("cancelled")), qPrintable(dialog.messages()->text()));
        QVERIFY(session.reload(&error));
        QCOMPARE(session.versions().size(), versionsBefore);
        QVERIFY(!session.findVersion(VersionRef{QStringLiteral("big"), QStringLiteral("v1")}));
        QCOMPARE(objectFiles(m_fixture->path()), objectsBefore);
        // Cancel again, now that nothing runs, closes the dialog.
        QTest::mouseClick(cancel, Qt::LeftButton);
        QVERIFY(!dialog.isVisible());
    }
};

QTEST_MAIN(TestIngestDialog)
#include "TestIngestDialog.moc"
