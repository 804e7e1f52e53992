#pragma once

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;

namespace custody {

class BackgroundJob;

class Identity;

// First-run identity setup: create a new Ed25519 key (a name and a passphrase typed twice, with a strength
// hint) or import an existing PEM key, into the person's key store. The scrypt that protects the key runs on
// a worker thread behind a busy indicator. On success the new key becomes the current identity.
class IdentitySetupDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Mode { Create, Import };
    static constexpr int kMinimumPassphrase = 8;

    explicit IdentitySetupDialog(Identity *identity, QWidget *parent = nullptr);
    ~IdentitySetupDialog() override;

    void setMode(Mode mode);
    Mode mode() const;
    bool isBusy() const;
    QString errorText() const;

    // "Weak: …", "Fair: …", "Strong": a rough guide from length and character variety, not a guarantee.
    static QString strengthHint(const QString &passphrase);

    void accept() override;
    void reject() override;

Q_SIGNALS:
    void identityCreated(const QString &keyName);

private:
    struct Outcome
    {
        bool ok = false;
        QString error;
    };

    void onFinished(const Outcome &out);
    void updateState();
    void browseForKey();
    void showError(const QString &message);

    Identity *m_identity;
    QRadioButton *m_create;
    QRadioButton *m_import;
    QLineEdit *m_name;
    QLineEdit *m_file;
    QPushButton *m_browse;
    QLabel *m_fileLabel;
    QLineEdit *m_passphrase;
    QLineEdit *m_repeat;
    QLabel *m_hint;
    QLabel *m_error;
    QProgressBar *m_busy;
    QDialogButtonBox *m_buttons;
    BackgroundJob *m_job; // from Create/Import until the outcome is shown
    QString m_pendingName;
};

} // namespace custody
