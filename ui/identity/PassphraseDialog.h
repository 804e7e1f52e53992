#pragma once

#include "identity/KeyLoader.h"

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;

namespace custody {

class Identity;

// Asks for the passphrase of the current identity's key before one signed step, saying what will be signed
// ("Approve fashion@v2 as ada"). The key is decrypted and the step run off the GUI thread; a wrong
// passphrase is shown in the dialog, which stays open for another try. When the step itself fails (a policy
// refusal, naming its rule) the dialog closes and failed() carries the core's message.
class PassphraseDialog : public QDialog
{
    Q_OBJECT
public:
    PassphraseDialog(const QString &keyStoreDirectory, const QString &keyName, const QString &keyId,
                     const QString &description, KeyLoader::Work work, QWidget *parent = nullptr);

    // Opens a dialog (window-modal, deleted on close) for `identity`'s key.
    static PassphraseDialog *ask(Identity *identity, const QString &description, KeyLoader::Work work,
                                 QWidget *parent);

    bool isBusy() const;
    QString errorText() const;
    // Replaces the sentence under the description that says how long the key stays unlocked ("for this step
    // only"), for a caller that keeps the key longer and must say so.
    void setKeyNote(const QString &text);

    void accept() override; // starts the step
    void reject() override; // ignored while the step runs: it cannot be taken back half-way

Q_SIGNALS:
    void succeeded();
    void failed(const QString &message);

private:
    void setBusy(bool busy);

    QString m_dir;
    QString m_keyName;
    KeyLoader::Work m_work;
    KeyLoader *m_loader;
    QLabel *m_keyNote;
    QLineEdit *m_passphrase;
    QLabel *m_error;
    QProgressBar *m_busy;
    QDialogButtonBox *m_buttons;
};

} // namespace custody
