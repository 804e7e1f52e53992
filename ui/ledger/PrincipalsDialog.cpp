#include "ledger/PrincipalsDialog.h"

#include "identity/Identity.h"
#include "identity/PassphraseDialog.h"
#include "session/PolicyGate.h"
#include "session/WorkspaceSession.h"
#include "identity/PublicKey.h"
#include "ledger/SignOff.h"
#include "storage/Workspace.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace custody {

namespace {
constexpr int kKeyIdRole = Qt::UserRole;
constexpr int kNameRole = Qt::UserRole + 1;
constexpr int kActiveRole = Qt::UserRole + 2;
} // namespace

PrincipalsDialog::PrincipalsDialog(WorkspaceSession *session, Identity *identity, QWidget *parent)
    : QDialog(parent), m_session(session), m_identity(identity), m_list(new QTreeWidget),
      m_revoke(new QPushButton(tr("&Revoke…"))), m_keyFile(new QLineEdit), m_browse(new QPushButton(tr("&Browse…"))),
      m_name(new QLineEdit), m_add(new QPushButton(tr("&Add…"))), m_message(new QLabel)
{
    setObjectName(QStringLiteral("principalsDialog"));
    setWindowTitle(tr("Principals"));
    m_list->setObjectName(QStringLiteral("principalsList"));
    m_list->setHeaderLabels({tr("Name"), tr("Roles"), tr("Key"), tr("State")});
    m_list->setRootIsDecorated(false);
    m_list->header()->setStretchLastSection(true);
    m_list->setColumnWidth(NameColumn, 120);
    m_list->setColumnWidth(RolesColumn, 160);
    m_list->setColumnWidth(KeyColumn, 130);
    m_revoke->setObjectName(QStringLiteral("principalsRevokeButton"));
    m_keyFile->setObjectName(QStringLiteral("principalsKeyFile"));
    m_keyFile->setPlaceholderText(tr("their public key, NAME.pub from their key folder"));
    m_browse->setObjectName(QStringLiteral("principalsBrowseButton"));
    m_name->setObjectName(QStringLiteral("principalsName"));
    m_add->setObjectName(QStringLiteral("principalsAddButton"));
    m_message->setObjectName(QStringLiteral("principalsMessage"));
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText);
    m_message->hide();

    auto *roles = new QHBoxLayout;
    for (const QString &role : SignOff::knownRoles()) {
        auto *box = new QCheckBox(role);
        box->setObjectName(QStringLiteral("principalsRole_") + role);
        box->setProperty("role", role);
        roles->addWidget(box);
        m_roles.append(box);
        connect(box, &QCheckBox::toggled, this, &PrincipalsDialog::updateButtons);
    }
    roles->addStretch(1);
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_keyFile, 1);
    fileRow->addWidget(m_browse);
    auto *addBox = new QGroupBox(tr("Add a principal"));
    auto *form = new QFormLayout(addBox);
    form->addRow(tr("Public key:"), fileRow);
    form->addRow(tr("Name:"), m_name);
    form->addRow(tr("Roles:"), roles);
    auto *addRow = new QHBoxLayout;
    addRow->addStretch(1);
    addRow->addWidget(m_add);
    form->addRow(addRow);

    auto *listButtons = new QHBoxLayout;
    listButtons->addStretch(1);
    listButtons->addWidget(m_revoke);
    auto *close = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *intro = new QLabel(tr("The people who may sign in this workspace, and what each may do. Adding and "
                                "revoking are signed events: only an admin may take them."));
    intro->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_list, 1);
    layout->addLayout(listButtons);
    layout->addWidget(addBox);
    layout->addWidget(m_message);
    layout->addWidget(close);
    resize(640, 480);

    connect(m_list, &QTreeWidget::currentItemChanged, this, &PrincipalsDialog::updateButtons);
    connect(m_keyFile, &QLineEdit::textChanged, this, &PrincipalsDialog::updateButtons);
    connect(m_name, &QLineEdit::textChanged, this, &PrincipalsDialog::updateButtons);
    connect(m_browse, &QPushButton::clicked, this, &PrincipalsDialog::browse);
    connect(m_add, &QPushButton::clicked, this, &PrincipalsDialog::add);
    connect(m_revoke, &QPushButton::clicked, this, &PrincipalsDialog::revoke);
    connect(m_identity, &Identity::changed, this, &PrincipalsDialog::refresh);
    connect(m_session, &WorkspaceSession::ledgerChanged, this, &PrincipalsDialog::refresh);
    connect(m_session, &WorkspaceSession::closed, this, &QDialog::reject);
    refresh();
}

void PrincipalsDialog::refresh()
{
    const QString selected = m_list->currentItem() ? m_list->currentItem()->data(NameColumn, kNameRole).toString() : QString();
    m_list->clear();
    if (Workspace *ws = m_session->workspace()) {
        for (const Principal &p : Ledger(*ws).state().principals()) {
            auto *item = new QTreeWidgetItem(m_list);
            item->setText(NameColumn, p.name);
            item->setText(RolesColumn, p.roles.join(QStringLiteral(", ")));
            item->setText(KeyColumn, p.keyId.left(Identity::kShortKeyId) + QStringLiteral("…"));
            item->setToolTip(KeyColumn, p.keyId);
            item->setText(StateColumn, p.isActive() ? tr("active since event %1").arg(p.addedSeq)
                                                    : tr("revoked at event %1").arg(p.revokedSeq));
            item->setData(NameColumn, kKeyIdRole, p.keyId);
            item->setData(NameColumn, kNameRole, p.name);
            item->setData(NameColumn, kActiveRole, p.isActive());
            if (p.keyId == m_identity->keyId())
                item->setText(NameColumn, tr("%1 (you)").arg(p.name));
            if (p.name == selected)
                m_list->setCurrentItem(item);
        }
    }
    updateButtons();
}

