#include "shell/ActionRegistry.h"
#include "findings/plot/ClusterPlotView.h"
#include "findings/DecisionBar.h"
#include "findings/FindingInspector.h"
#include "findings/FindingsModel.h"
#include "findings/FindingsPage.h"
#include "findings/plot/FindingsPlotPane.h"
#include "findings/FindingsQueue.h"
#include "GuiSigning.h"
#include "identity/Identity.h"
#include "shell/MainWindow.h"
#include "findings/review/ReviewHistory.h"
#include "findings/review/ReviewSession.h"
#include "findings/review/ReviewSigner.h"
#include "signoff/SignOffPage.h"
#include "TriggerImages.h"
#include "versions/VersionsPage.h"
#include "session/WorkspaceSession.h"
#include "demo/FashionMnist.h"
#include "detection/ScanEngine.h"
#include "detection/ScanResult.h"
#include "workflow/ScanStore.h"
#include "ledger/Ledger.h"
#include "storage/Ingest.h"
#include "workflow/OpenWorkspace.h"

#include <QAction>
#include <QAbstractItemView>
#include <QCheckBox>
#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTest>
#include <QUndoStack>

using namespace custody;
using namespace custody::test;

namespace {

constexpr int kScanTimeoutMs = 120000;

// img@v1: clean grey images in three classes; img@v2: the same 900 records and 900 new ones (ids 900..1799), 30%
// of whose class 1 carry a planted white patch.
ImageSet batchImages(QSet<int> *stamped)
{
    ImageSet set = syntheticTriggerImages(11, false, nullptr);
    QSet<int> planted;
    const ImageSet incoming = syntheticTriggerImages(12, true, &planted);
    set.pixels.insert(set.pixels.end(), incoming.pixels.begin(), incoming.pixels.end());
    set.labels.insert(set.labels.end(), incoming.labels.begin(), incoming.labels.end());
    for (int row : std::as_const(planted))
        stamped->insert(row + 3 * kTriggerPerClass);
    return set;
}

} // namespace

// The findings page driven the way a curator uses it, on a signed workspace with planted trigger records:
// scan from the tool bar, read the findings, select in the table and on the plot, decide with the keyboard,
// undo and redo, and see undo end when the batch is submitted.
class TestFindingsPage : public QObject
{
    Q_OBJECT

private:
    TestKeys m_keys;
    QTemporaryDir m_tmp;
    QTemporaryDir m_checkpoints;
    std::unique_ptr<WorkspaceFixture> m_fixture;
    std::unique_ptr<WorkspaceFixture> m_unsigned; // the same two versions, never made signed
    QSet<int> m_stamped;
    qint64 m_v1 = 0, m_v2 = 0, m_unsignedV2 = 0;

    bool ingest(const QString &label, const ImageSet &set, const QString &parent, const SigningKey *signer, qint64 *id,
                QString *error, WorkspaceFixture *fixture = nullptr)
    {
        WorkspaceFixture &fx = fixture ? *fixture : *m_fixture;
        fx.setSigner(signer);
        *id = fx.ingestImages(QStringLiteral("img"), label, set, parent);
        *error = fx.error();
        return *id > 0;
    }

    // The window on the workspace, signing as cora, showing the findings page of img@v2 (opened with Ctrl+2
    // from the versions page, as a person would).
    std::unique_ptr<MainWindow> openFindings(bool signedWorkspace = true)
    {
        auto w = std::make_unique<MainWindow>(m_keys.directory());
        w->resize(1400, 900);
        w->show();
        QString error;
        if (!QTest::qWaitForWindowExposed(w.get()) || !w->openWorkspace((signedWorkspace ? m_fixture : m_unsigned)->path())
            || !w->identity()->choose(QStringLiteral("cora"), &error))
            return nullptr;
        w->page<VersionsPage>()->selectVersion(signedWorkspace ? m_v2 : m_unsignedV2);
        QTest::keySequence(w.get(), QKeySequence(Qt::CTRL | Qt::Key_2));
        if (w->pages()->currentWidget() != w->page<FindingsPage>())
            return nullptr;
        return w;
    }

