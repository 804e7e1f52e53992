#pragma once

#include "ledger/SignOff.h"
#include "storage/Delta.h"

#include <QHash>
#include <QMap>
#include <QWidget>

class QGridLayout;
class QLabel;

namespace custody {

// What an approver reads before signing, for one batch: its state, what changed against its parent, how it
// was decided and by whom, its digest, and where the policy stands (approvals so far, approvals required,
// every approver with whether they may approve and, when not, the rule that stops them).
class BatchSummaryView : public QWidget
{
    Q_OBJECT
public:
    explicit BatchSummaryView(QWidget *parent = nullptr);

    // `names`: key id -> principal name; `approvers`: principals holding the approver role;
    // `releasedAs`: the versions released from this batch.
    void showSummary(const BatchSummary &summary, const QHash<QString, QString> &names,
                     const QList<Principal> &approvers, const QStringList &releasedAs);
    void showChangesPending(const QString &parent);
    void showChanges(const QString &parent, const Delta &delta);
    void showChangesUnavailable(const QString &reason);
    void showYou(const QString &text, bool allowed);
    void clear();

    QString stateText() const;
    QString changesText() const;
    QString decisionsText() const;
    QString approvalsText() const;
    QString youText() const;
    QStringList approverNames() const { return m_approverStatus.keys(); }
    // "may approve", "approved 2025-11-20 10:02", "may not approve: Refused by rule '…': …"; empty when unlisted.
    QString approverStatus(const QString &name) const { return m_approverStatus.value(name); }

private:
    struct ApproverLine
    {
        QString name;
        QString status;
        QString why;
        bool refused = false;
    };
    void showApprovers(const QList<ApproverLine> &lines);

    QLabel *m_state;
    QLabel *m_changes;
    QLabel *m_decisions;
    QLabel *m_byPerson;
    QLabel *m_digest;
    QLabel *m_approvalCount;
    QWidget *m_approvers;
    QGridLayout *m_approverGrid;
    QMap<QString, QString> m_approverStatus;
    QLabel *m_you;
};

} // namespace custody
