#include "findings/FindingsPage.h"

#include "shell/ActionIds.h"

#include "shell/ActionRegistry.h"
#include "findings/plot/ClusterPlotView.h"
#include "findings/DecisionBar.h"
#include "findings/FindingInspector.h"
#include "findings/FindingsModel.h"
#include "findings/plot/FindingsPlotPane.h"
#include "findings/FindingsQueue.h"
#include "identity/Identity.h"
#include "session/PolicyGate.h"
#include "findings/review/ReviewSession.h"
#include "findings/review/ReviewSigner.h"
#include "findings/ScanBar.h"
#include "session/WorkspaceSession.h"
#include "detection/ScanResult.h"
#include "workflow/ScanStore.h"
#include "ledger/Ledger.h"
#include "storage/Workspace.h"

#include <QAction>
#include <QApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace custody {

void FindingsPage::addActions(ActionRegistry *actions)
{
    actions->add(QLatin1String(ActionId::FindingsRunScan), tr("Run &Scan"));
    actions->add(QLatin1String(ActionId::FindingsCancel), tr("Cancel the Scan"));
    actions->add(QLatin1String(ActionId::FindingsRecordScan), tr("Record the Scan…"));
    // Single keys, as in a mail reader: the page disables them whenever it is not the page shown.
    actions->add(QLatin1String(ActionId::FindingsNext), tr("Next Finding"), QKeySequence(Qt::Key_N));
    actions->add(QLatin1String(ActionId::FindingsPrevious), tr("Previous Finding"), QKeySequence(Qt::Key_P));
    actions->add(QLatin1String(ActionId::FindingsKeep), tr("&Keep"), QKeySequence(Qt::Key_K));
    actions->add(QLatin1String(ActionId::FindingsExclude), tr("E&xclude"), QKeySequence(Qt::Key_X));
    actions->add(QLatin1String(ActionId::FindingsRelabel), tr("Re&label…"), QKeySequence(Qt::Key_L));
    actions->add(QLatin1String(ActionId::FindingsClear), tr("&Withdraw"), QKeySequence(Qt::Key_Delete));
    actions->add(QLatin1String(ActionId::FindingsUndo), tr("&Undo Decision"), QKeySequence::Undo);
    QAction *redo = actions->add(QLatin1String(ActionId::FindingsRedo), tr("&Redo Decision"));
    redo->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
    for (QAction *a : actions->actions())
        if (a->objectName().startsWith(QLatin1String("action_findings_")))
            a->setEnabled(false); // the page enables them while it is shown and they can be taken
}

void FindingsPage::addMenus(QMenuBar *menuBar)
{
    QMenu *menu = menuBar->addMenu(tr("&Review"));
    // nullptr is a separator.
    for (const char *id : {ActionId::FindingsRunScan, ActionId::FindingsCancel, ActionId::FindingsRecordScan,
                           static_cast<const char *>(nullptr), ActionId::FindingsNext, ActionId::FindingsPrevious,
                           static_cast<const char *>(nullptr), ActionId::FindingsKeep, ActionId::FindingsExclude,
                           ActionId::FindingsRelabel, ActionId::FindingsClear, static_cast<const char *>(nullptr),
                           ActionId::FindingsUndo, ActionId::FindingsRedo}) {
        if (id)
            menu->addAction(m_actions->action(QLatin1String(id)));
        else
            menu->addSeparator();
    }
}