    // Back to the window once the passphrase dialog has closed (the offscreen platform does not give the focus
    // back by itself), so that its shortcuts work again.
    static bool backToWindow(MainWindow &w)
    {
        if (!QTest::qWaitFor([] { return !findTopLevel<QDialog>(QStringLiteral("passphraseDialog")); }, kSigningTimeoutMs))
            return false;
        w.activateWindow();
        return QTest::qWaitForWindowActive(&w);
    }

    static QAction *action(MainWindow &w, const char *name) { return w.actionRegistry()->action(QLatin1String(name)); }

    QMap<QString, QString> decisions(MainWindow &w)
    {
        QMap<QString, QString> out;
        for (const Decision &d : Ledger(*w.session()->workspace()).state().decisions(QStringLiteral("img@v2")))
            out.insert(d.recordId, d.action);
        return out;
    }

    // The tests that read a recorded scan back do not rely on an earlier test having recorded one: each stands
    // alone. Records cora's scan of img@v2 against img@v1 through the core when there is none yet.
    bool recordScanUnlessRecorded(QString *error)
    {
        auto ws = openWorkspace(m_fixture->path(), error);
        if (!ws)
            return false;
        ScanResult latest;
        if (ScanStore(*ws).latest(QStringLiteral("img@v2"), &latest, error))
            return true;
        error->clear();
        const auto batch = ws->version(VersionRef{QStringLiteral("img"), QStringLiteral("v2")}, error);
        const auto baseline = ws->version(VersionRef{QStringLiteral("img"), QStringLiteral("v1")}, error);
        if (!batch || !baseline)
            return false;
        ScanEngine engine{ScanOptions{}};
        ScanResult result;
        LedgerEvent event;
        return engine.run(*ws, *batch, &*baseline, &result, error)
            && ScanStore(*ws).record(result, &m_keys.key(QStringLiteral("cora")), &event, error);
    }

    static void clickRow(QTableView *table, int row, Qt::KeyboardModifiers modifiers = Qt::NoModifier)
    {
        const QRect rect = table->visualRect(table->model()->index(row, 0));
        QTest::mouseClick(table->viewport(), Qt::LeftButton, modifiers, rect.center());
    }

    // A lasso drawn with the mouse: a square of `half` pixels around `centre`.
    static void lasso(ClusterPlotView *plot, const QPointF &centre, int half)
    {
        const QPoint c = centre.toPoint();
        const QList<QPoint> corners{c + QPoint(-half, -half), c + QPoint(half, -half), c + QPoint(half, half),
                                    c + QPoint(-half, half), c + QPoint(-half, -half + 1)};
        QTest::mousePress(plot, Qt::LeftButton, Qt::NoModifier, corners.constFirst());
        for (const QPoint &p : corners)
            QTest::mouseMove(plot, p);
        QTest::mouseRelease(plot, Qt::LeftButton, Qt::NoModifier, corners.constLast());
    }

private Q_SLOTS:
    void initTestCase()
    {
        isolateSettingsFor("TestFindingsPage");
        setRememberedCheckpointDirectory(m_checkpoints.path());
        QString error;
        QVERIFY2(m_keys.add(QStringLiteral("root"), false, &error) && m_keys.add(QStringLiteral("cora"), true, &error)
                     && m_keys.add(QStringLiteral("ada"), false, &error),
                 qPrintable(error));
        m_fixture = std::make_unique<WorkspaceFixture>();
        QVERIFY2(m_fixture->isValid(), qPrintable(m_fixture->error()));
        QVERIFY2(ingest(QStringLiteral("v1"), syntheticTriggerImages(11, false, nullptr), {}, nullptr, &m_v1, &error), qPrintable(error));
        SignOff signOff(m_fixture->workspace());
        const SigningKey &root = m_keys.key(QStringLiteral("root"));
        QVERIFY2(signOff.makeSigned(QStringLiteral("root"), root, 1, &error)
                     && signOff.addPrincipal(root, QStringLiteral("cora"), m_keys.key(QStringLiteral("cora")).publicKey(),
                                             {QStringLiteral("curator")}, &error)
                     && signOff.addPrincipal(root, QStringLiteral("ada"), m_keys.key(QStringLiteral("ada")).publicKey(),
                                             {QStringLiteral("approver")}, &error),
                 qPrintable(error));
        QVERIFY2(ingest(QStringLiteral("v2"), batchImages(&m_stamped), QStringLiteral("v1"), &m_keys.key(QStringLiteral("cora")),
                        &m_v2, &error),
                 qPrintable(error));
        QVERIFY(m_stamped.size() > 50);
        m_fixture->release();

        m_unsigned = std::make_unique<WorkspaceFixture>();
        QSet<int> stamped;
        qint64 v1 = 0;
        QVERIFY2(ingest(QStringLiteral("v1"), syntheticTriggerImages(11, false, nullptr), {}, nullptr, &v1, &error, m_unsigned.get())
                     && ingest(QStringLiteral("v2"), batchImages(&stamped), QStringLiteral("v1"), nullptr, &m_unsignedV2, &error,
                               m_unsigned.get()),
                 qPrintable(error));
        m_unsigned->release();
    }

