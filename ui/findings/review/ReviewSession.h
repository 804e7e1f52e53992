#pragma once

#include "findings/review/ReviewCommands.h"
#include "storage/DatasetVersion.h"

#include <QObject>

#include <functional>
#include <optional>

class QWidget;

namespace custody {

class ActionRegistry;
class DecisionBar;
class Identity;
class ReviewHistory;
class ReviewSigner;
class WorkspaceSession;

// The signed side of reviewing one batch: the curator's key (ReviewSigner, unlocked at the first signed step),
// the undo history (ReviewHistory) and the decision actions (action_findings_keep, _exclude, _relabel, _clear,
// _undo, _redo), enabled exactly when a decision could be signed and otherwise saying why in their tooltips: a
// read-only or unsigned workspace, no identity, a rule of the policy, a submitted batch. Once the batch is
// submitted its history is cleared and the key locked: submitted decisions are signed off.
class ReviewSession : public QObject
{
    Q_OBJECT
public:
    // The records a decision applies to now (the queue's selection).
    using Selection = std::function<QList<ReviewTarget>()>;

    ReviewSession(WorkspaceSession *session, Identity *identity, ActionRegistry *actions, DecisionBar *bar,
                  Selection selection, QWidget *dialogParent);
    ~ReviewSession() override;

    void setBatch(const std::optional<DatasetVersion> &batch);
    // Re-reads the batch's state from the ledger (after any ledger change).
    void refresh();
    // "" when the current identity could sign a decision on the batch now; otherwise why not.
    QString whyNoDecision() const;
    // `active`: the page is shown and has a scan (the actions are dead otherwise).
    void updateActions(bool active, const QString &inactiveReason);

    // Runs `then` with the key unlocked, asking for the passphrase first when it is locked.
    void withKey(const QString &description, std::function<void()> then);
    void decide(const QString &action, const QString &label = {});
    void withdraw();
    void undo();
    void redo();

    ReviewSigner *signer() const { return m_signer; }
    ReviewHistory *history() const { return m_history; }
    QString batchState() const { return m_state; }

Q_SIGNALS:
    void decisionsChanged();
    void errorOccurred(const QString &message);
    void completed(const QString &message);
    void actionsChanged(); // something the enabled state depends on changed

private:
    QString me() const;

    WorkspaceSession *m_session;
    Identity *m_identity;
    ActionRegistry *m_actions;
    DecisionBar *m_bar;
    Selection m_selection;
    QWidget *m_dialogParent;
    ReviewSigner *m_signer;
    ReviewHistory *m_history;
    std::optional<DatasetVersion> m_batch;
    QString m_state; // open | submitted | vetoed | released
};

} // namespace custody