FindingsPage::FindingsPage(WorkspaceSession *session, Identity *identity, ActionRegistry *actions, QWidget *parent)
    : Page(parent), m_session(session), m_identity(identity), m_actions(actions), m_summary(new QLabel), m_stack(new QStackedWidget), m_emptyText(new QLabel), m_plotPane(new FindingsPlotPane),
      m_queue(new FindingsQueue), m_inspector(new FindingInspector), m_refresh(new QTimer(this))
{
    setObjectName(QStringLiteral("findingsPage"));
    addActions(actions);
    m_scanBar = new ScanBar(session, actions->action(QLatin1String(ActionId::FindingsRunScan)));
    m_decisionBar = new DecisionBar(actions);
    m_review = new ReviewSession(
        session, identity, actions, m_decisionBar,
        [this] {
            QList<ReviewTarget> targets;
            for (int row : m_queue->selectedRows())
                targets.append(ReviewTarget{row, m_result ? m_result->ids.value(row) : QString(), std::nullopt});
            return targets;
        },
        this);
    m_summary->setObjectName(QStringLiteral("findingsSummary"));
    m_summary->setWordWrap(true);
    connect(m_summary, &QLabel::linkActivated, this, &FindingsPage::recordScan);
    m_emptyText->setObjectName(QStringLiteral("findingsEmptyText"));
    m_emptyText->setAlignment(Qt::AlignCenter);
    m_emptyText->setWordWrap(true);
    m_refresh->setSingleShot(true);
    m_refresh->setInterval(0); // several changes arrive together after a signed step: re-read once

    const auto action = [actions](const char *name) { return actions->action(QLatin1String(name)); };
    connect(action(ActionId::FindingsRunScan), &QAction::triggered, this, &FindingsPage::runScan);
    connect(action(ActionId::FindingsCancel), &QAction::triggered, m_scanBar, &ScanBar::cancel);
    connect(action(ActionId::FindingsRecordScan), &QAction::triggered, this, &FindingsPage::recordScan);
    connect(action(ActionId::FindingsNext), &QAction::triggered, this, [this] { m_queue->step(1); });
    connect(action(ActionId::FindingsPrevious), &QAction::triggered, this, [this] { m_queue->step(-1); });

    // Version ids are per workspace: nothing chosen in the previous one carries over.
    connect(m_session, &WorkspaceSession::opened, m_scanBar, &ScanBar::forgetBatch);
    const auto versionsChanged = [this] {
        m_scanBar->fillVersions(); // batchChosen() when the batch went away
        m_refresh->start();
    };
    connect(m_session, &WorkspaceSession::versionsChanged, this, versionsChanged);
    connect(m_session, &WorkspaceSession::closed, this, versionsChanged);
    connect(m_session, &WorkspaceSession::ledgerChanged, m_refresh, qOverload<>(&QTimer::start));
    connect(m_identity, &Identity::changed, m_refresh, qOverload<>(&QTimer::start));
    connect(m_refresh, &QTimer::timeout, this, &FindingsPage::refresh);
    connect(m_review, &ReviewSession::actionsChanged, this, &FindingsPage::updateActions);
    connect(m_review, &ReviewSession::decisionsChanged, m_session, &WorkspaceSession::notifyLedgerChanged);
    connect(m_review, &ReviewSession::errorOccurred, this, &FindingsPage::errorOccurred);
    connect(m_review, &ReviewSession::completed, this, &FindingsPage::completed);

    connect(m_scanBar, &ScanBar::busyChanged, this, &FindingsPage::updateActions);
    connect(m_scanBar, &ScanBar::loaded, this, [this](std::shared_ptr<const ScanResult> result) {
        showResult(std::move(result), true);
    });
    connect(m_scanBar, &ScanBar::notLoaded, this, &FindingsPage::showEmpty);
    connect(m_scanBar, &ScanBar::scanned, this, [this](std::shared_ptr<const ScanResult> result) {
        showResult(std::move(result), false);
        recordScan();
    });
    connect(m_scanBar, &ScanBar::failed, this,
            [this](const QString &message) { Q_EMIT errorOccurred(tr("The scan failed: %1").arg(message)); });
    connect(m_scanBar, &ScanBar::cancelled, this, &FindingsPage::scanCancelled);

    // Selection, linked both ways between the queue and the plot.
    connect(m_scanBar, &ScanBar::batchChosen, this, &FindingsPage::onBatchChosen);
    connect(m_scanBar, &ScanBar::baselineChosen, this, &FindingsPage::updateActions);
    connect(m_plotPane, &FindingsPlotPane::classFilterChanged, m_queue, &FindingsQueue::setClassFilter);
    connect(m_plotPane, &FindingsPlotPane::errorOccurred, this, &FindingsPage::errorOccurred);
    connect(m_plotPane, &FindingsPlotPane::busyChanged, this, &FindingsPage::updateActions);
    connect(m_queue, &FindingsQueue::selectionChanged, this, [this](const QList<int> &rows) {
        m_plotPane->setSelection(rows);
        m_decisionBar->setSelectionText(rows.isEmpty() ? QString()
                                                       : tr("%n record(s) selected", nullptr, int(rows.size())));
        updateActions();
    });
    connect(m_queue, &FindingsQueue::currentRowChanged, this, &FindingsPage::onCurrentRow);
    connect(plot(), &ClusterPlotView::selectionChanged, this, &FindingsPage::onPlotSelection);
    connect(plot(), &ClusterPlotView::rowActivated, this, [this](int row) {
        if (!m_queue->setCurrentRow(row))
            onCurrentRow(row);
    });
    connect(m_inspector, &FindingInspector::neighbourActivated, this, [this](const QString &id) {
        const int row = m_queue->model()->batchRowOf(id);
        if (row >= 0 && !m_queue->setCurrentRow(row))
            onCurrentRow(row);
    });
    connect(m_inspector, &FindingInspector::errorOccurred, this, &FindingsPage::errorOccurred);

    // Layout: the batch and the scan on top; the plot left; the queue, the inspector and the decisions right.
    auto *empty = new QWidget;
    auto *emptyLayout = new QVBoxLayout(empty);
    auto *emptyRun = new QToolButton;
    emptyRun->setObjectName(QStringLiteral("findingsEmptyRunButton"));
    emptyRun->setDefaultAction(action(ActionId::FindingsRunScan));
    emptyLayout->addStretch(1);
    emptyLayout->addWidget(m_emptyText);
    emptyLayout->addWidget(emptyRun, 0, Qt::AlignHCenter);
    emptyLayout->addStretch(2);

    auto *right = new QSplitter(Qt::Vertical);
    right->addWidget(m_queue);
    right->addWidget(m_inspector);
    right->setSizes({240, 420}); // the inspector's image and reasons need the height more than the queue
    right->setChildrenCollapsible(false);
    auto *rightPane = new QWidget;
    auto *rightLayout = new QVBoxLayout(rightPane);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(right, 1);
    rightLayout->addWidget(m_decisionBar);
    auto *split = new QSplitter(Qt::Horizontal);
    split->setObjectName(QStringLiteral("findingsSplitter"));
    split->addWidget(m_plotPane);
    split->addWidget(rightPane);
    split->setSizes({600, 680});
    split->setChildrenCollapsible(false);
    m_stack->addWidget(empty);
    m_stack->addWidget(split);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_scanBar);
    layout->addWidget(m_summary);
    layout->addWidget(m_stack, 1);
    versionsChanged();
}

