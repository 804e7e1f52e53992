#pragma once

#include "identity/EncryptedKeyFile.h"
#include "identity/PublicKey.h"
#include "identity/SigningKey.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace custody {

// Private signing keys, one encrypted file per key name, in a folder that belongs to the person rather
// than to any workspace: a workspace is shared and copied, a private key must never travel with it.
//
//   DIR/NAME.key  PEM "ENCRYPTED PRIVATE KEY" (see EncryptedKeyFile), mode 0600
//   DIR/NAME.pub  PEM public key, so that names and key ids can be listed without the passphrase
//
// DIR is $XDG_DATA_HOME/custody/keys (~/.local/share/custody/keys when unset), mode 0700. Passphrases are
// only read, never copied or logged; wipe them with wipeSecret() (PassphraseSource.h) when done.
class KeyStore
{
public:
    struct Entry
    {
        QString name;
        QString keyId; // empty when NAME.pub is missing or unreadable
    };

    KeyStore();                                 // defaultDirectory()
    explicit KeyStore(const QString &directory); // tests, or a person who keeps keys elsewhere

    static QString defaultDirectory();
    static bool isValidName(const QString &name); // [A-Za-z0-9._-]{1,64}
    // `path` made absolute with the symbolic links of its existing part resolved (the rest kept as written).
    static QString resolvedPath(const QString &path);

    QString directory() const { return m_dir; }
    QString keyPath(const QString &name) const;
    QString publicKeyPath(const QString &name) const;

    // Generates a key and stores it under `name`; never replaces an existing key. Returns its public half.
    std::optional<PublicKey> create(const QString &name, const QByteArray &passphrase, QString *error);
    // Stores an existing Ed25519 key from a PEM file: PKCS#8, plain or encrypted (scrypt or PBKDF2), with
    // `passphrase` used both to open it (if encrypted) and to encrypt the stored copy with Custody's scrypt.
    std::optional<PublicKey> importKey(const QString &name, const QString &pemFile, const QByteArray &passphrase,
                                       QString *error);
    // Decrypts key `name`. Refuses, changing nothing: a missing key, a file readable by others, a damaged
    // file, a wrong passphrase, another key type, weaker encryption than Custody writes, a .pub that does
    // not match. Costs one scrypt (about half a second).
    std::optional<SigningKey> load(const QString &name, const QByteArray &passphrase, QString *error) const;

    std::optional<PublicKey> publicKey(const QString &name, QString *error) const;
    QList<Entry> list(QString *error) const; // sorted by name; an absent folder is an empty store

private:
    bool checkName(const QString &name, QString *error) const;
    bool prepareDirectory(QString *error) const;
    std::optional<PublicKey> store(const QString &name, const SigningKey &key, const QByteArray &passphrase,
                                   QString *error);

    QString m_dir;
};

} // namespace custody
