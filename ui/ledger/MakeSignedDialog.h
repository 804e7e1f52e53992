#pragma once

#include <QDialog>

class QLineEdit;
class QSpinBox;

namespace custody {

// The two choices of making a workspace signed: the name the current identity gets as its admin, and how many
// distinct approvers a release needs (K). Signing the genesis event happens after, with the passphrase.
class MakeSignedDialog : public QDialog
{
    Q_OBJECT
public:
    MakeSignedDialog(const QString &adminName, QWidget *parent = nullptr);

    QString adminName() const;
    int approvalsRequired() const;

private:
    QLineEdit *m_name;
    QSpinBox *m_approvals;
};

} // namespace custody