    void inspectorDrawsTheTriggerMaskInRed()
    {
        QImage image(4, 4, QImage::Format_Grayscale8);
        image.fill(100);
        TriggerMask mask;
        mask.label = QStringLiteral("1");
        mask.detector = DetectorName::Spectral;
        mask.width = mask.height = 4;
        mask.weights.assign(16, 0.1f);
        mask.weights[1 * 4 + 1] = 2.0f; // pixel (1, 1)
        const QImage drawn = FindingInspector::drawWithMask(image, 8, &mask);
        QCOMPARE(drawn.size(), QSize(32, 32));
        const QColor masked = drawn.pixelColor(12, 12);
        QVERIFY2(masked.red() > masked.green() + 40, qPrintable(masked.name()));
        QCOMPARE(drawn.pixelColor(28, 28), QColor(100, 100, 100)); // weak weights are not drawn
        QCOMPARE(FindingInspector::drawWithMask(image, 8, nullptr).pixelColor(12, 12), QColor(100, 100, 100));
        ScanResult result;
        result.masks = {mask};
        QCOMPARE(FindingInspector::maskFor(result, QStringLiteral("1"), {}), &result.masks.constFirst());
        QVERIFY(!FindingInspector::maskFor(result, QStringLiteral("2"), {}));
    }

    void scansFromTheToolBarAndRecordsTheScan()
    {
        auto w = openFindings();
        QVERIFY(w);
        FindingsPage *page = w->page<FindingsPage>();
        // No scan recorded yet: the page says so and offers to run one against the parent.
        QTRY_VERIFY(!page->emptyText()->text().isEmpty() && !page->isBusy());
        QVERIFY2(page->emptyText()->text().contains(QLatin1String("no recorded")), qPrintable(page->emptyText()->text()));
        QCOMPARE(page->baselineId(), m_v1);
        QVERIFY(action(*w, "action_findings_run_scan")->isEnabled());
        QVERIFY(!action(*w, "action_findings_exclude")->isEnabled());

        // Run the scan from the tool bar; in a signed workspace recording it asks for cora's passphrase.
        QSignalSpy shown(page, &FindingsPage::resultShown);
        QSignalSpy recorded(page, &FindingsPage::scanRecorded);
        action(*w, "action_findings_run_scan")->trigger();
        QVERIFY(page->isBusy());
        QVERIFY(!action(*w, "action_findings_run_scan")->isEnabled());
        QVERIFY(action(*w, "action_findings_cancel")->isEnabled());
        QVERIFY(shown.wait(kScanTimeoutMs));
        QDialog *dialog = typePassphrase(kPassphrase);
        QVERIFY(dialog);
        QVERIFY2(dialog->findChild<QLabel *>(QStringLiteral("passphraseKeyNote"))->text().contains(QLatin1String("stays unlocked")),
                 qPrintable(dialog->findChild<QLabel *>(QStringLiteral("passphraseKeyNote"))->text()));
        QVERIFY(recorded.wait(kSigningTimeoutMs));
        QVERIFY(page->isResultRecorded());
        QVERIFY(page->review()->signer()->isUnlocked());
        ScanResult latest;
        QString error;
        QVERIFY2(ScanStore(*w->session()->workspace()).latest(QStringLiteral("img@v2"), &latest, &error), qPrintable(error));
        QCOMPARE(latest.resultDigest(), page->result()->resultDigest());

        // Findings, most suspicious first; the planted records are among them.
        FindingsQueue *queue = page->queue();
        const int findings = queue->model()->flaggedCount();
        QVERIFY(findings >= 2);
        QCOMPARE(queue->table()->model()->rowCount(), findings);
        int plantedFound = 0;
        for (int r = 0; r < findings; ++r)
            plantedFound += m_stamped.contains(queue->model()->batchRow(r));
        QVERIFY2(plantedFound > 0, qPrintable(QStringLiteral("%1 findings, none planted").arg(findings)));
        QVERIFY(queue->detectorCombo()->itemText(0).startsWith(QStringLiteral("All detectors (%1)").arg(findings)));
        QCOMPARE(page->plot()->pointCount(), 1800);
        QCOMPARE(page->inspector()->currentRow(), queue->model()->batchRow(0));
        QVERIFY(page->inspector()->reasonsTable()->rowCount() > 0);
    }

