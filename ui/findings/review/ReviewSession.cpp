#include "findings/review/ReviewSession.h"

#include "shell/ActionIds.h"

#include "shell/ActionRegistry.h"
#include "findings/DecisionBar.h"
#include "identity/Identity.h"
#include "session/PolicyGate.h"
#include "findings/review/ReviewHistory.h"
#include "findings/review/ReviewSigner.h"
#include "session/WorkspaceSession.h"
#include "ledger/Ledger.h"
#include "storage/Workspace.h"

#include <QAction>
#include <QComboBox>
#include <QUndoStack>

namespace custody {

ReviewSession::ReviewSession(WorkspaceSession *session, Identity *identity, ActionRegistry *actions, DecisionBar *bar,
                             Selection selection, QWidget *dialogParent)
    : QObject(dialogParent), m_session(session), m_identity(identity), m_actions(actions), m_bar(bar),
      m_selection(std::move(selection)), m_dialogParent(dialogParent), m_signer(new ReviewSigner(this)),
      m_history(new ReviewHistory(m_signer, this))
{
    const auto action = [actions](const char *name) { return actions->action(QLatin1String(name)); };
    connect(action(ActionId::FindingsKeep), &QAction::triggered, this, [this] { decide(QStringLiteral("keep")); });
    connect(action(ActionId::FindingsExclude), &QAction::triggered, this, [this] { decide(QStringLiteral("exclude")); });
    connect(action(ActionId::FindingsRelabel), &QAction::triggered, m_bar, &DecisionBar::pickLabel);
    connect(m_bar, &DecisionBar::labelPicked, this, [this](const QString &label) { decide(QStringLiteral("relabel"), label); });
    connect(action(ActionId::FindingsClear), &QAction::triggered, this, &ReviewSession::withdraw);
    connect(action(ActionId::FindingsUndo), &QAction::triggered, this, &ReviewSession::undo);
    connect(action(ActionId::FindingsRedo), &QAction::triggered, this, &ReviewSession::redo);
    connect(m_bar, &DecisionBar::lockRequested, m_signer, &ReviewSigner::lock);
    connect(m_identity, &Identity::changed, m_signer, &ReviewSigner::lock); // never sign for someone else

    connect(m_signer, &ReviewSigner::unlockedChanged, this, &ReviewSession::actionsChanged);
    connect(m_signer, &ReviewSigner::busyChanged, this, &ReviewSession::actionsChanged);
    connect(m_signer, &ReviewSigner::unlockFailed, this, &ReviewSession::errorOccurred);
    connect(m_history, &ReviewHistory::busyChanged, this, &ReviewSession::actionsChanged);
    connect(m_history->stack(), &QUndoStack::indexChanged, this, &ReviewSession::actionsChanged);
    connect(m_history, &ReviewHistory::failed, this, &ReviewSession::errorOccurred);
    connect(m_history, &ReviewHistory::completed, this, &ReviewSession::completed);
    connect(m_history, &ReviewHistory::decisionsChanged, this, &ReviewSession::decisionsChanged);
}

ReviewSession::~ReviewSession() = default;

QString ReviewSession::me() const
{
    return m_identity->displayName(m_session->workspace());
}

void ReviewSession::setBatch(const std::optional<DatasetVersion> &batch)
{
    m_signer->lock();
    m_signer->setWorkspacePath(m_session->path());
    m_batch = batch;
    m_history->setBatch(m_session->workspace(), batch ? std::optional(batch->ref) : std::nullopt);
    m_state.clear();
    refresh();
}

void ReviewSession::refresh()
{
    Workspace *ws = m_session->workspace();
    const QString before = m_state;
    m_state = ws && m_batch ? Ledger(*ws).state().batch(m_batch->ref.toString()).state : QString();
    // Submitted decisions are signed off: no step before the submission may be undone from here.
    if (m_state != before && (m_state == QLatin1String("submitted") || m_state == QLatin1String("released"))) {
        m_history->clear();
        m_signer->lock();
    }
    Q_EMIT actionsChanged();
}

QString ReviewSession::whyNoDecision() const
{
    Workspace *ws = m_session->workspace();
    if (!ws || !m_batch)
        return tr("Choose a batch first.");
    if (!m_session->integrityProblem().isEmpty())
        return tr("This workspace is read-only: %1").arg(m_session->integrityProblem());
    if (m_session->isReadOnly())
        return tr("This workspace is open read-only.");
    if (!Ledger(*ws).state().isSigned())
        return tr("Make the workspace signed to record decisions (Ledger ▸ Make Workspace Signed…).");
    const QString batch = m_batch->ref.toString();
    if (m_state == QLatin1String("submitted"))
        return tr("%1 is submitted for approval: its decisions are signed off.").arg(batch);
    if (m_state == QLatin1String("released"))
        return tr("%1 has been released: its decisions can no longer change.").arg(batch);
    const QJsonObject body{{QStringLiteral("version"), batch}, {QStringLiteral("record"), QString()},
                           {QStringLiteral("action"), QStringLiteral("keep")}};
    if (const QString why = PolicyGate::whyNot(m_session, m_identity, EventType::DecisionMade, body); !why.isEmpty())
        return why;
    if (m_history->isBusy() || m_signer->isBusy())
        return tr("The previous change is still being signed.");
    return QString();
}

void ReviewSession::updateActions(bool active, const QString &inactiveReason)
{
    const QString why = active ? whyNoDecision() : inactiveReason;
    const QString noSelection = m_selection().isEmpty() ? tr("Select the records to decide first.") : QString();
    const QString decideWhy = !why.isEmpty() ? why : noSelection;
    const auto apply = [this](const char *name, const QString &reason, const QString &tip) {
        PolicyGate::apply(m_actions->action(QLatin1String(name)), reason, tip);
    };
    apply(ActionId::FindingsKeep, decideWhy, tr("Keep the selected records (K)"));
    apply(ActionId::FindingsExclude, decideWhy, tr("Exclude the selected records from the release (X)"));
    apply(ActionId::FindingsRelabel, decideWhy, tr("Give the selected records another label (L, then pick it)"));
    apply(ActionId::FindingsClear, decideWhy, tr("Withdraw the decisions of the selected records"));
    m_bar->labelCombo()->setEnabled(decideWhy.isEmpty());
    const QUndoStack *stack = m_history->stack();
    apply(ActionId::FindingsUndo, !why.isEmpty() ? why : m_history->canUndo() ? QString() : tr("Nothing to undo."),
          tr("Undo: %1").arg(stack->undoText()));
    apply(ActionId::FindingsRedo, !why.isEmpty() ? why : m_history->canRedo() ? QString() : tr("Nothing to redo."),
          tr("Redo: %1").arg(stack->redoText()));

    if (!why.isEmpty())
        m_bar->setSignerText(why, m_signer->isUnlocked());
    else if (m_signer->isUnlocked())
        m_bar->setSignerText(tr("Signing as %1 — key unlocked for this review").arg(me()), true);
    else
        m_bar->setSignerText(tr("Signing as %1 — your first decision asks for your passphrase").arg(me()), false);
}

void ReviewSession::withKey(const QString &description, std::function<void()> then)
{
    if (m_signer->isUnlocked() && m_signer->keyId() == m_identity->keyId()) {
        then();
        return;
    }
    m_signer->lock();
    m_signer->setWorkspacePath(m_session->path());
    m_signer->unlock(m_identity, description, m_dialogParent, std::move(then));
}

void ReviewSession::decide(const QString &action, const QString &label)
{
    const QList<ReviewTarget> targets = m_selection();
    if (!whyNoDecision().isEmpty() || targets.isEmpty())
        return;
    const QString note = m_bar->note();
    const QString what = tr("%1 in %2 as %3").arg(DecideCommand::describe(action, label, targets), m_batch->ref.toString(), me());
    withKey(what, [this, targets, action, label, note] {
        QString why;
        if (m_history->decide(targets, action, label, note, &why))
            m_bar->clearNote();
        else
            Q_EMIT errorOccurred(why);
    });
}

void ReviewSession::withdraw()
{
    const QList<ReviewTarget> targets = m_selection();
    if (!whyNoDecision().isEmpty() || targets.isEmpty())
        return;
    withKey(tr("Withdraw decisions in %1 as %2").arg(m_batch->ref.toString(), me()), [this, targets] {
        QString why;
        if (!m_history->clearDecisions(targets, &why))
            Q_EMIT errorOccurred(why);
    });
}

// Undo and redo are signed decision events too: a key locked meanwhile is asked for first.
void ReviewSession::undo()
{
    if (whyNoDecision().isEmpty() && m_history->canUndo())
        withKey(tr("Undo “%1” as %2").arg(m_history->stack()->undoText(), me()), [this] { m_history->undo(); });
}

void ReviewSession::redo()
{
    if (whyNoDecision().isEmpty() && m_history->canRedo())
        withKey(tr("Redo “%1” as %2").arg(m_history->stack()->redoText(), me()), [this] { m_history->redo(); });
}

} // namespace custody
