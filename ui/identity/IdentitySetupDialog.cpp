#include "identity/IdentitySetupDialog.h"

#include "session/BackgroundJob.h"

#include "identity/Identity.h"
#include "identity/KeyStore.h"
#include "identity/PassphraseSource.h"

#include <QButtonGroup>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

#include <cmath>

namespace custody {

IdentitySetupDialog::IdentitySetupDialog(Identity *identity, QWidget *parent)
    : QDialog(parent), m_identity(identity), m_create(new QRadioButton(tr("&Create a new key"))),
      m_import(new QRadioButton(tr("&Import an existing key (PEM)"))), m_name(new QLineEdit), m_file(new QLineEdit),
      m_browse(new QPushButton(tr("&Browse…"))), m_fileLabel(new QLabel(tr("&Key file:"))), m_passphrase(new QLineEdit),
      m_repeat(new QLineEdit), m_hint(new QLabel), m_error(new QLabel), m_busy(new QProgressBar),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel)), m_job(new BackgroundJob(this))
{
    setObjectName(QStringLiteral("identitySetupDialog"));
    setWindowTitle(tr("Set up your identity"));
    auto *intro = new QLabel(tr("Custody signs what you approve, veto, decide or release with your own key. The key "
                                "stays in %1, encrypted with your passphrase; it never enters a workspace. Only "
                                "its public half is shared, when an admin registers you.")
                                 .arg(QDir::toNativeSeparators(identity->keyStoreDirectory())));
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::PlainText);

    m_create->setObjectName(QStringLiteral("identityCreateMode"));
    m_import->setObjectName(QStringLiteral("identityImportMode"));
    auto *modes = new QButtonGroup(this);
    modes->addButton(m_create);
    modes->addButton(m_import);
    m_create->setChecked(true);

    m_name->setObjectName(QStringLiteral("identityName"));
    m_name->setPlaceholderText(tr("letters, digits, '.', '_' or '-'"));
    const QString user = qEnvironmentVariable("USER");
    if (KeyStore::isValidName(user) && !QFileInfo::exists(identity->keyStore().keyPath(user)))
        m_name->setText(user);
    m_file->setObjectName(QStringLiteral("identityKeyFile"));
    m_browse->setObjectName(QStringLiteral("identityBrowseButton"));
    m_passphrase->setObjectName(QStringLiteral("identityPassphrase"));
    m_passphrase->setEchoMode(QLineEdit::Password);
    m_repeat->setObjectName(QStringLiteral("identityPassphraseRepeat"));
    m_repeat->setEchoMode(QLineEdit::Password);
    m_hint->setObjectName(QStringLiteral("identityStrengthHint"));
    m_hint->setWordWrap(true);
    m_error->setObjectName(QStringLiteral("identityError"));
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText);
    m_error->setStyleSheet(QStringLiteral("color: #b3261e;"));
    m_error->hide();
    m_busy->setObjectName(QStringLiteral("identityBusy"));
    m_busy->setRange(0, 0);
    m_busy->setTextVisible(false);
    m_busy->setMaximumHeight(8);
    m_busy->hide();
    m_buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("identityOkButton"));

    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(m_browse);
    auto *form = new QFormLayout;
    form->addRow(m_fileLabel, fileRow);
    m_fileLabel->setBuddy(m_file);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Passphrase:"), m_passphrase);
    form->addRow(tr("&Repeat:"), m_repeat);
    form->addRow(QString(), m_hint);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_create);
    layout->addWidget(m_import);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_busy);
    layout->addStretch(1);
    layout->addWidget(m_buttons);
    setMinimumWidth(500);

    for (QLineEdit *edit : {m_name, m_file, m_passphrase, m_repeat})
        connect(edit, &QLineEdit::textChanged, this, &IdentitySetupDialog::updateState);
    connect(m_create, &QRadioButton::toggled, this, &IdentitySetupDialog::updateState);
    connect(m_browse, &QPushButton::clicked, this, &IdentitySetupDialog::browseForKey);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &IdentitySetupDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &IdentitySetupDialog::reject);
    m_job->setWaitOnDestroy(true); // a key half-written to the store is not something to abandon
    updateState();
}

IdentitySetupDialog::~IdentitySetupDialog() = default;

bool IdentitySetupDialog::isBusy() const
{
    return m_job->isRunning();
}

void IdentitySetupDialog::onFinished(const Outcome &out)
{
    m_busy->hide();
    updateState();
    QString error = out.error;
    if (out.ok && !m_identity->choose(m_pendingName, &error))
        showError(error);
    else if (!out.ok)
        showError(out.error);
    if (!out.ok || !error.isEmpty())
        return;
    QDialog::accept();
    Q_EMIT identityCreated(m_pendingName);
}

