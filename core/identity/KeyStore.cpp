#include "identity/KeyStore.h"
#include "formats/RegularFile.h"

#include "identity/OpenSslPtr.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <openssl/pem.h>
#include <openssl/rand.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace custody {

namespace {

constexpr qint64 kMaxKeyFileSize = 64 * 1024;
constexpr qint64 kMaxImportFileSize = 1024 * 1024;

QString systemError(int err)
{
    return QString::fromLocal8Bit(std::strerror(err));
}

QString octalMode(mode_t mode)
{
    return QStringLiteral("%1").arg(uint(mode & 07777), 4, 8, QLatin1Char('0'));
}

bool syncDirectory(const QString &dir)
{
    const int fd = ::open(QFile::encodeName(dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}

// Writes `bytes` to a fresh temporary file created with `mode` (O_EXCL, so never through a planted link),
// syncs it, and renames it into place; with `replace` false the rename refuses to replace `path`, so two
// processes creating the same key cannot both succeed.
bool writeFileAtomically(const QString &path, const QByteArray &bytes, mode_t mode, bool replace, QString *error)
{
    unsigned char random[8];
    RAND_bytes(random, sizeof random);
    const QFileInfo target(path);
    const QString tmp = target.dir().filePath(
        QStringLiteral(".%1.tmp-%2")
            .arg(target.fileName(), QString::fromLatin1(QByteArray(reinterpret_cast<char *>(random), 8).toHex())));
    const QByteArray tmpName = QFile::encodeName(tmp);
    const QByteArray finalName = QFile::encodeName(path);

    const int fd = ::open(tmpName.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
    if (fd < 0) {
        *error = QStringLiteral("cannot create %1: %2").arg(tmp, systemError(errno));
        return false;
    }
    qsizetype written = 0;
    int err = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.constData() + written, size_t(bytes.size() - written));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            err = n < 0 ? errno : EIO;
            break;
        }
        written += n;
    }
    if (!err && ::fsync(fd) != 0)
        err = errno;
    if (::close(fd) != 0 && !err)
        err = errno;
    if (!err) {
        int rc = replace ? ::rename(tmpName.constData(), finalName.constData())
                         : ::renameat2(AT_FDCWD, tmpName.constData(), AT_FDCWD, finalName.constData(),
                                       RENAME_NOREPLACE);
        if (rc != 0 && !replace && (errno == EINVAL || errno == ENOSYS)) {
            // A file system without RENAME_NOREPLACE: link() also refuses to replace.
            rc = ::link(tmpName.constData(), finalName.constData());
            if (rc == 0)
                ::unlink(tmpName.constData());
        }
        if (rc != 0)
            err = errno;
    }
    if (err) {
        ::unlink(tmpName.constData());
        *error = err == EEXIST ? QStringLiteral("%1 already exists").arg(path)
                               : QStringLiteral("cannot write %1: %2").arg(path, systemError(err));
        return false;
    }
    syncDirectory(target.path());
    return true;
}

bool readSmallFile(const QString &path, qint64 limit, QByteArray *out, QString *error)
{
    QFile f;
    if (!openRegularFile(&f, path, error)) {
        error->prepend(QStringLiteral("cannot read ")); // "cannot read PATH: why"
        return false;
    }
    *out = f.read(limit + 1);
    if (out->size() > limit) {
        *error = QStringLiteral("%1 is too large to be a key file").arg(path);
        return false;
    }
    return true;
}

int passphraseCallback(char *buf, int size, int, void *userdata)
{
    const QByteArray *passphrase = static_cast<const QByteArray *>(userdata);
    if (passphrase->size() > size)
        return -1;
    std::memcpy(buf, passphrase->constData(), size_t(passphrase->size()));
    return int(passphrase->size());
}

} // namespace

KeyStore::KeyStore() : KeyStore(defaultDirectory()) {}

KeyStore::KeyStore(const QString &directory) : m_dir(QDir::cleanPath(QDir(directory).absolutePath())) {}

