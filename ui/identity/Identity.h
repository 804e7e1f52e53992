#pragma once

#include "identity/KeyStore.h"
#include "ledger/StateStore.h"

#include <QObject>
#include <QString>

#include <optional>

namespace custody {

class Workspace;

// The person this window signs as: one key of their key store, chosen once and remembered (by name only) in
// the settings. The private key is never held here: a signing step decrypts it with the passphrase on a
// worker thread and drops it when done (see KeyLoader).
class Identity : public QObject
{
    Q_OBJECT
public:
    static constexpr int kShortKeyId = 12;

    // Keys in KeyStore::defaultDirectory(); tests pass a temporary folder.
    explicit Identity(QObject *parent = nullptr);
    explicit Identity(const QString &keyStoreDirectory, QObject *parent = nullptr);

    QString keyStoreDirectory() const { return m_dir; }
    void setKeyStoreDirectory(const QString &directory);
    KeyStore keyStore() const { return KeyStore(m_dir); }
    QList<KeyStore::Entry> keys(QString *error = nullptr) const;

    bool isSet() const { return !m_name.isEmpty(); }
    QString keyName() const { return m_name; }
    QString keyId() const { return m_keyId; }
    QString shortKeyId() const { return m_keyId.left(kShortKeyId); }
    // Several keys and none chosen yet: the chooser should be offered.
    bool needsChoice() const;

    // Makes `name` the current identity and remembers it; false (and *error) when the store has no such key.
    bool choose(const QString &name, QString *error);
    void forget();

    // The principal this identity is in `workspace`, if registered there.
    std::optional<Principal> principalIn(Workspace *workspace) const;
    // The name others see in `workspace`: the principal's name when registered, else the key name.
    QString displayName(Workspace *workspace) const;

Q_SIGNALS:
    void changed();

private:
    void restore();

    QString m_dir;
    QString m_name;
    QString m_keyId;
};

} // namespace custody