FindingsPage::~FindingsPage() = default;

ClusterPlotView *FindingsPage::plot() const
{
    return m_plotPane->plot();
}

qint64 FindingsPage::batchId() const
{
    return m_scanBar->batchId();
}

qint64 FindingsPage::baselineId() const
{
    return m_scanBar->baselineId();
}

bool FindingsPage::isBusy() const
{
    return m_scanBar->isRunning() || m_plotPane->isProjecting();
}

void FindingsPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    updateActions();
}

void FindingsPage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    updateActions(); // single-key shortcuts must not fire on other pages
}

QIcon FindingsPage::icon() const
{
    return QIcon::fromTheme(QStringLiteral("view-filter"), style()->standardIcon(QStyle::SP_FileDialogListView));
}

void FindingsPage::activate(const PageRequest &request)
{
    if (!m_session->isOpen())
        return;
    const qint64 chosen = request.versionId;
    if (chosen && (chosen != m_seenCurrentVersion || !batchId()))
        selectVersion(chosen);
    else if (!batchId() && !m_session->versions().isEmpty())
        selectVersion(m_session->versions().constLast().id);
    m_seenCurrentVersion = chosen;
}

bool FindingsPage::selectVersion(qint64 versionId)
{
    return m_scanBar->selectVersion(versionId);
}

