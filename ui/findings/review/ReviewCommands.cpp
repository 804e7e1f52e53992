#include "findings/review/ReviewCommands.h"

#include "findings/review/ReviewHistory.h"

#include <QCoreApplication>

namespace custody {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("ReviewCommands", text);
}

QString records(const QList<ReviewTarget> &targets)
{
    return targets.size() == 1 ? targets.constFirst().record : tr("%1 records").arg(targets.size());
}
} // namespace

ReviewCommand::ReviewCommand(ReviewHistory *history, QList<ReviewTarget> targets, const QString &text)
    : QUndoCommand(text), m_history(history), m_targets(std::move(targets))
{
}

QList<int> ReviewCommand::rows() const
{
    QList<int> out;
    out.reserve(m_targets.size());
    for (const ReviewTarget &t : m_targets)
        out.append(t.row);
    return out;
}

QList<DecisionChange> ReviewCommand::redoChanges() const
{
    QList<DecisionChange> out;
    out.reserve(m_targets.size());
    for (const ReviewTarget &t : m_targets)
        out.append(after(t));
    return out;
}

QList<DecisionChange> ReviewCommand::undoChanges() const
{
    QList<DecisionChange> out;
    out.reserve(m_targets.size());
    for (const ReviewTarget &t : m_targets) {
        if (t.previous)
            out.append(DecisionChange{t.record, t.previous->action, t.previous->label, t.previous->note});
        else
            out.append(DecisionChange{t.record, QStringLiteral("clear"), {}, {}});
    }
    return out;
}

void ReviewCommand::redo()
{
    m_history->write(this, redoChanges(), false);
}

void ReviewCommand::undo()
{
    m_history->write(this, undoChanges(), true);
}

QString DecideCommand::describe(const QString &action, const QString &label, const QList<ReviewTarget> &targets)
{
    if (action == QLatin1String("keep"))
        return tr("Keep %1").arg(records(targets));
    if (action == QLatin1String("exclude"))
        return tr("Exclude %1").arg(records(targets));
    return tr("Relabel %1 as %2").arg(records(targets), label);
}

DecideCommand::DecideCommand(ReviewHistory *history, QList<ReviewTarget> targets, const QString &action,
                             const QString &label, const QString &note)
    : ReviewCommand(history, targets, describe(action, label, targets)), m_action(action),
      m_label(action == QLatin1String("relabel") ? label : QString()), m_note(note)
{
}

DecisionChange DecideCommand::after(const ReviewTarget &target) const
{
    return DecisionChange{target.record, m_action, m_label, m_note};
}

ClearDecisionCommand::ClearDecisionCommand(ReviewHistory *history, QList<ReviewTarget> targets)
    : ReviewCommand(history, targets, tr("Withdraw the decision of %1").arg(records(targets)))
{
}

DecisionChange ClearDecisionCommand::after(const ReviewTarget &target) const
{
    return DecisionChange{target.record, QStringLiteral("clear"), {}, {}};
}

} // namespace custody
