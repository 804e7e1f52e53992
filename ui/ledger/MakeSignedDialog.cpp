#include "ledger/MakeSignedDialog.h"

#include "ledger/SignOff.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace custody {

MakeSignedDialog::MakeSignedDialog(const QString &adminName, QWidget *parent)
    : QDialog(parent), m_name(new QLineEdit(adminName)), m_approvals(new QSpinBox)
{
    setObjectName(QStringLiteral("makeSignedDialog"));
    setWindowTitle(tr("Make the workspace signed"));
    auto *text = new QLabel(tr("From now on every change to this workspace is an event signed by a registered "
                               "person. You become its admin: you register the others (curators, approvers, "
                               "analysts). The history so far is adopted as it is: the first signed event commits "
                               "to its hash. This cannot be undone."));
    text->setWordWrap(true);
    m_name->setObjectName(QStringLiteral("makeSignedName"));
    m_approvals->setObjectName(QStringLiteral("makeSignedApprovals"));
    m_approvals->setRange(1, 20);
    m_approvals->setValue(SignOff::kDefaultApprovals);
    m_approvals->setSuffix(tr(" distinct approvers"));

    auto *form = new QFormLayout;
    form->addRow(tr("Your name as admin:"), m_name);
    form->addRow(tr("A release needs:"), m_approvals);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    QPushButton *ok = buttons->button(QDialogButtonBox::Ok);
    ok->setObjectName(QStringLiteral("makeSignedOkButton"));
    ok->setText(tr("Continue…"));
    connect(m_name, &QLineEdit::textChanged, ok, [ok](const QString &t) { ok->setEnabled(!t.trimmed().isEmpty()); });
    ok->setEnabled(!adminName.trimmed().isEmpty());
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(text);
    layout->addLayout(form);
    layout->addWidget(buttons);
    setMinimumWidth(460);
}

QString MakeSignedDialog::adminName() const
{
    return m_name->text().trimmed();
}

int MakeSignedDialog::approvalsRequired() const
{
    return m_approvals->value();
}

} // namespace custody
