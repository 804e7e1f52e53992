#pragma once

#include "ledger/SignOff.h"
#include "ledger/StateStore.h"

#include <QList>
#include <QString>
#include <QUndoCommand>

#include <optional>

namespace custody {

class ReviewHistory;

// One record an edit changes, with its decision before the edit (none: undecided) so that undo puts it back.
struct ReviewTarget
{
    int row = -1; // the record's row in the batch, to show what an undo touched
    QString record;
    std::optional<Decision> previous;
};

// The review edits of one batch (Tiled's practice: one command class per kind of edit). redo() and undo() hand
// their changes to the ReviewHistory, which signs them as decision events, one per record, through
// SignOff::decideAll on a worker thread (all of an edit's records in one transaction); the ledger keeps both the edit and its undo.
class ReviewCommand : public QUndoCommand
{
public:
    const QList<ReviewTarget> &targets() const { return m_targets; }
    QList<int> rows() const;
    // What redo and undo sign: the edit's decision for every target, and each target's previous decision (or
    // "clear" for a record that had none).
    QList<DecisionChange> redoChanges() const;
    QList<DecisionChange> undoChanges() const;

    void redo() override;
    void undo() override;

protected:
    ReviewCommand(ReviewHistory *history, QList<ReviewTarget> targets, const QString &text);
    virtual DecisionChange after(const ReviewTarget &target) const = 0;

private:
    ReviewHistory *m_history;
    QList<ReviewTarget> m_targets;
};

// Keep, exclude or relabel records: one press of K, X or L on a selection (a lasso) is one edit.
class DecideCommand : public ReviewCommand
{
public:
    DecideCommand(ReviewHistory *history, QList<ReviewTarget> targets, const QString &action, const QString &label,
                  const QString &note);
    QString action() const { return m_action; }
    QString label() const { return m_label; }
    QString note() const { return m_note; }
    // "Exclude 2 records", "Relabel r17 as 3"
    static QString describe(const QString &action, const QString &label, const QList<ReviewTarget> &targets);

protected:
    DecisionChange after(const ReviewTarget &target) const override;

private:
    QString m_action;
    QString m_label;
    QString m_note;
};

// Withdraws the decisions of records (they become undecided again).
class ClearDecisionCommand : public ReviewCommand
{
public:
    ClearDecisionCommand(ReviewHistory *history, QList<ReviewTarget> targets);

protected:
    DecisionChange after(const ReviewTarget &target) const override;
};

} // namespace custody
