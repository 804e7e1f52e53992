#include "identity/IdentityStatus.h"

#include "identity/Identity.h"
#include "session/WorkspaceSession.h"
#include "ledger/Ledger.h"
#include "storage/Workspace.h"

namespace custody {

IdentityStatus::IdentityStatus(Identity *identity, WorkspaceSession *session, QWidget *parent)
    : QToolButton(parent), m_identity(identity), m_session(session)
{
    setObjectName(QStringLiteral("statusIdentity"));
    setAutoRaise(true);
    setToolButtonStyle(Qt::ToolButtonTextOnly);
    connect(identity, &Identity::changed, this, &IdentityStatus::refresh);
    connect(session, &WorkspaceSession::opened, this, &IdentityStatus::refresh);
    connect(session, &WorkspaceSession::closed, this, &IdentityStatus::refresh);
    connect(session, &WorkspaceSession::ledgerChanged, this, &IdentityStatus::refresh);
    refresh();
}

void IdentityStatus::refresh()
{
    if (!m_identity->isSet()) {
        setText(m_identity->needsChoice() ? tr("Choose your identity…") : tr("No identity: set one up…"));
        setToolTip(tr("Signing needs your own key, kept encrypted outside every workspace."));
        return;
    }
    QString text = tr("%1 · %2").arg(m_identity->keyName(), m_identity->shortKeyId());
    Workspace *ws = m_session->workspace();
    if (ws && Ledger(*ws).state().isSigned()) {
        if (const auto p = m_identity->principalIn(ws)) {
            const QString roles = p->roles.join(QStringLiteral(", "));
            // The principal's name only when it differs from the key's.
            if (!p->isActive())
                text += p->name == m_identity->keyName() ? tr(" · revoked here") : tr(" · %1 here, revoked").arg(p->name);
            else
                text += p->name == m_identity->keyName() ? tr(" · %1 here").arg(roles) : tr(" · %1 here (%2)").arg(p->name, roles);
        }
        else {
            text += tr(" · not registered here");
        }
    }
    setText(text);
    setToolTip(tr("Signing as key '%1' (%2). Click to choose another.").arg(m_identity->keyName(), m_identity->keyId()));
}

} // namespace custody