    // The person presses Cancel while the scan runs (at its first progress): nothing is shown or recorded and
    // the page can scan again. The unsigned workspace, so that no passphrase dialog can come in between.
    void cancelStopsTheScanWhileItRuns()
    {
        auto w = openFindings(false);
        QVERIFY(w);
        FindingsPage *page = w->page<FindingsPage>();
        QTRY_VERIFY(!page->isBusy() && action(*w, "action_findings_run_scan")->isEnabled());
        const bool hadResult = page->result() != nullptr;
        QSignalSpy shown(page, &FindingsPage::resultShown);
        QSignalSpy recorded(page, &FindingsPage::scanRecorded);
        QSignalSpy cancelled(page, &FindingsPage::scanCancelled);
        auto *progress = page->findChild<QProgressBar *>(QStringLiteral("findingsProgress"));
        auto *cancelButton = page->findChild<QPushButton *>(QStringLiteral("findingsCancelButton"));
        bool clicked = false;
        connect(progress, &QProgressBar::valueChanged, this, [&] {
            if (!clicked && cancelButton->isEnabled()) {
                clicked = true;
                QTest::mouseClick(cancelButton, Qt::LeftButton);
            }
        });
        action(*w, "action_findings_run_scan")->trigger();
        QVERIFY(page->isBusy());
        QVERIFY(cancelled.wait(kScanTimeoutMs));
        QVERIFY(clicked);
        QCOMPARE(shown.size(), 0);
        QCOMPARE(recorded.size(), 0);
        QCOMPARE(page->result() != nullptr, hadResult);
        QTRY_VERIFY(!page->isBusy());
        QVERIFY(action(*w, "action_findings_run_scan")->isEnabled());
        QVERIFY(!action(*w, "action_findings_cancel")->isEnabled());
    }