QString KeyStore::defaultDirectory()
{
    // XDG Base Directory: a relative $XDG_DATA_HOME is invalid and must be ignored.
    QString base = qEnvironmentVariable("XDG_DATA_HOME");
    if (base.isEmpty() || !QDir::isAbsolutePath(base))
        base = QDir::homePath() + QStringLiteral("/.local/share");
    return QDir::cleanPath(base + QStringLiteral("/custody/keys"));
}

bool KeyStore::isValidName(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9._-]{1,64}$"));
    return pattern.match(name).hasMatch();
}

QString KeyStore::keyPath(const QString &name) const
{
    return m_dir + QLatin1Char('/') + name + QStringLiteral(".key");
}

QString KeyStore::publicKeyPath(const QString &name) const
{
    return m_dir + QLatin1Char('/') + name + QStringLiteral(".pub");
}

bool KeyStore::checkName(const QString &name, QString *error) const
{
    if (isValidName(name))
        return true;
    *error = QStringLiteral("'%1' is not a valid key name (use 1 to 64 of A-Z a-z 0-9 . _ -)").arg(name);
    return false;
}

QString KeyStore::resolvedPath(const QString &path)
{
    // The deepest folder that exists, with its symbolic links resolved, and the rest of the path as written.
    QString existing = QFileInfo(path).absoluteFilePath();
    QStringList rest;
    while (!QFileInfo::exists(existing)) {
        const QString parent = QFileInfo(existing).path();
        if (parent == existing)
            break;
        rest.prepend(QFileInfo(existing).fileName());
        existing = parent;
    }
    const QString canonical = QFileInfo(existing).canonicalFilePath();
    rest.prepend(canonical.isEmpty() ? existing : canonical);
    return QDir::cleanPath(rest.join(QLatin1Char('/')));
}

