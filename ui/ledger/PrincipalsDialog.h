#pragma once

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;

namespace custody {

class Identity;
class WorkspaceSession;

// The principals of a signed workspace (name, roles, key, active or revoked) and, for admins, adding one from
// a public key file with its roles, and revoking one. Each change is a signed event through SignOff; for
// anyone the policy would refuse, the buttons are disabled with the rule as their tooltip.
class PrincipalsDialog : public QDialog
{
    Q_OBJECT
public:
    enum Column { NameColumn, RolesColumn, KeyColumn, StateColumn };

    PrincipalsDialog(WorkspaceSession *session, Identity *identity, QWidget *parent = nullptr);

    QTreeWidget *list() const { return m_list; }
    QString messageText() const;
    void refresh();

Q_SIGNALS:
    void changed(const QString &message);

private:
    void updateButtons();
    void browse();
    void add();
    void revoke();
    void showMessage(const QString &text, bool error);
    QStringList checkedRoles() const;

    WorkspaceSession *m_session;
    Identity *m_identity;
    QTreeWidget *m_list;
    QPushButton *m_revoke;
    QLineEdit *m_keyFile;
    QPushButton *m_browse;
    QLineEdit *m_name;
    QList<QCheckBox *> m_roles;
    QPushButton *m_add;
    QLabel *m_message;
};

} // namespace custody
