#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace custody {

class BackgroundJob;
class SigningKey;
class Workspace;

// One signing step off the GUI thread: decrypts a key from the key store (one scrypt, about half a second)
// and runs `work` with it on the same worker thread. The decrypted key never reaches the GUI thread and is
// freed (OpenSSL wipes it) as soon as the work returns; the passphrase is wiped right after the decryption.
class KeyLoader : public QObject
{
    Q_OBJECT
public:
    // Runs on the worker thread with the decrypted key. Returns an error (a refusal names its rule) or "".
    // It must only use what it captured by value: open its own Workspace from the path, never the GUI's.
    using Work = std::function<QString(const SigningKey &key)>;

    // A Work that opens its own read-write connection to the workspace at `path` and runs `step` there.
    using WorkspaceStep = std::function<bool(Workspace &workspace, const SigningKey &key, QString *error)>;
    static Work inWorkspace(const QString &path, WorkspaceStep step);

    explicit KeyLoader(QObject *parent = nullptr);
    ~KeyLoader() override; // waits for a running step: a signature half-way is not something to abandon

    // Takes the passphrase over (the caller should keep no copy); false when a step is already running.
    bool start(const QString &keyStoreDirectory, const QString &keyName, QByteArray passphrase, Work work);
    // True from start() until the outcome has been signalled.
    bool isRunning() const;

Q_SIGNALS:
    void keyRefused(const QString &message); // wrong passphrase, missing or damaged key: nothing was signed
    void workFailed(const QString &message); // the key opened but the step failed or was refused
    void succeeded();

private:
    struct Outcome
    {
        bool keyLoaded = false;
        QString error;
    };

    BackgroundJob *m_job;
};

} // namespace custody
