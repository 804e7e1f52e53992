#pragma once

#include <QObject>
#include <QString>

#include <functional>
#include <memory>

class QTimer;
class QWidget;

namespace custody {

class BackgroundJob;

class Identity;
class PassphraseDialog;
class SigningKey;
class Workspace;

// The curator's key, unlocked once for a review session, and the signed steps taken with it off the GUI thread.
// Reviewing is many small signed steps (a decision, its undo, its redo): asking for the passphrase at each one
// would make keyboard review unusable, so the findings page asks once and this object keeps the key until it is
// locked: by the person (Lock), by the page when the batch, identity or workspace changes or the batch is
// submitted, or after kIdleLockMs without a signed step. The key is only ever used on worker threads.
class ReviewSigner : public QObject
{
    Q_OBJECT
public:
    static constexpr int kIdleLockMs = 15 * 60 * 1000;

    // Runs on a worker thread with its own read-write connection. `key` is null while locked (an unsigned
    // workspace records scans without one). Returns false with *error on failure.
    using Step = std::function<bool(Workspace &workspace, const SigningKey *key, QString *error)>;

    explicit ReviewSigner(QObject *parent = nullptr);
    ~ReviewSigner() override; // waits for a running step: a signature half-way is not something to abandon

    void setWorkspacePath(const QString &path) { m_path = path; }
    QString workspacePath() const { return m_path; }

    bool isUnlocked() const { return m_key != nullptr; }
    QString keyId() const;
    // Opens the passphrase dialog for `identity`'s key saying what is about to be signed. When the key opens it
    // is kept, unlocked() is emitted and `then` runs; a refused key is said in the dialog, which stays open.
    PassphraseDialog *unlock(Identity *identity, const QString &description, QWidget *parent,
                             std::function<void()> then);
    // Hands a key over directly (tests, and set-up code that already holds one).
    void setKey(std::shared_ptr<const SigningKey> key);
    void lock();

    bool isBusy() const { return m_busy; }
    // Called on the GUI thread when a step returns.
    using Done = std::function<void(bool ok, const QString &error)>;
    // Runs `step` on a worker, then `done`. False (nothing started) while another step runs.
    bool run(Step step, Done done);

Q_SIGNALS:
    void unlockedChanged(bool unlocked);
    void unlockFailed(const QString &message); // the key opened but could not be kept
    void busyChanged(bool busy);

private:
    struct Outcome
    {
        bool ok = false;
        QString error;
    };

    void onWritten(bool ok, const QString &error);

    QString m_path;
    std::shared_ptr<const SigningKey> m_key;
    BackgroundJob *m_job;
    Done m_done;
    QTimer *m_idle;
    bool m_busy = false;
};

} // namespace custody