void FindingsPage::onBatchChosen()
{
    m_plotPane->cancel();
    m_result.reset();
    m_queue->setResult(nullptr);
    m_plotPane->setResult(nullptr, QString(), {});
    m_inspector->setContext(nullptr, nullptr, std::nullopt, std::nullopt, {});
    const auto batch = m_scanBar->batch();
    m_review->setBatch(batch);
    if (!batch) {
        showEmpty(!m_session->isOpen()              ? tr("Open a workspace first.")
                  : m_session->versions().isEmpty() ? tr("Ingest a version first.")
                                                    : tr("Choose a batch to review."));
        return;
    }
    m_stack->setCurrentIndex(0);
    m_emptyText->clear();
    m_scanBar->loadLatest();
}

void FindingsPage::showEmpty(const QString &message)
{
    m_result.reset();
    m_summary->clear();
    m_emptyText->setText(message);
    m_stack->setCurrentIndex(0);
    refresh();
    Q_EMIT noResult();
}

void FindingsPage::showResult(std::shared_ptr<const ScanResult> result, bool recorded)
{
    m_result = std::move(result);
    m_recorded = recorded;
    const auto batch = m_scanBar->batch();
    const auto baseline = VersionRef::parse(m_result->baseline);
    m_inspector->setContext(m_session->workspace(), m_result, batch,
                            baseline ? m_session->findVersion(*baseline) : std::nullopt,
                            batch ? m_session->versionsOf(batch->ref.dataset) : QList<DatasetVersion>());
    m_queue->setResult(m_result);
    const QStringList classes = m_queue->model()->classes();
    // The digest names the scan: the t-SNE layout computed for it stays valid for as long as the scan does.
    m_plotPane->setResult(m_result, m_result->resultDigest(), classes);
    m_queue->setClassFilter(m_plotPane->classFilter());
    m_decisionBar->setLabels(classes);
    m_stack->setCurrentIndex(1);
    refreshDecisions();
    updateSummary();
    m_queue->step(1); // the most suspicious finding first
    updateActions();
    Q_EMIT resultShown();
}

void FindingsPage::updateSummary()
{
    if (!m_result) {
        m_summary->clear();
        return;
    }
    const ScanResult &r = *m_result;
    const QLocale locale;
    QString text = tr("<b>%1</b> against %2: %3 flagged of %4 records (%5 findings) · representation %6")
                       .arg(r.version.toHtmlEscaped(), r.baseline.isEmpty() ? tr("no baseline") : r.baseline.toHtmlEscaped(),
                            locale.toString(qint64(r.ranking.size())), locale.toString(qint64(r.ids.size())),
                            locale.toString(qint64(r.findings.size())), r.representation.toHtmlEscaped());
    if (r.seconds > 0)
        text += tr(" · %1 s").arg(locale.toString(r.seconds, 'f', r.seconds < 1 ? 2 : 1));
    if (!m_recorded)
        text += tr(" · <b>not recorded in the ledger yet</b> (<a href=\"record\">Record the Scan…</a>)");
    m_summary->setText(text);
    QStringList notes;
    for (const DetectorSummary &s : r.summaries)
        notes << (s.ran ? tr("%1: %2 flagged. %3").arg(s.detector).arg(s.flagged).arg(s.note)
                        : tr("%1: did not run. %2").arg(s.detector, s.note));
    m_summary->setToolTip(notes.join(QLatin1Char('\n')));
}

void FindingsPage::runScan()
{
    if (!m_plotPane->isProjecting())
        m_scanBar->scan();
}

