#include "findings/review/ReviewHistory.h"

#include "session/PolicyGate.h"
#include "findings/review/ReviewSigner.h"
#include "ledger/Ledger.h"
#include "ledger/SignOff.h"
#include "storage/Workspace.h"

#include <QHash>
#include <QUndoStack>

namespace custody {

ReviewHistory::ReviewHistory(ReviewSigner *signer, QObject *parent)
    : QObject(parent), m_signer(signer), m_stack(new QUndoStack(this))
{
}

ReviewHistory::~ReviewHistory() = default;

void ReviewHistory::setBatch(Workspace *workspace, const std::optional<VersionRef> &batch)
{
    m_workspace = workspace;
    m_batch = batch;
    clear();
}

void ReviewHistory::clear()
{
    // A write in flight finishes on its own; its outcome no longer belongs to any step of the history.
    m_inFlight = nullptr;
    m_stack->clear();
}

bool ReviewHistory::canUndo() const
{
    return !isBusy() && m_stack->canUndo();
}

bool ReviewHistory::canRedo() const
{
    return !isBusy() && m_stack->canRedo();
}

void ReviewHistory::undo()
{
    if (canUndo())
        m_stack->undo();
}

void ReviewHistory::redo()
{
    if (canRedo())
        m_stack->redo();
}

bool ReviewHistory::prepare(QList<ReviewTarget> *targets, const DecisionChange &wanted, QString *why)
{
    if (!m_workspace || !m_batch) {
        *why = tr("Choose a batch first.");
        return false;
    }
    if (isBusy() || m_signer->isBusy()) {
        *why = tr("The previous change is still being signed.");
        return false;
    }
    QHash<QString, Decision> current;
    for (const Decision &d : Ledger(*m_workspace).state().decisions(m_batch->toString()))
        current.insert(d.recordId, d);
    QList<ReviewTarget> kept;
    for (ReviewTarget t : std::as_const(*targets)) {
        const auto d = current.constFind(t.record);
        t.previous = d == current.cend() ? std::nullopt : std::optional<Decision>(*d);
        const bool same = wanted.action == QLatin1String("clear")
            ? !t.previous
            : t.previous && t.previous->action == wanted.action && t.previous->label == wanted.label
                && t.previous->note == wanted.note;
        if (!same)
            kept.append(t);
    }
    if (kept.isEmpty()) {
        *why = targets->isEmpty() ? tr("Select the records to decide first.")
                                  : tr("Nothing to change: the selected records already carry that decision.");
        return false;
    }
    *targets = kept;
    return true;
}

bool ReviewHistory::decide(QList<ReviewTarget> targets, const QString &action, const QString &label,
                           const QString &note, QString *why)
{
    const QString kept = action == QLatin1String("relabel") ? label : QString();
    if (action == QLatin1String("relabel") && label.isEmpty()) {
        *why = tr("Choose the new label first.");
        return false;
    }
    if (!prepare(&targets, DecisionChange{QString(), action, kept, note}, why))
        return false;
    m_stack->push(new DecideCommand(this, targets, action, kept, note));
    return true;
}

bool ReviewHistory::clearDecisions(QList<ReviewTarget> targets, QString *why)
{
    if (!prepare(&targets, DecisionChange{QString(), QStringLiteral("clear"), {}, {}}, why))
        return false;
    m_stack->push(new ClearDecisionCommand(this, targets));
    return true;
}

void ReviewHistory::write(ReviewCommand *command, const QList<DecisionChange> &changes, bool undoing)
{
    // QUndoStack calls redo()/undo() synchronously; the events are signed on a worker and the stack is
    // corrected in onWritten() should the ledger refuse them. All of an edit's records are one transaction,
    // so an edit is signed whole or not at all and the history always matches the ledger.
    const VersionRef batch = m_batch.value_or(VersionRef());
    ReviewSigner::Step step = [batch, changes](Workspace &ws, const SigningKey *key, QString *error) {
        if (!key) {
            *error = QStringLiteral("your key is locked; unlock it to sign decisions");
            return false;
        }
        SignOff signOff(ws);
        if (signOff.decideAll(*key, batch, changes, error))
            return true;
        if (!signOff.lastRefusal().rule.isEmpty())
            *error = PolicyGate::describe(signOff.lastRefusal());
        return false;
    };
    m_inFlight = command;
    const bool started = m_signer->run(step, [this, command, undoing](bool ok, const QString &error) {
        onWritten(command, undoing, ok, error);
    });
    if (!started) {
        // Nothing was signed: the stack drops the command as soon as redo()/undo() returns.
        m_inFlight = nullptr;
        command->setObsolete(true);
        Q_EMIT failed(tr("%1: the previous change is still being signed.").arg(command->text()));
        return;
    }
    Q_EMIT busyChanged(true);
}

void ReviewHistory::onWritten(ReviewCommand *command, bool undoing, bool ok, const QString &error)
{
    if (command != m_inFlight) { // the history was cleared meanwhile (another batch, a submission)
        Q_EMIT busyChanged(isBusy());
        return;
    }
    m_inFlight = nullptr;
    const QList<int> rows = command->rows();
    const QString what = command->text();
    if (ok) {
        Q_EMIT busyChanged(false);
        Q_EMIT decisionsChanged(rows);
        Q_EMIT completed(undoing ? tr("Undone: %1.").arg(what) : tr("%1: signed.").arg(what));
        return;
    }
    // Nothing of the edit was signed. An obsolete command is removed by the stack's next move without being run
    // again; the rest of the history stays.
    command->setObsolete(true);
    if (undoing)
        m_stack->redo();
    else
        m_stack->undo();
    Q_EMIT busyChanged(false);
    Q_EMIT failed(tr("%1 was not signed: %2").arg(undoing ? tr("Undoing “%1”").arg(what) : what, error));
    Q_EMIT decisionsChanged(rows);
}

} // namespace custody
