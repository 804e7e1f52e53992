#include "identity/PassphraseDialog.h"

#include "identity/Identity.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace custody {

PassphraseDialog::PassphraseDialog(const QString &keyStoreDirectory, const QString &keyName, const QString &keyId,
                                   const QString &description, KeyLoader::Work work, QWidget *parent)
    : QDialog(parent), m_dir(keyStoreDirectory), m_keyName(keyName), m_work(std::move(work)),
      m_loader(new KeyLoader(this)), m_keyNote(new QLabel), m_passphrase(new QLineEdit), m_error(new QLabel),
      m_busy(new QProgressBar),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel))
{
    setObjectName(QStringLiteral("passphraseDialog"));
    setWindowTitle(tr("Sign"));
    auto *what = new QLabel(description);
    what->setObjectName(QStringLiteral("passphraseDescription"));
    what->setWordWrap(true);
    what->setTextFormat(Qt::PlainText);
    QFont bold = what->font();
    bold.setBold(true);
    what->setFont(bold);
    m_keyNote->setText(tr("Signed with your key '%1' (%2…). Your passphrase unlocks it for this step only.")
                           .arg(keyName, keyId.left(Identity::kShortKeyId)));
    m_keyNote->setObjectName(QStringLiteral("passphraseKeyNote"));
    m_keyNote->setWordWrap(true);
    m_keyNote->setTextFormat(Qt::PlainText);

    m_passphrase->setObjectName(QStringLiteral("passphraseField"));
    m_passphrase->setEchoMode(QLineEdit::Password);
    m_error->setObjectName(QStringLiteral("passphraseError"));
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText);
    m_error->setStyleSheet(QStringLiteral("color: #b3261e;"));
    m_error->hide();
    m_busy->setObjectName(QStringLiteral("passphraseBusy"));
    m_busy->setRange(0, 0);
    m_busy->setTextVisible(false);
    m_busy->setMaximumHeight(8);
    m_busy->hide();
    QPushButton *sign = m_buttons->button(QDialogButtonBox::Ok);
    sign->setObjectName(QStringLiteral("passphraseSignButton"));
    sign->setText(tr("Sign"));
    sign->setEnabled(false);
    m_buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("passphraseCancelButton"));

    connect(m_passphrase, &QLineEdit::textChanged, this, [this, sign](const QString &text) {
        sign->setEnabled(!text.isEmpty() && !isBusy());
    });
    connect(m_buttons, &QDialogButtonBox::accepted, this, &PassphraseDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &PassphraseDialog::reject);
    connect(m_loader, &KeyLoader::keyRefused, this, [this](const QString &message) {
        setBusy(false);
        m_error->setText(message);
        m_error->show();
        m_passphrase->setFocus();
    });
    connect(m_loader, &KeyLoader::workFailed, this, [this](const QString &message) {
        setBusy(false);
        QDialog::reject();
        Q_EMIT failed(message);
    });
    connect(m_loader, &KeyLoader::succeeded, this, [this] {
        setBusy(false);
        QDialog::accept();
        Q_EMIT succeeded();
    });

    auto *form = new QFormLayout;
    form->addRow(tr("&Passphrase:"), m_passphrase);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(what);
    layout->addWidget(m_keyNote);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_busy);
    layout->addStretch(1);
    layout->addWidget(m_buttons);
    setMinimumWidth(440);
}

PassphraseDialog *PassphraseDialog::ask(Identity *identity, const QString &description, KeyLoader::Work work,
                                        QWidget *parent)
{
    auto *dialog = new PassphraseDialog(identity->keyStoreDirectory(), identity->keyName(), identity->keyId(),
                                        description, std::move(work), parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

bool PassphraseDialog::isBusy() const
{
    return m_loader->isRunning();
}

void PassphraseDialog::setKeyNote(const QString &text)
{
    m_keyNote->setText(text);
}

QString PassphraseDialog::errorText() const
{
    return m_error->isVisible() ? m_error->text() : QString();
}

void PassphraseDialog::accept()
{
    if (isBusy() || m_passphrase->text().isEmpty())
        return;
    // The text leaves the field at once; the bytes are wiped by the loader after the decryption.
    QByteArray passphrase = m_passphrase->text().toUtf8();
    m_passphrase->clear();
    m_error->hide();
    m_loader->start(m_dir, m_keyName, std::move(passphrase), m_work);
    setBusy(true);
}

void PassphraseDialog::reject()
{
    if (!isBusy())
        QDialog::reject();
}

void PassphraseDialog::setBusy(bool busy)
{
    m_busy->setVisible(busy);
    m_passphrase->setEnabled(!busy);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!busy && !m_passphrase->text().isEmpty());
    m_buttons->button(QDialogButtonBox::Cancel)->setEnabled(!busy);
}

} // namespace custody
