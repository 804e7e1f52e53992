#include "identity/IdentityChooser.h"

#include "identity/Identity.h"
#include "identity/IdentitySetupDialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace custody {

IdentityChooser::IdentityChooser(Identity *identity, QWidget *parent)
    : QDialog(parent), m_identity(identity), m_list(new QListWidget), m_error(new QLabel)
{
    setObjectName(QStringLiteral("identityChooser"));
    setWindowTitle(tr("Choose your identity"));
    auto *intro = new QLabel(tr("Sign as which key? Keys in %1:").arg(QDir::toNativeSeparators(identity->keyStoreDirectory())));
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::PlainText);
    m_list->setObjectName(QStringLiteral("identityList"));
    m_error->setObjectName(QStringLiteral("identityChooserError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b3261e;"));
    m_error->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("identityChooseButton"));
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Sign as This Key"));
    QPushButton *create = buttons->addButton(tr("&New Key…"), QDialogButtonBox::ActionRole);
    create->setObjectName(QStringLiteral("identityNewButton"));
    QPushButton *import = buttons->addButton(tr("&Import…"), QDialogButtonBox::ActionRole);
    import->setObjectName(QStringLiteral("identityImportButton"));
    connect(buttons, &QDialogButtonBox::accepted, this, &IdentityChooser::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &IdentityChooser::reject);
    connect(create, &QPushButton::clicked, this, [this] { setUp(int(IdentitySetupDialog::Mode::Create)); });
    connect(import, &QPushButton::clicked, this, [this] { setUp(int(IdentitySetupDialog::Mode::Import)); });
    connect(m_list, &QListWidget::itemDoubleClicked, this, &IdentityChooser::accept);
    connect(m_list, &QListWidget::currentRowChanged, this,
            [ok = buttons->button(QDialogButtonBox::Ok)](int row) { ok->setEnabled(row >= 0); });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    resize(460, 300);
    fill();
}

void IdentityChooser::fill()
{
    m_list->clear();
    QString error;
    const QList<KeyStore::Entry> keys = m_identity->keys(&error);
    for (const KeyStore::Entry &entry : keys) {
        auto *item = new QListWidgetItem(
            entry.keyId.isEmpty() ? tr("%1   (public key missing)").arg(entry.name)
                                  : QStringLiteral("%1   %2…").arg(entry.name, entry.keyId.left(Identity::kShortKeyId)),
            m_list);
        item->setData(Qt::UserRole, entry.name);
        if (entry.name == m_identity->keyName())
            m_list->setCurrentItem(item);
    }
    if (!m_list->currentItem() && m_list->count() > 0)
        m_list->setCurrentRow(0);
    if (!error.isEmpty()) {
        m_error->setText(error);
        m_error->show();
    }
}

void IdentityChooser::setUp(int mode)
{
    auto *dialog = new IdentitySetupDialog(m_identity, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setMode(IdentitySetupDialog::Mode(mode));
    // The new key is the current identity already: nothing left to choose.
    connect(dialog, &IdentitySetupDialog::identityCreated, this, [this] { QDialog::accept(); });
    dialog->open();
}

void IdentityChooser::accept()
{
    const QListWidgetItem *item = m_list->currentItem();
    if (!item)
        return;
    QString error;
    if (!m_identity->choose(item->data(Qt::UserRole).toString(), &error)) {
        m_error->setText(error);
        m_error->show();
        return;
    }
    QDialog::accept();
}

} // namespace custody
