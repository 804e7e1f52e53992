#include "identity/KeyLoader.h"

#include "session/BackgroundJob.h"

#include "identity/KeyStore.h"
#include "identity/PassphraseSource.h"
#include "storage/Workspace.h"
#include "workflow/OpenWorkspace.h"


namespace custody {

KeyLoader::KeyLoader(QObject *parent) : QObject(parent), m_job(new BackgroundJob(this))
{
    m_job->setWaitOnDestroy(true); // a signature half-way is not something to abandon
}

bool KeyLoader::isRunning() const
{
    return m_job->isRunning();
}

KeyLoader::Work KeyLoader::inWorkspace(const QString &path, WorkspaceStep step)
{
    return [path, step](const SigningKey &key) -> QString {
        QString error;
        const std::unique_ptr<Workspace> ws = openWorkspace(path, &error);
        if (!ws)
            return error;
        if (!ws->integrityProblem().isEmpty())
            return ws->integrityProblem();
        if (step(*ws, key, &error))
            return QString();
        return error.isEmpty() ? QStringLiteral("the step failed without saying why") : error;
    };
}

KeyLoader::~KeyLoader() = default;

bool KeyLoader::start(const QString &keyStoreDirectory, const QString &keyName, QByteArray passphrase, Work work)
{
    if (isRunning()) {
        wipeSecret(&passphrase);
        return false;
    }
    m_job->start(
        [keyStoreDirectory, keyName, passphrase, work](const BackgroundJob::Context &) mutable {
            Outcome out;
            std::optional<SigningKey> key = KeyStore(keyStoreDirectory).load(keyName, passphrase, &out.error);
            wipeSecret(&passphrase);
            if (!key)
                return out;
            out.keyLoaded = true;
            out.error = work(*key);
            return out;
        },
        [this](const Outcome &out) {
            if (!out.keyLoaded)
                Q_EMIT keyRefused(out.error);
            else if (!out.error.isEmpty())
                Q_EMIT workFailed(out.error);
            else
                Q_EMIT succeeded();
        });
    passphrase.clear(); // drops our reference only: wiping here would wipe the worker's shared copy too
    return true;
}

} // namespace custody
