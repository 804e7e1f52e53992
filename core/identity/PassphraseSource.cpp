#include "identity/PassphraseSource.h"
#include "formats/RegularFile.h"

#include <QFile>

#include <openssl/crypto.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

namespace custody {

namespace {

constexpr int kMaxPassphrase = 4096;

// Reads one line from `fd` into a fixed buffer (no reallocations leaving copies behind), stopping at '\n'.
// Returns false on a read error or end of input before any newline was read and nothing was typed.
bool readLine(int fd, QByteArray *out, bool *tooLong)
{
    char buf[kMaxPassphrase];
    int len = 0;
    bool sawAny = false;
    *tooLong = false;
    for (;;) {
        char c;
        const ssize_t n = ::read(fd, &c, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        sawAny = true;
        if (c == '\n')
            break;
        if (len == kMaxPassphrase) {
            *tooLong = true; // and stop: /dev/zero or a huge file must not keep us reading
            break;
        }
        buf[len++] = c;
    }
    if (len > 0 && buf[len - 1] == '\r')
        --len;
    out->resize(len);
    std::memcpy(out->data(), buf, size_t(len));
    OPENSSL_cleanse(buf, sizeof buf);
    return sawAny;
}

void writeAll(int fd, const QByteArray &text)
{
    qsizetype done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.constData() + done, size_t(text.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        done += n;
    }
}

std::optional<QByteArray> askOnce(int fd, const QString &prompt, QString *error)
{
    termios saved;
    const bool isTerminal = ::tcgetattr(fd, &saved) == 0;
    if (isTerminal) {
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        quiet.c_lflag |= ECHONL; // the Enter key still moves to the next line
        ::tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    writeAll(fd, prompt.toUtf8());
    QByteArray line;
    bool tooLong = false;
    const bool gotLine = readLine(fd, &line, &tooLong);
    if (isTerminal)
        ::tcsetattr(fd, TCSAFLUSH, &saved);
    if (!gotLine) {
        *error = QStringLiteral("no passphrase was typed");
        return std::nullopt;
    }
    if (tooLong) {
        wipeSecret(&line);
        *error = QStringLiteral("the passphrase is longer than %1 bytes").arg(kMaxPassphrase);
        return std::nullopt;
    }
    return line;
}

} // namespace

void wipeSecret(QByteArray *secret)
{
    // capacity() is 0 for literals and raw data, which live in read-only memory and are not ours to wipe.
    if (secret->capacity() > 0 && !secret->isEmpty())
        OPENSSL_cleanse(const_cast<char *>(secret->constData()), size_t(secret->size()));
    secret->clear();
}

std::optional<QByteArray> PassphraseSource::readPassphraseFile(const QString &path, QString *error)
{
    QString why;
    const int fd = openRegularFile(path, &why);
    if (fd < 0) {
        *error = QStringLiteral("cannot read passphrase file %1").arg(why); // why begins with the path
        return std::nullopt;
    }
    QByteArray line;
    bool tooLong = false;
    readLine(fd, &line, &tooLong);
    ::close(fd);
    if (tooLong) {
        wipeSecret(&line);
        *error = QStringLiteral("passphrase file %1 has a first line longer than %2 bytes").arg(path).arg(kMaxPassphrase);
        return std::nullopt;
    }
    if (line.isEmpty()) {
        *error = QStringLiteral("passphrase file %1 is empty (the passphrase is its first line)").arg(path);
        return std::nullopt;
    }
    return line;
}

std::optional<QByteArray> PassphraseSource::readPassphraseFromTerminal(const QString &prompt, bool confirm,
                                                                      QString *error)
{
    return readPassphraseFromDevice(QStringLiteral("/dev/tty"), prompt, confirm, error);
}

std::optional<QByteArray> PassphraseSource::readPassphraseFromDevice(const QString &ttyPath, const QString &prompt,
                                                                    bool confirm, QString *error)
{
    const int fd = ::open(QFile::encodeName(ttyPath).constData(), O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0 || !::isatty(fd)) {
        if (fd >= 0)
            ::close(fd);
        *error = QStringLiteral("no terminal to ask for the passphrase; use --passphrase-file FILE");
        return std::nullopt;
    }
    std::optional<QByteArray> first = askOnce(fd, prompt, error);
    if (first && first->isEmpty()) {
        *error = QStringLiteral("the passphrase is empty");
        first.reset();
    }
    if (first && confirm) {
        std::optional<QByteArray> again = askOnce(fd, QStringLiteral("Repeat the passphrase: "), error);
        const bool same = again && again->size() == first->size()
            && CRYPTO_memcmp(again->constData(), first->constData(), size_t(first->size())) == 0;
        if (again)
            wipeSecret(&*again);
        if (!same) {
            wipeSecret(&*first);
            first.reset();
            if (again)
                *error = QStringLiteral("the two passphrases differ");
        }
    }
    ::close(fd);
    return first;
}

} // namespace custody