QStringList PrincipalsDialog::checkedRoles() const
{
    QStringList roles;
    for (const QCheckBox *box : m_roles)
        if (box->isChecked())
            roles.append(box->property("role").toString());
    return roles;
}

void PrincipalsDialog::updateButtons()
{
    // Without a name or key yet, the probe asks only about the signer: signed workspace, registered, admin.
    QString addWhy = PolicyGate::whyNot(m_session, m_identity, EventType::PrincipalAdded, QJsonObject());
    const bool adminMay = addWhy.isEmpty();
    if (adminMay && m_keyFile->text().isEmpty())
        addWhy = tr("Choose their public key file first.");
    else if (adminMay && m_name->text().trimmed().isEmpty())
        addWhy = tr("Type their name first.");
    else if (adminMay && checkedRoles().isEmpty())
        addWhy = tr("Give them at least one role.");
    PolicyGate::apply(m_add, addWhy, tr("Register this key with these roles, signed by you."));
    for (QWidget *w : std::initializer_list<QWidget *>{m_keyFile, m_browse, m_name})
        w->setEnabled(adminMay);
    for (QCheckBox *box : m_roles)
        box->setEnabled(adminMay);

    const QTreeWidgetItem *item = m_list->currentItem();
    QString revokeWhy;
    if (!item)
        revokeWhy = tr("Select a principal first.");
    else if (!item->data(NameColumn, kActiveRole).toBool())
        revokeWhy = tr("%1 is revoked already.").arg(item->data(NameColumn, kNameRole).toString());
    else if (item->data(NameColumn, kKeyIdRole).toString() == m_identity->keyId())
        revokeWhy = tr("This is your own key: another admin revokes it, so that nobody locks themselves out by mistake.");
    else
        revokeWhy = PolicyGate::whyNot(m_session, m_identity, EventType::PrincipalRevoked,
                                       QJsonObject{{QStringLiteral("key_id"), item->data(NameColumn, kKeyIdRole).toString()}});
    PolicyGate::apply(m_revoke, revokeWhy, tr("Revoke this key: it can sign nothing more here."));
}

void PrincipalsDialog::browse()
{
    auto *dialog = new QFileDialog(this, tr("Choose a public key (PEM)"));
    dialog->setObjectName(QStringLiteral("principalsKeyFileDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setNameFilters({tr("Public keys (*.pub *.pem)"), tr("All files (*)")});
    connect(dialog, &QFileDialog::fileSelected, m_keyFile, &QLineEdit::setText);
    dialog->open();
}

void PrincipalsDialog::showMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("color: #b3261e;") : QString());
    m_message->show();
}

QString PrincipalsDialog::messageText() const
{
    return m_message->isVisible() ? m_message->text() : QString();
}

void PrincipalsDialog::add()
{
    QString error;
    const auto key = PublicKey::fromPemFile(m_keyFile->text(), &error);
    if (!key) {
        showMessage(error, true);
        return;
    }
    const QString name = m_name->text().trimmed();
    const QStringList roles = checkedRoles();
    auto *dialog = PassphraseDialog::ask(
        m_identity,
        tr("Add %1 (%2, key %3…) as %4").arg(name, roles.join(QStringLiteral(", ")), key->keyId().left(Identity::kShortKeyId),
                                             m_identity->displayName(m_session->workspace())),
        KeyLoader::inWorkspace(m_session->path(),
                               [name, key = *key, roles](Workspace &ws, const SigningKey &admin, QString *e) {
                                   return SignOff(ws).addPrincipal(admin, name, key, roles, e);
                               }),
        this);
    connect(dialog, &PassphraseDialog::failed, this, [this](const QString &message) { showMessage(message, true); });
    connect(dialog, &PassphraseDialog::succeeded, this, [this, name, roles] {
        m_keyFile->clear();
        m_name->clear();
        for (QCheckBox *box : m_roles)
            box->setChecked(false);
        const QString message = tr("Added %1 as %2.").arg(name, roles.join(QStringLiteral(", ")));
        showMessage(message, false);
        m_session->notifyLedgerChanged();
        Q_EMIT changed(message);
    });
}

void PrincipalsDialog::revoke()
{
    const QTreeWidgetItem *item = m_list->currentItem();
    if (!item)
        return;
    const QString name = item->data(NameColumn, kNameRole).toString();
    auto *dialog = PassphraseDialog::ask(
        m_identity, tr("Revoke %1's key as %2").arg(name, m_identity->displayName(m_session->workspace())),
        KeyLoader::inWorkspace(m_session->path(),
                               [name](Workspace &ws, const SigningKey &admin, QString *e) {
                                   return SignOff(ws).revokePrincipal(admin, name, e);
                               }),
        this);
    connect(dialog, &PassphraseDialog::failed, this, [this](const QString &message) { showMessage(message, true); });
    connect(dialog, &PassphraseDialog::succeeded, this, [this, name] {
        const QString message = tr("Revoked %1: their key signs nothing more here.").arg(name);
        showMessage(message, false);
        m_session->notifyLedgerChanged();
        Q_EMIT changed(message);
    });
}

} // namespace custody
