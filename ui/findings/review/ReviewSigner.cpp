#include "findings/review/ReviewSigner.h"

#include "session/BackgroundJob.h"

#include "identity/Identity.h"
#include "identity/PassphraseDialog.h"
#include "identity/SigningKey.h"
#include "storage/Workspace.h"
#include "workflow/OpenWorkspace.h"

#include <QTimer>

#include <utility>

#include <openssl/evp.h>

namespace custody {

ReviewSigner::ReviewSigner(QObject *parent) : QObject(parent), m_job(new BackgroundJob(this)), m_idle(new QTimer(this))
{
    m_job->setWaitOnDestroy(true); // a signed write half-way is not something to abandon
    m_idle->setSingleShot(true);
    m_idle->setInterval(kIdleLockMs);
    connect(m_idle, &QTimer::timeout, this, &ReviewSigner::lock);
}

ReviewSigner::~ReviewSigner() = default;

void ReviewSigner::onWritten(bool ok, const QString &error)
{
    m_busy = false;
    if (m_key)
        m_idle->start();
    const Done done = std::exchange(m_done, nullptr);
    if (done)
        done(ok, error);
    if (!m_busy) // `done` may have started the next step
        Q_EMIT busyChanged(false);
}

QString ReviewSigner::keyId() const
{
    return m_key ? m_key->keyId() : QString();
}

void ReviewSigner::setKey(std::shared_ptr<const SigningKey> key)
{
    const bool was = isUnlocked();
    m_key = std::move(key);
    if (m_key)
        m_idle->start();
    else
        m_idle->stop();
    if (was != isUnlocked())
        Q_EMIT unlockedChanged(isUnlocked());
}

void ReviewSigner::lock()
{
    // A running step keeps its own reference until it returns; OpenSSL wipes the key when the last one goes.
    setKey(nullptr);
}

PassphraseDialog *ReviewSigner::unlock(Identity *identity, const QString &description, QWidget *parent,
                                       std::function<void()> then)
{
    auto slot = std::make_shared<std::shared_ptr<const SigningKey>>();
    // KeyLoader frees its key when the work returns; a second reference to the same OpenSSL key outlives it.
    KeyLoader::Work work = [slot](const SigningKey &key) -> QString {
        QString error;
        if (EVP_PKEY_up_ref(key.pkey()) != 1)
            return QStringLiteral("the key could not be kept open");
        std::optional<SigningKey> kept = SigningKey::adopt(key.pkey(), QStringLiteral("the unlocked key"), &error);
        if (!kept)
            return error;
        *slot = std::make_shared<const SigningKey>(std::move(*kept));
        return QString();
    };
    PassphraseDialog *dialog = PassphraseDialog::ask(identity, description, std::move(work), parent);
    dialog->setKeyNote(tr("Signed with your key '%1' (%2…). It stays unlocked for this review until you lock it, "
                          "choose another batch or leave it alone for %3 minutes.")
                           .arg(identity->keyName(), identity->shortKeyId())
                           .arg(kIdleLockMs / 60000));
    connect(dialog, &PassphraseDialog::succeeded, this, [this, slot, then] {
        setKey(*slot);
        slot->reset();
        if (then)
            then();
    });
    connect(dialog, &PassphraseDialog::failed, this, &ReviewSigner::unlockFailed);
    return dialog;
}

bool ReviewSigner::run(Step step, Done done)
{
    if (m_busy)
        return false;
    m_busy = true;
    m_done = std::move(done);
    m_idle->stop();
    Q_EMIT busyChanged(true);
    m_job->start(
        [path = m_path, key = m_key, step = std::move(step)](const BackgroundJob::Context &) {
            Outcome out;
            const std::unique_ptr<Workspace> ws = openWorkspace(path, &out.error);
            if (!ws)
                return out;
            if (!ws->integrityProblem().isEmpty()) {
                out.error = ws->integrityProblem();
                return out;
            }
            out.ok = step(*ws, key.get(), &out.error);
            if (!out.ok && out.error.isEmpty())
                out.error = QStringLiteral("the step failed without saying why");
            return out;
        },
        [this](const Outcome &out) { onWritten(out.ok, out.error); });
    return true;
}

} // namespace custody
