#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace custody {

// Where the command line gets a key's passphrase: a file (for scripts and CI) or the terminal with echo
// off. Never from an argument or an environment variable, which other users can read in /proc.
class PassphraseSource
{
public:
    // The first line of `path` without its line ending; refuses an empty passphrase.
    static std::optional<QByteArray> readPassphraseFile(const QString &path, QString *error);
    // Prompts on /dev/tty with echo off; with `confirm`, asks twice and refuses a mismatch.
    static std::optional<QByteArray> readPassphraseFromTerminal(const QString &prompt, bool confirm, QString *error);
    // The same on a given terminal device (tests use a pseudo-terminal).
    static std::optional<QByteArray> readPassphraseFromDevice(const QString &ttyPath, const QString &prompt,
                                                              bool confirm, QString *error);
};

// Overwrites the bytes of `secret` in place (OPENSSL_cleanse) and empties it. Copies of a QByteArray share
// one buffer, so every copy is wiped too: call it when the last user of the passphrase is done.
void wipeSecret(QByteArray *secret);

} // namespace custody
