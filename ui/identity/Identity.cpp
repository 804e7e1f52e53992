#include "identity/Identity.h"

#include "ledger/Ledger.h"
#include "storage/Workspace.h"

#include <QSettings>

namespace custody {

namespace {
const QString kSettingsKey = QStringLiteral("identity/key");
}

Identity::Identity(QObject *parent) : Identity(KeyStore::defaultDirectory(), parent) { }

Identity::Identity(const QString &keyStoreDirectory, QObject *parent) : QObject(parent), m_dir(keyStoreDirectory)
{
    restore();
}

void Identity::setKeyStoreDirectory(const QString &directory)
{
    m_dir = directory;
    restore();
    Q_EMIT changed();
}

QList<KeyStore::Entry> Identity::keys(QString *error) const
{
    QString e;
    const QList<KeyStore::Entry> entries = keyStore().list(&e);
    if (error)
        *error = e;
    return entries;
}

bool Identity::needsChoice() const
{
    return !isSet() && keys().size() > 1;
}

void Identity::restore()
{
    m_name.clear();
    m_keyId.clear();
    const QList<KeyStore::Entry> entries = keys();
    const QString remembered = QSettings().value(kSettingsKey).toString();
    for (const KeyStore::Entry &entry : entries) {
        if (entry.name == remembered) {
            m_name = entry.name;
            m_keyId = entry.keyId;
            return;
        }
    }
    // One key leaves nothing to choose.
    if (entries.size() == 1) {
        m_name = entries.constFirst().name;
        m_keyId = entries.constFirst().keyId;
    }
}

bool Identity::choose(const QString &name, QString *error)
{
    const auto key = keyStore().publicKey(name, error);
    if (!key)
        return false;
    m_name = name;
    m_keyId = key->keyId();
    QSettings().setValue(kSettingsKey, name);
    Q_EMIT changed();
    return true;
}

void Identity::forget()
{
    m_name.clear();
    m_keyId.clear();
    QSettings().remove(kSettingsKey);
    Q_EMIT changed();
}

std::optional<Principal> Identity::principalIn(Workspace *workspace) const
{
    if (!workspace || m_keyId.isEmpty())
        return std::nullopt;
    return Ledger(*workspace).state().principalByKey(m_keyId);
}

QString Identity::displayName(Workspace *workspace) const
{
    const auto principal = principalIn(workspace);
    return principal ? principal->name : m_name;
}

} // namespace custody