void IdentitySetupDialog::setMode(Mode mode)
{
    (mode == Mode::Create ? m_create : m_import)->setChecked(true);
}

IdentitySetupDialog::Mode IdentitySetupDialog::mode() const
{
    return m_create->isChecked() ? Mode::Create : Mode::Import;
}

QString IdentitySetupDialog::errorText() const
{
    return m_error->isVisible() ? m_error->text() : QString();
}

QString IdentitySetupDialog::strengthHint(const QString &passphrase)
{
    if (passphrase.isEmpty())
        return tr("Use four or more unrelated words, or at least 12 mixed characters.");
    if (passphrase.size() < kMinimumPassphrase)
        return tr("Too short: use at least %1 characters.").arg(kMinimumPassphrase);
    bool lower = false, upper = false, digit = false, symbol = false, other = false;
    for (const QChar c : passphrase) {
        if (c.unicode() > 127)
            other = true;
        else if (c.isLower())
            lower = true;
        else if (c.isUpper())
            upper = true;
        else if (c.isDigit())
            digit = true;
        else
            symbol = true;
    }
    const int pool = (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (symbol ? 33 : 0) + (other ? 100 : 0);
    // Character-level entropy overrates repeated patterns, so the thresholds are generous.
    const double bits = passphrase.size() * std::log2(double(qMax(pool, 2)));
    if (bits < 50)
        return tr("Weak: anyone who copies the key file could guess it. Add words or characters.");
    if (bits < 75)
        return tr("Fair: longer is better for a key that signs releases.");
    return tr("Strong.");
}

void IdentitySetupDialog::updateState()
{
    const bool importing = mode() == Mode::Import;
    m_fileLabel->setVisible(importing);
    m_file->setVisible(importing);
    m_browse->setVisible(importing);
    QPushButton *ok = m_buttons->button(QDialogButtonBox::Ok);
    ok->setText(importing ? tr("Import Key") : tr("Create Key"));

    const QString pass = m_passphrase->text();
    QString hint = strengthHint(pass);
    if (!m_repeat->text().isEmpty() && m_repeat->text() != pass)
        hint += QLatin1Char(' ') + tr("The two passphrases differ.");
    m_hint->setText(hint);

    const bool ready = KeyStore::isValidName(m_name->text()) && pass.size() >= kMinimumPassphrase
                       && m_repeat->text() == pass && (!importing || !m_file->text().isEmpty());
    const bool busy = isBusy();
    ok->setEnabled(ready && !busy);
    for (QWidget *w : std::initializer_list<QWidget *>{m_create, m_import, m_name, m_file, m_browse, m_passphrase, m_repeat})
        w->setEnabled(!busy);
    m_buttons->button(QDialogButtonBox::Cancel)->setEnabled(!busy);
}

void IdentitySetupDialog::browseForKey()
{
    auto *dialog = new QFileDialog(this, tr("Choose a PEM private key"));
    dialog->setObjectName(QStringLiteral("identityKeyFileDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setNameFilters({tr("PEM keys (*.pem *.key)"), tr("All files (*)")});
    connect(dialog, &QFileDialog::fileSelected, m_file, &QLineEdit::setText);
    dialog->open();
}

void IdentitySetupDialog::showError(const QString &message)
{
    m_error->setText(message);
    m_error->show();
}

void IdentitySetupDialog::accept()
{
    if (isBusy() || !m_buttons->button(QDialogButtonBox::Ok)->isEnabled())
        return;
    m_error->hide();
    m_pendingName = m_name->text();
    QByteArray passphrase = m_passphrase->text().toUtf8();
    m_passphrase->clear();
    m_repeat->clear();
    const QString dir = m_identity->keyStoreDirectory();
    const QString name = m_pendingName;
    const QString file = mode() == Mode::Import ? m_file->text() : QString();
    m_job->start(
        [dir, name, file, passphrase](const BackgroundJob::Context &) mutable {
            Outcome out;
            KeyStore store(dir);
            const auto key = file.isEmpty() ? store.create(name, passphrase, &out.error)
                                            : store.importKey(name, file, passphrase, &out.error);
            wipeSecret(&passphrase);
            out.ok = key.has_value();
            return out;
        },
        [this](const Outcome &out) { onFinished(out); });
    passphrase.clear(); // our reference only; the worker wipes the shared bytes when done
    m_busy->show();
    updateState();
}

void IdentitySetupDialog::reject()
{
    if (!isBusy())
        QDialog::reject();
}

} // namespace custody
