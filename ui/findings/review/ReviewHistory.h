#pragma once

#include "findings/review/ReviewCommands.h"
#include "storage/DatasetVersion.h"

#include <QObject>

#include <atomic>
#include <memory>
#include <optional>

class QUndoStack;

namespace custody {

class ReviewSigner;
class Workspace;

// The undo history of the decisions on one batch: a QUndoStack of review commands whose redo and undo are
// signed decision events, written by the ReviewSigner off the GUI thread. One write runs at a time (isBusy()).
// Each record is one event, and all the events of one edit are one transaction (SignOff::decideAll): an edit
// is signed whole or not at all, so a refused edit leaves the rest of the history as it was.
class ReviewHistory : public QObject
{
    Q_OBJECT
public:
    ReviewHistory(ReviewSigner *signer, QObject *parent = nullptr);
    ~ReviewHistory() override;

    // The batch edited, and the connection its current decisions are read from (the GUI thread's). Clears the
    // history; null / nullopt for none.
    void setBatch(Workspace *workspace, const std::optional<VersionRef> &batch);
    std::optional<VersionRef> batch() const { return m_batch; }
    QUndoStack *stack() const { return m_stack; }
    ReviewSigner *signer() const { return m_signer; }
    bool isBusy() const { return m_inFlight != nullptr; }

    // One edit over `targets` (their `previous` is read here from the ledger's state). Records that already
    // carry exactly this decision are left out; false with *why when nothing is left, or while busy.
    bool decide(QList<ReviewTarget> targets, const QString &action, const QString &label, const QString &note,
                QString *why);
    bool clearDecisions(QList<ReviewTarget> targets, QString *why);
    bool canUndo() const;
    bool canRedo() const;
    void undo();
    void redo();
    void clear();

Q_SIGNALS:
    void busyChanged(bool busy);
    // After every write, whether or not all of it was signed: the decisions on screen must be re-read.
    void decisionsChanged(const QList<int> &rows);
    void completed(const QString &message); // "Exclude 2 records: signed."
    void failed(const QString &message);

private:
    friend class ReviewCommand;
    void write(ReviewCommand *command, const QList<DecisionChange> &changes, bool undoing);
    void onWritten(ReviewCommand *command, bool undoing, bool ok, const QString &error);
    bool prepare(QList<ReviewTarget> *targets, const DecisionChange &wanted, QString *why);

    ReviewSigner *m_signer;
    QUndoStack *m_stack;
    Workspace *m_workspace = nullptr;
    std::optional<VersionRef> m_batch;
    ReviewCommand *m_inFlight = nullptr;
};

} // namespace custody
