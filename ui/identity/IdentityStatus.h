#pragma once

#include <QToolButton>

namespace custody {

class Identity;
class WorkspaceSession;

// The status bar's "who am I": key name and short key id, and the principal name and roles in the open
// workspace when registered there. Clicking it offers the identity chooser (or the setup when there is none).
class IdentityStatus : public QToolButton
{
    Q_OBJECT
public:
    IdentityStatus(Identity *identity, WorkspaceSession *session, QWidget *parent = nullptr);

    void refresh();

private:
    Identity *m_identity;
    WorkspaceSession *m_session;
};

} // namespace custody