bool KeyStore::prepareDirectory(QString *error) const
{
    // Walk the path as written and as it resolves (a symbolic link may lead into a workspace); the folders
    // below an existing workspace may not exist yet.
    for (const QString &start : {QFileInfo(m_dir).absoluteFilePath(), resolvedPath(m_dir)}) {
        for (QString dir = start;;) {
            // A workspace is a folder holding custody.db (storage/Workspace.h; identity sits below storage, so
            // the name is written here too, and TestKeyStore checks it against a real workspace).
            if (QFileInfo(QDir(dir).filePath(QStringLiteral("custody.db"))).isFile()) {
                *error = QStringLiteral("refusing to keep private keys in %1: it is inside the workspace %2, which is "
                                        "shared with others")
                             .arg(m_dir, dir);
                return false;
            }
            const QString parent = QFileInfo(dir).path();
            if (parent == dir)
                break;
            dir = parent;
        }
    }
    if (!QDir().mkpath(QFileInfo(m_dir).path())) {
        *error = QStringLiteral("cannot create %1").arg(QFileInfo(m_dir).path());
        return false;
    }
    const QByteArray dir = QFile::encodeName(m_dir);
    if (::mkdir(dir.constData(), 0700) != 0 && errno != EEXIST) {
        *error = QStringLiteral("cannot create %1: %2").arg(m_dir, systemError(errno));
        return false;
    }
    struct stat st;
    if (::stat(dir.constData(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        *error = QStringLiteral("%1 is not a folder").arg(m_dir);
        return false;
    }
    // A key folder others can list leaks who holds which key; tighten one that an older tool left open.
    if ((st.st_mode & 077) && ::chmod(dir.constData(), 0700) != 0) {
        *error = QStringLiteral("cannot make %1 private (chmod 700): %2").arg(m_dir, systemError(errno));
        return false;
    }
    return true;
}

std::optional<PublicKey> KeyStore::store(const QString &name, const SigningKey &key, const QByteArray &passphrase,
                                         QString *error)
{
    if (!prepareDirectory(error))
        return std::nullopt;
    const QByteArray pem = EncryptedKeyFile::encrypt(key, passphrase, error);
    if (pem.isEmpty())
        return std::nullopt;
    QString writeError;
    if (!writeFileAtomically(keyPath(name), pem, 0600, false, &writeError)) {
        *error = QFileInfo::exists(keyPath(name)) ? QStringLiteral("a key named '%1' already exists in %2").arg(name, m_dir)
                                                  : writeError;
        return std::nullopt;
    }
    // The .pub is derived from the key, so an old one left beside a deleted key may be replaced.
    if (!writeFileAtomically(publicKeyPath(name), key.publicKeyPem(), 0644, true, error)) {
        ::unlink(QFile::encodeName(keyPath(name)).constData());
        return std::nullopt;
    }
    return key.publicKey();
}

std::optional<PublicKey> KeyStore::create(const QString &name, const QByteArray &passphrase, QString *error)
{
    if (!checkName(name, error))
        return std::nullopt;
    if (passphrase.isEmpty()) {
        *error = QStringLiteral("the passphrase is empty");
        return std::nullopt;
    }
    // Checked here too so that a taken name fails before half a second of scrypt; store() checks atomically.
    if (QFileInfo::exists(keyPath(name))) {
        *error = QStringLiteral("a key named '%1' already exists in %2").arg(name, m_dir);
        return std::nullopt;
    }
    std::optional<SigningKey> key = SigningKey::generate(error);
    if (!key)
        return std::nullopt;
    return store(name, *key, passphrase, error);
}

std::optional<PublicKey> KeyStore::importKey(const QString &name, const QString &pemFile, const QByteArray &passphrase,
                                             QString *error)
{
    if (!checkName(name, error))
        return std::nullopt;
    if (passphrase.isEmpty()) {
        *error = QStringLiteral("the passphrase is empty");
        return std::nullopt;
    }
    if (QFileInfo::exists(keyPath(name))) {
        *error = QStringLiteral("a key named '%1' already exists in %2").arg(name, m_dir);
        return std::nullopt;
    }
    QByteArray pem;
    if (!readSmallFile(pemFile, kMaxImportFileSize, &pem, error))
        return std::nullopt;

    using Status = EncryptedKeyFile::Status;
    EncryptedKeyFile::Decrypted d = EncryptedKeyFile::decrypt(pem, passphrase, EncryptedKeyFile::Policy::AcceptAnyScrypt);
    switch (d.status) {
    case Status::Ok:
        break;
    case Status::OtherFormat:
    case Status::OtherScheme: {
        // Plain PKCS#8, traditional PEM or PBKDF2 encryption: within what OpenSSL's own reader handles.
        ossl::Bio bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
        EVP_PKEY *pkey = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, passphraseCallback,
                                                       const_cast<QByteArray *>(&passphrase))
                             : nullptr;
        if (!pkey) {
            // An encrypted PKCS#8 that parsed as such fails here for a wrong passphrase (no MAC tells it apart
            // from damage); a traditional encrypted PEM says "bad decrypt".
            const QString reason = ossl::takeErrorReason();
            *error = d.status == Status::OtherScheme || reason.contains(QLatin1String("decrypt"))
                ? QStringLiteral("wrong passphrase for %1").arg(pemFile)
                : QStringLiteral("%1 holds no private key Custody can read (%2)").arg(pemFile, reason);
            return std::nullopt;
        }
        d.key = SigningKey::adopt(pkey, pemFile, error);
        if (!d.key)
            return std::nullopt;
        break;
    }
    case Status::WrongPassphrase:
        *error = QStringLiteral("wrong passphrase for %1").arg(pemFile);
        return std::nullopt;
    case Status::WrongKeyType:
        *error = QStringLiteral("the key in %1 is %2, Custody uses Ed25519").arg(pemFile, d.detail);
        return std::nullopt;
    case Status::Damaged:
    case Status::WeakParameters:
    case Status::TooCostly:
        *error = QStringLiteral("%1 is damaged or unusable (%2)").arg(pemFile, d.detail);
        return std::nullopt;
    }
    return store(name, *d.key, passphrase, error);
}

std::optional<SigningKey> KeyStore::load(const QString &name, const QByteArray &passphrase, QString *error) const
{
    if (!checkName(name, error))
        return std::nullopt;
    const QString path = keyPath(name);
    struct stat st;
    if (::stat(QFile::encodeName(path).constData(), &st) != 0) {
        *error = errno == ENOENT ? QStringLiteral("no key named '%1' in %2").arg(name, m_dir)
                                 : QStringLiteral("cannot read %1: %2").arg(path, systemError(errno));
        return std::nullopt;
    }
    if (!S_ISREG(st.st_mode)) {
        *error = QStringLiteral("key file %1 is not a regular file").arg(path);
        return std::nullopt;
    }
    // ssh refuses the same: a private key others can read is a key others may have copied.
    if (st.st_mode & 077) {
        *error = QStringLiteral("key file %1 is readable by others (mode %2); run chmod 600 %1")
                     .arg(path, octalMode(st.st_mode));
        return std::nullopt;
    }
    QByteArray pem;
    if (!readSmallFile(path, kMaxKeyFileSize, &pem, error))
        return std::nullopt;

    using Status = EncryptedKeyFile::Status;
    EncryptedKeyFile::Decrypted d =
        EncryptedKeyFile::decrypt(pem, passphrase, EncryptedKeyFile::Policy::RequireCustodyStrength);
    switch (d.status) {
    case Status::Ok:
        break;
    case Status::Damaged:
        *error = QStringLiteral("key file %1 is damaged (%2)").arg(path, d.detail);
        return std::nullopt;
    case Status::OtherFormat:
        *error = QStringLiteral("key file %1 holds %2, not an encrypted private key").arg(path, d.detail);
        return std::nullopt;
    case Status::OtherScheme:
    case Status::WeakParameters:
        *error = QStringLiteral("key file %1 uses %2, Custody requires scrypt N>=2^17, r>=8, p>=1 with aes-256-cbc")
                     .arg(path, d.detail);
        return std::nullopt;
    case Status::TooCostly:
        *error = QStringLiteral("key file %1 is unusable: %2").arg(path, d.detail);
        return std::nullopt;
    case Status::WrongPassphrase:
        *error = QStringLiteral("wrong passphrase for key '%1'").arg(name);
        return std::nullopt;
    case Status::WrongKeyType:
        *error = QStringLiteral("key '%1' is an %2 key; Custody uses Ed25519").arg(name, d.detail);
        return std::nullopt;
    }
    // The .pub is what others were given and what list() shows; a mismatch means one file was swapped.
    if (QFileInfo::exists(publicKeyPath(name))) {
        const std::optional<PublicKey> pub = publicKey(name, error);
        if (!pub)
            return std::nullopt;
        if (pub->raw() != d.key->publicKeyRaw()) {
            *error = QStringLiteral("public key file %1 does not match key '%2'").arg(publicKeyPath(name), name);
            return std::nullopt;
        }
    }
    return std::move(d.key);
}

std::optional<PublicKey> KeyStore::publicKey(const QString &name, QString *error) const
{
    if (!checkName(name, error))
        return std::nullopt;
    if (!QFileInfo::exists(publicKeyPath(name))) {
        *error = QFileInfo::exists(keyPath(name))
            ? QStringLiteral("key '%1' has no public key file %2").arg(name, publicKeyPath(name))
            : QStringLiteral("no key named '%1' in %2").arg(name, m_dir);
        return std::nullopt;
    }
    return PublicKey::fromPemFile(publicKeyPath(name), error);
}

QList<KeyStore::Entry> KeyStore::list(QString *error) const
{
    QList<Entry> out;
    const QDir dir(m_dir);
    if (!dir.exists())
        return out;
    if (!QFileInfo(m_dir).isReadable()) {
        *error = QStringLiteral("cannot read %1").arg(m_dir);
        return out;
    }
    const QStringList files = dir.entryList({QStringLiteral("*.key")}, QDir::Files | QDir::Hidden, QDir::Name);
    for (const QString &file : files) {
        const QString name = file.chopped(4);
        if (!isValidName(name))
            continue;
        QString ignored;
        const std::optional<PublicKey> pub = publicKey(name, &ignored);
        out.append({name, pub ? pub->keyId() : QString()});
    }
    return out;
}

} // namespace custody