void FindingsPage::recordScan()
{
    ReviewSigner *signer = m_review->signer();
    if (!m_result || m_recorded || m_session->isReadOnly() || signer->isBusy())
        return;
    auto result = m_result;
    const auto record = [this, signer, result] {
        const auto step = [result](Workspace &ws, const SigningKey *key, QString *error) {
            return ScanStore(ws).record(*result, key, nullptr, error);
        };
        signer->run(step, [this, result](bool ok, const QString &error) {
            if (!ok) {
                Q_EMIT errorOccurred(tr("The scan of %1 was not recorded: %2").arg(result->version, error));
                return;
            }
            if (result == m_result)
                m_recorded = true;
            updateSummary();
            m_session->notifyLedgerChanged();
            Q_EMIT completed(tr("Recorded the scan of %1: %2 flagged records.")
                                 .arg(result->version)
                                 .arg(result->ranking.size()));
            Q_EMIT scanRecorded();
        });
    };
    if (Ledger(*m_session->workspace()).state().isSigned())
        m_review->withKey(
            tr("Record the scan of %1 as %2").arg(result->version, m_identity->displayName(m_session->workspace())), record);
    else
        record(); // an unsigned workspace hash-chains the event without a signature
}

void FindingsPage::refresh()
{
    m_review->refresh(); // the batch's state: a submission clears the undo history
    refreshDecisions();
    updateActions();
}

void FindingsPage::refreshDecisions()
{
    if (!m_result || !m_session->workspace())
        return;
    const QList<Decision> decisions = Ledger(*m_session->workspace()).state().decisions(m_result->version);
    m_queue->setDecisions(decisions);
    m_plotPane->setDecisions(decisions);
    if (m_inspector->currentRow() >= 0)
        onCurrentRow(m_inspector->currentRow());
}

void FindingsPage::onCurrentRow(int row)
{
    if (!m_result || row < 0) {
        m_inspector->showRow(-1, std::nullopt);
        return;
    }
    m_inspector->showRow(row, m_queue->model()->decisionOf(m_result->ids.value(row)));
    m_plotPane->setCurrentRow(row);
    // The relabel list opens on the label the evidence points to.
    for (const Finding &f : m_result->findingsFor(row))
        if (!f.suggestedLabel.isEmpty()) {
            m_decisionBar->suggestLabel(f.suggestedLabel);
            break;
        }
}

void FindingsPage::onPlotSelection(const QList<int> &rows)
{
    m_queue->selectRows(rows);
    const qsizetype shown = m_queue->selectedRows().size();
    if (shown < rows.size())
        m_decisionBar->setSelectionText(tr("%1 of the %2 records enclosed are in the queue; “Show all records” lists the others")
                                            .arg(shown)
                                            .arg(rows.size()));
    if (shown == 0 && !rows.isEmpty())
        onCurrentRow(rows.constFirst());
}

void FindingsPage::updateActions()
{
    const bool shown = isVisible();
    const auto batch = m_scanBar->batch();
    const bool busy = isBusy();
    const auto apply = [this, shown](const char *name, const QString &why, const QString &tip = {}) {
        PolicyGate::apply(m_actions->action(QLatin1String(name)), shown ? why : tr("Open the findings page first."),
                          tip);
    };
    QString scanWhy;
    if (!m_session->isOpen() || !batch)
        scanWhy = tr("Choose a batch first.");
    else if (busy)
        scanWhy = tr("Wait for the running job, or cancel it.");
    else if (m_session->isReadOnly())
        scanWhy = tr("This workspace is open read-only: a scan could not be recorded.");
    else if (Ledger(*m_session->workspace()).state().isSigned())
        scanWhy = PolicyGate::whyNot(m_session, m_identity, EventType::ScanRecorded,
                                     {{QStringLiteral("version"), batch->ref.toString()},
                                      {QStringLiteral("kind"), QStringLiteral("detectors")}});
    apply(ActionId::FindingsRunScan, scanWhy,
          tr("Run the detectors over the batch against the baseline, then record the scan"));
    apply(ActionId::FindingsCancel, m_scanBar->isScanning() ? QString() : tr("No scan is running."));
    const bool unrecorded = m_result && !m_recorded && !m_review->signer()->isBusy();
    apply(ActionId::FindingsRecordScan, unrecorded ? scanWhy : tr("There is no unrecorded scan."));
    const QString noScan = m_result ? QString() : tr("Run or load a scan first.");
    apply(ActionId::FindingsNext, noScan);
    apply(ActionId::FindingsPrevious, noScan);
    m_review->updateActions(shown && m_result, shown ? noScan : tr("Open the findings page first."));
}

} // namespace custody
