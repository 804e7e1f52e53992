#pragma once

#include "shell/ActionIds.h"
#include "shell/Page.h"

#include <QWidget>

#include <memory>

class QLabel;
class QMenu;
class QStackedWidget;
class QTimer;

namespace custody {

class ActionRegistry;
class ClusterPlotView;
class DecisionBar;
class FindingInspector;
class FindingsPlotPane;
class FindingsQueue;
class Identity;
class ReviewSession;
class ScanBar;
class WorkspaceSession;
struct ScanResult;

// Findings review of one batch: run (or load the latest recorded) scan, see it as a cluster plot beside the
// findings queue and the inspector, and decide records with the keyboard (N, P, K, X, L), a selection (or a
// lasso on the plot) at a time, with undo until the batch is submitted. Decisions are signed with the curator's
// key, unlocked once for the review (ReviewSigner); every writing action is disabled, with the reason in its
// tooltip, where the core would refuse it. The page wires itself to its actions so the window only adds it.
//
// Selection: the queue's selection is what decisions apply to. A lasso on the plot selects the records it
// encloses that the queue shows; records that are not findings appear in the queue (and so can be decided)
// only with "Show all records" on. A double click on any point shows that record in the inspector.
class FindingsPage : public Page
{
    Q_OBJECT
public:
    FindingsPage(WorkspaceSession *session, Identity *identity, ActionRegistry *actions, QWidget *parent = nullptr);

    QString pageId() const override { return QLatin1String(ActionId::ShowFindings); }
    QString title() const override { return tr("F&indings"); }
    QIcon icon() const override;
    QKeySequence shortcut() const override { return QKeySequence(Qt::CTRL | Qt::Key_2); }
    int versionsNeeded() const override { return 1; }
    // A version chosen since the page last opened becomes the batch; without a batch, the newest version.
    void activate(const PageRequest &request) override;
    // A Review menu with the review actions, in the order a person uses them.
    void addMenus(QMenuBar *menuBar) override;
    ~FindingsPage() override;

    bool selectVersion(qint64 versionId);
    qint64 batchId() const;
    qint64 baselineId() const; // 0: none
    void runScan();
    bool isBusy() const; // a scan, a load or a projection is running
    std::shared_ptr<const ScanResult> result() const { return m_result; }
    bool isResultRecorded() const { return m_recorded; }

    ScanBar *scanBar() const { return m_scanBar; }
    FindingsQueue *queue() const { return m_queue; }
    FindingsPlotPane *plotPane() const { return m_plotPane; }
    ClusterPlotView *plot() const;
    FindingInspector *inspector() const { return m_inspector; }
    DecisionBar *decisionBar() const { return m_decisionBar; }
    ReviewSession *review() const { return m_review; }
    QLabel *emptyText() const { return m_emptyText; }
    QLabel *summaryText() const { return m_summary; }

Q_SIGNALS:
    void resultShown(); // a scan finished or the latest recorded one was loaded
    void noResult();    // the batch has no recorded scan (the empty state is shown)
    void scanRecorded();
    void scanCancelled();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    // Registers the page's action_findings_* actions, which it connects and enables itself.
    static void addActions(ActionRegistry *actions);
    void onBatchChosen();
    void showResult(std::shared_ptr<const ScanResult> result, bool recorded);
    void showEmpty(const QString &message);
    void updateSummary();
    void recordScan();
    void refresh();
    void refreshDecisions();
    void updateActions();
    void onCurrentRow(int row);
    void onPlotSelection(const QList<int> &rows);

    WorkspaceSession *m_session;
    Identity *m_identity;
    ActionRegistry *m_actions;
    qint64 m_seenCurrentVersion = 0; // the session's current version when this page last opened
    ScanBar *m_scanBar;
    QLabel *m_summary;
    QStackedWidget *m_stack;
    QLabel *m_emptyText;
    FindingsPlotPane *m_plotPane;
    FindingsQueue *m_queue;
    FindingInspector *m_inspector;
    DecisionBar *m_decisionBar;
    ReviewSession *m_review;
    QTimer *m_refresh;
    std::shared_ptr<const ScanResult> m_result;
    bool m_recorded = false;
};

} // namespace custody
