#pragma once

#include "ledger/Policy.h"

#include <QJsonObject>
#include <QString>

namespace custody {

class Identity;
class WorkspaceSession;

// Whether the current identity may take one signed step in the open workspace and, when not, why, in a
// sentence for a tooltip. It asks the same Policy::authorize that the core applies when the event is
// appended, against the real state, so a button is disabled exactly when the core would refuse.
class PolicyGate
{
public:
    // "" when the step may be taken; otherwise the reason, naming the rule for policy refusals.
    static QString whyNot(WorkspaceSession *session, Identity *identity, const QString &type, const QJsonObject &body);
    // Reasons that come before any rule: no workspace, a read-only workspace, no identity. "" when none.
    static QString preconditionMissing(WorkspaceSession *session, Identity *identity);
    // "Refused by rule 'no-self-approval': you submitted fashion@v2, so you may not approve it"
    static QString describe(const Refusal &refusal);

    // Enables `control` (a QAction or a button) when `whyNot` is empty; otherwise disables it with the reason as
    // its tooltip. `tip` is the tooltip of an enabled control.
    template<typename Control>
    static void apply(Control *control, const QString &whyNot, const QString &tip = {})
    {
        control->setEnabled(whyNot.isEmpty());
        control->setToolTip(whyNot.isEmpty() ? tip : whyNot);
    }
};

} // namespace custody