    void aScanNotRecordedCanBeRecordedLater()
    {
        QString scanError;
        QVERIFY2(recordScanUnlessRecorded(&scanError), qPrintable(scanError));
        auto w = openFindings();
        QVERIFY(w);
        FindingsPage *page = w->page<FindingsPage>();
        QTRY_VERIFY_WITH_TIMEOUT(page->result() && !page->isBusy(), 30000);
        QSignalSpy shown(page, &FindingsPage::resultShown);
        action(*w, "action_findings_run_scan")->trigger();
        QVERIFY(shown.wait(kScanTimeoutMs));
        // The person closes the passphrase dialog: the scan stays on screen, not recorded, and says so.
        auto *dialog = waitForTopLevel<QDialog>(QStringLiteral("passphraseDialog"));
        QVERIFY(dialog);
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("passphraseCancelButton")), Qt::LeftButton);
        QTRY_VERIFY(!findTopLevel<QDialog>(QStringLiteral("passphraseDialog")));
        QVERIFY(!page->isResultRecorded());
        QVERIFY(page->summaryText()->text().contains(QLatin1String("not recorded")));
        QTRY_VERIFY(action(*w, "action_findings_record_scan")->isEnabled());
        QSignalSpy recorded(page, &FindingsPage::scanRecorded);
        action(*w, "action_findings_record_scan")->trigger();
        QVERIFY(typePassphrase(kPassphrase));
        QVERIFY(recorded.wait(kSigningTimeoutMs));
        QVERIFY(page->isResultRecorded());
        QVERIFY(!page->summaryText()->text().contains(QLatin1String("not recorded")));
        QVERIFY(!action(*w, "action_findings_record_scan")->isEnabled());
    }

    void projectsWithTsneOnceAndKeepsIt()
    {
        QString scanError;
        QVERIFY2(recordScanUnlessRecorded(&scanError), qPrintable(scanError));
        auto w = openFindings();
        QVERIFY(w);
        FindingsPage *page = w->page<FindingsPage>();
        QTRY_VERIFY_WITH_TIMEOUT(page->result() && !page->isBusy(), 30000);
        FindingsPlotPane *pane = page->plotPane();
        const int row = page->queue()->model()->batchRow(0);
        const QPointF pca = page->plot()->toWidget(row);
        QSignalSpy shown(pane, &FindingsPlotPane::projectionShown);
        pane->projectionCombo()->setCurrentIndex(pane->projectionCombo()->findData(int(FindingsPlotPane::Tsne)));
        QVERIFY(pane->isProjecting());
        QVERIFY(page->isBusy());
        QVERIFY(!w->actionRegistry()->action(QStringLiteral("action_findings_run_scan"))->isEnabled());
        QVERIFY(shown.wait(kScanTimeoutMs));
        QVERIFY(!pane->isProjecting());
        QCOMPARE(page->plot()->pointCount(), 1800);
        QVERIFY(page->plot()->toWidget(row) != pca);
        QCOMPARE(page->plot()->selection(), page->queue()->selectedRows()); // the selection outlives the layout
        // Back to PCA and to t-SNE again: the layout is kept in memory, nothing runs.
        pane->setProjection(FindingsPlotPane::Pca);
        QCOMPARE(page->plot()->toWidget(row), pca);
        pane->setProjection(FindingsPlotPane::Tsne);
        QVERIFY(!pane->isProjecting());
        QCOMPARE(shown.count(), 3);
    }

    void showAllRecordsLetsTheLassoTakeUnflaggedRecords()
    {
        QString scanError;
        QVERIFY2(recordScanUnlessRecorded(&scanError), qPrintable(scanError));
        auto w = openFindings();
        QVERIFY(w);
        FindingsPage *page = w->page<FindingsPage>();
        QTRY_VERIFY_WITH_TIMEOUT(page->result() && !page->isBusy(), 30000);
        FindingsQueue *queue = page->queue();
        // An unflagged record with no finding drawn near it.
        const int half = 4;
        int lone = -1;
        for (int r = queue->model()->flaggedCount(); r < queue->model()->rowCount() && lone < 0; ++r) {
            const int row = queue->model()->batchRow(r);
            const QPointF at = page->plot()->toWidget(row);
            bool alone = page->plot()->rect().contains(at.toPoint());
            for (int o = 0; o < page->plot()->pointCount() && alone; ++o) {
                const QPointF d = page->plot()->toWidget(o) - at;
                alone = o == row || std::abs(d.x()) > half + 1 || std::abs(d.y()) > half + 1;
            }
            if (alone)
                lone = row;
        }
        QVERIFY(lone >= 0);
        lasso(page->plot(), page->plot()->toWidget(lone), half);
        QVERIFY(queue->selectedRows().isEmpty()); // not a finding: not in the queue...
        QCOMPARE(page->inspector()->currentRow(), lone); // ...but shown in the inspector
        QVERIFY(page->plot()->selection().isEmpty());
        queue->showAllToggle()->setChecked(true);
        QCOMPARE(queue->table()->model()->rowCount(), 1800);
        lasso(page->plot(), page->plot()->toWidget(lone), half);
        QCOMPARE(queue->selectedRows(), QList<int>{lone});
        QCOMPARE(page->plot()->selection(), QList<int>{lone});
    }

    void unsignedWorkspaceRecordsScansButNotDecisions()
    {
        auto w = openFindings(false);
        QVERIFY(w);
        FindingsPage *page = w->page<FindingsPage>();
        QTRY_VERIFY(!page->emptyText()->text().isEmpty() && !page->isBusy());
        QSignalSpy recorded(page, &FindingsPage::scanRecorded);
        QTRY_VERIFY(action(*w, "action_findings_run_scan")->isEnabled());
        action(*w, "action_findings_run_scan")->trigger();
        QVERIFY(recorded.wait(kScanTimeoutMs)); // hash-chained, unsigned: no passphrase asked
        QVERIFY(!findTopLevel<QDialog>(QStringLiteral("passphraseDialog")));
        QVERIFY(page->isResultRecorded());
        clickRow(page->queue()->table(), 0);
        for (const char *name : {"action_findings_keep", "action_findings_exclude", "action_findings_relabel",
                                 "action_findings_clear", "action_findings_undo"}) {
            QVERIFY(!action(*w, name)->isEnabled());
            QVERIFY2(action(*w, name)->toolTip().contains(QLatin1String("Make the workspace signed")),
                     qPrintable(action(*w, name)->toolTip()));
        }
        QVERIFY(page->decisionBar()->signerLabel()->text().contains(QLatin1String("Make the workspace signed")));
        // Other pages do not answer the page's single keys.
        QTest::keySequence(w.get(), QKeySequence(Qt::CTRL | Qt::Key_1));
        QVERIFY(!action(*w, "action_findings_next")->isEnabled());
    }

    void decidesWithTheKeyboardAndUndoesUntilSubmitted()
    {
        QString scanError;
        QVERIFY2(recordScanUnlessRecorded(&scanError), qPrintable(scanError));
        auto w = openFindings();
        QVERIFY(w);
        FindingsPage *page = w->page<FindingsPage>();
        // The recorded scan is read back.
        QTRY_VERIFY_WITH_TIMEOUT(page->result() && !page->isBusy(), 30000);
        QVERIFY(page->isResultRecorded());
        FindingsQueue *queue = page->queue();
        QTableView *table = queue->table();
        const int findings = queue->model()->flaggedCount();
        QVERIFY(findings >= 4);

        // A click on a row selects its record on the plot and shows it in the inspector.
        clickRow(table, 1);
        const int second = table->model()->index(1, 0).data(FindingsModel::BatchRowRole).toInt();
        QCOMPARE(page->plot()->selection(), QList<int>{second});
        QCOMPARE(page->inspector()->currentRow(), second);
        QVERIFY(page->inspector()->historyTable()->rowCount() >= 1);

        // A lasso around another finding on the plot selects, in the table, the findings it encloses.
        const int target = table->model()->index(0, 0).data(FindingsModel::BatchRowRole).toInt();
        const QPointF at = page->plot()->toWidget(target);
        const int half = 5;
        QSet<int> enclosed;
        for (int r = 0; r < findings; ++r) {
            const int row = queue->model()->batchRow(r);
            const QPointF p = page->plot()->toWidget(row) - at;
            if (std::abs(p.x()) < half - 1 && std::abs(p.y()) < half - 1)
                enclosed.insert(row);
        }
        QVERIFY(enclosed.contains(target));
        lasso(page->plot(), at, half);
        const QList<int> selected = queue->selectedRows();
        QVERIFY2(QSet<int>(selected.cbegin(), selected.cend()).contains(enclosed),
                 qPrintable(QStringLiteral("lasso selected %1 of %2").arg(selected.size()).arg(enclosed.size())));
        for (int row : selected)
            QVERIFY(queue->model()->index(queue->model()->modelRow(row), 0).data(FindingsModel::FlaggedRole).toBool());
        QCOMPARE(page->plot()->selection(), selected);

        // Two rows selected, X: the first decision asks for the passphrase once, then both are excluded as one
        // undo step.
        clickRow(table, 0);
        clickRow(table, 1, Qt::ControlModifier);
        QCOMPARE(queue->selectedRows().size(), 2);
        const QString a = queue->model()->recordId(queue->model()->modelRow(queue->selectedRows().at(0)));
        const QString b = queue->model()->recordId(queue->model()->modelRow(queue->selectedRows().at(1)));
        QVERIFY(action(*w, "action_findings_exclude")->isEnabled());
        QTest::keyClick(table, Qt::Key_X);
        QVERIFY(typePassphrase(kPassphrase));
        QTRY_VERIFY_WITH_TIMEOUT(decisions(*w).value(a) == QLatin1String("exclude") && decisions(*w).value(b) == QLatin1String("exclude"),
                                 kSigningTimeoutMs);
        QCOMPARE(page->review()->history()->stack()->count(), 1);
        QTRY_COMPARE(table->model()->index(0, FindingsModel::DecisionColumn).data().toString(), QStringLiteral("exclude"));
        QVERIFY(backToWindow(*w));

        // Ctrl+Z withdraws both; Ctrl+Shift+Z signs them again, without asking: the key stays unlocked.
        QTRY_VERIFY(action(*w, "action_findings_undo")->isEnabled());
        QTest::keySequence(w.get(), QKeySequence(Qt::CTRL | Qt::Key_Z));
        QTRY_VERIFY_WITH_TIMEOUT(!decisions(*w).contains(a) && !decisions(*w).contains(b), kSigningTimeoutMs);
        QTRY_VERIFY(action(*w, "action_findings_redo")->isEnabled());
        QTest::keySequence(w.get(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z));
        QTRY_VERIFY_WITH_TIMEOUT(decisions(*w).value(a) == QLatin1String("exclude") && decisions(*w).value(b) == QLatin1String("exclude"),
                                 kSigningTimeoutMs);
        QVERIFY(!findTopLevel<QDialog>(QStringLiteral("passphraseDialog")));

        // N moves to the next finding; K keeps it.
        clickRow(table, 2);
        QTest::keyClick(table, Qt::Key_N);
        const int next = table->model()->index(3, 0).data(FindingsModel::BatchRowRole).toInt();
        QCOMPARE(queue->selectedRows(), QList<int>{next});
        QTRY_VERIFY(action(*w, "action_findings_keep")->isEnabled());
        QTest::keyClick(table, Qt::Key_K);
        const QString kept = queue->model()->recordId(queue->model()->modelRow(next));
        QTRY_VERIFY_WITH_TIMEOUT(decisions(*w).value(kept) == QLatin1String("keep"), kSigningTimeoutMs);
        QTRY_COMPARE(page->review()->history()->stack()->count(), 2);

        // L opens the list of labels on the suggested one; picking an entry relabels the selection.
        clickRow(table, 5);
        const QString relabelled = queue->model()->recordId(queue->model()->modelRow(queue->selectedRows().constFirst()));
        QTRY_VERIFY(action(*w, "action_findings_relabel")->isEnabled());
        QTest::keyClick(table, Qt::Key_L);
        QComboBox *labels = page->decisionBar()->labelCombo();
        QTRY_VERIFY(labels->view()->isVisible());
        labels->view()->setCurrentIndex(labels->model()->index(labels->findText(QStringLiteral("2")), 0));
        QTest::keyClick(labels->view(), Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(decisions(*w).value(relabelled) == QLatin1String("relabel"), kSigningTimeoutMs);
        QTRY_COMPARE(page->review()->history()->stack()->count(), 3);
        QCOMPARE(page->review()->history()->stack()->undoText(), QStringLiteral("Relabel %1 as 2").arg(relabelled));

        // Submitting the batch on the sign-off page signs the decisions off: undo ends there.
        action(*w, "action_show_signoff")->trigger();
        QVERIFY(w->page<SignOffPage>()->selectVersion(QStringLiteral("img@v2")));
        QTRY_VERIFY(w->page<SignOffPage>()->submitButton()->isEnabled());
        QTest::mouseClick(w->page<SignOffPage>()->submitButton(), Qt::LeftButton);
        QVERIFY(typePassphrase(kPassphrase));
        QTRY_COMPARE_WITH_TIMEOUT(Ledger(*w->session()->workspace()).state().batch(QStringLiteral("img@v2")).state,
                                  QStringLiteral("submitted"), kSigningTimeoutMs);
        QVERIFY(backToWindow(*w));
        QTest::keySequence(w.get(), QKeySequence(Qt::CTRL | Qt::Key_2));
        QCOMPARE(w->pages()->currentWidget(), page);
        QTRY_COMPARE(page->review()->history()->stack()->count(), 0);
        QVERIFY(!action(*w, "action_findings_undo")->isEnabled());
        QVERIFY(!page->review()->signer()->isUnlocked());
        QVERIFY2(action(*w, "action_findings_exclude")->toolTip().contains(QLatin1String("submitted")),
                 qPrintable(action(*w, "action_findings_exclude")->toolTip()));
    }
};

QTEST_MAIN(TestFindingsPage)
#include "TestFindingsPage.moc"
