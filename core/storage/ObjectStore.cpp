#include "storage/ObjectStore.h"
#include "formats/RegularFile.h"

#include <sys/stat.h>
#include "job/Cancel.h"
#include "storage/FileWrite.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryFile>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>

namespace custody {

namespace {
constexpr qint64 kChunk = 1 << 20;

bool fsyncPath(const QString &path, QString *error)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::fsync(fd) != 0) {
        if (error)
            *error = QStringLiteral("%1: cannot make durable (%2)").arg(path, systemErrorText(errno));
        if (fd >= 0)
            ::close(fd);
        return false;
    }
    ::close(fd);
    return true;
}
} // namespace

QString ObjectStore::pathFor(const QString &hexHash) const
{
    return m_root + QLatin1Char('/') + hexHash.left(2) + QLatin1Char('/') + hexHash.mid(2);
}

bool ObjectStore::contains(const QString &hexHash) const
{
    return QFileInfo::exists(pathFor(hexHash));
}

namespace {

// objects/tmp must be a real folder of the workspace: through a link, temporary objects would be written
// elsewhere and clearing leftovers would delete someone else's files.
bool isOwnFolder(const QString &path, QString *error)
{
    struct stat st;
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        return errno == ENOENT;
    if (S_ISDIR(st.st_mode))
        return true;
    if (error)
        *error = QStringLiteral("%1 is %2, not a folder of the workspace: refusing to write or delete through it")
                     .arg(path, S_ISLNK(st.st_mode) ? QStringLiteral("a symbolic link") : QStringLiteral("not a folder"));
    return false;
}

} // namespace

bool ObjectStore::openTemporary(QTemporaryFile *file, QString *error) const
{
    if (!isOwnFolder(m_root, error) || !isOwnFolder(m_root + QStringLiteral("/tmp"), error))
        return false;
    QDir().mkpath(m_root + QStringLiteral("/tmp"));
    file->setFileTemplate(m_root + QStringLiteral("/tmp/put-XXXXXX"));
    file->setAutoRemove(false); // renamed into place on success, removed by hand on failure
    if (!file->open()) {
        *error = QStringLiteral("%1: cannot write a temporary object (%2)").arg(m_root, file->errorString());
        return false;
    }
    return true;
}

bool ObjectStore::put(const QString &file, Stored *stored, QString *error,
                      const std::function<void(qint64)> &progress, const std::atomic_bool *cancel)
{
    QFile in;
    if (!openRegularFile(&in, file, error))
        return false;
    QTemporaryFile out;
    if (!openTemporary(&out, error))
        return false;
    const QString tmpPath = out.fileName();
    Sha256 hash;
    std::vector<char> buffer(kChunk);
    qint64 total = 0;
    for (;;) {
        if (cancel && cancel->load()) {
            out.remove();
            *error = cancelledMessage();
            return false;
        }
        const qint64 n = in.read(buffer.data(), kChunk);
        if (n < 0) {
            out.remove();
            *error = QStringLiteral("%1: read error (%2)").arg(file, in.errorString());
            return false;
        }
        if (n == 0)
            break;
        hash.update(buffer.data(), size_t(n));
        if (!writeFully(out, buffer.data(), n, error)) {
            *error = QStringLiteral("%1: cannot keep a copy in the workspace: %2").arg(file, *error);
            out.remove();
            return false;
        }
        total += n;
        if (progress)
            progress(total);
    }
    out.close();
    stored->size = total;
    return place(tmpPath, toHex(hash.finish()), stored, error);
}

bool ObjectStore::putBytes(const QByteArray &bytes, Stored *stored, QString *error)
{
    const QString hex = toHex(Sha256::of(std::string_view(bytes.constData(), size_t(bytes.size()))));
    QTemporaryFile out;
    if (!openTemporary(&out, error))
        return false;
    const QString tmpPath = out.fileName();
    if (!writeFully(out, bytes.constData(), bytes.size(), error)) {
        out.remove();
        return false;
    }
    out.close();
    stored->size = bytes.size();
    return place(tmpPath, hex, stored, error);
}

bool ObjectStore::place(const QString &tmpPath, const QString &hash, Stored *stored, QString *error)
{
    stored->hash = hash;
    const QString target = pathFor(hash);
    QString why;
    const bool existed = QFileInfo::exists(target) || QFileInfo(target).isSymLink();
    if (existed) {
        // Write-once: identical content is already here, and is kept... once it is shown to be identical. An
        // object altered or replaced (a link, a FIFO) behind Custody's back would otherwise be what the caller
        // parses and signs in place of the bytes it was given; the fresh copy replaces it instead.
        if (verify(hash, stored->size, &why)) {
            QFile::remove(tmpPath);
            stored->created = false;
            return true;
        }
        m_repaired.append(QStringLiteral("%1 (replaced by the bytes just stored)").arg(why));
    }
    const QString dir = QFileInfo(target).path();
    // The fan-out folder must be the store's own (checked at open too; this closes the gap since).
    if (!isOwnFolder(dir, error)) {
        QFile::remove(tmpPath);
        return false;
    }
    QDir().mkpath(dir);
    // The data must be durable before the name appears (fsync then rename).
    if (!fsyncPath(tmpPath, error)) {
        QFile::remove(tmpPath);
        return false;
    }
    if (::rename(QFile::encodeName(tmpPath).constData(), QFile::encodeName(target).constData()) != 0) {
        *error = QStringLiteral("%1: cannot store object (%2)").arg(target, systemErrorText(errno));
        QFile::remove(tmpPath);
        return false;
    }
    // A repaired object existed before this write (a version may name it): not "created", so a failed ingest
    // that removes what it created never removes it.
    stored->created = !existed;
    m_pendingFiles.push_back(target);
    if (std::find(m_pendingDirs.begin(), m_pendingDirs.end(), dir) == m_pendingDirs.end())
        m_pendingDirs.push_back(dir);
    return true;
}

ObjectStore::Writer::~Writer()
{
    if (m_file)
        m_file->remove();
}

bool ObjectStore::Writer::open(QString *error)
{
    m_file = std::make_unique<QTemporaryFile>();
    m_buffer.reserve(kChunk);
    return m_store.openTemporary(m_file.get(), error);
}

bool ObjectStore::Writer::flush(QString *error)
{
    if (m_buffer.empty())
        return true;
    if (!writeFully(*m_file, m_buffer.data(), qint64(m_buffer.size()), error))
        return false;
    m_buffer.clear();
    return true;
}

bool ObjectStore::Writer::write(const char *data, size_t size, QString *error)
{
    m_hash.update(data, size);
    m_buffer.append(data, size);
    m_size += qint64(size);
    return m_buffer.size() < size_t(kChunk) || flush(error);
}

bool ObjectStore::Writer::finish(Stored *stored, QString *error)
{
    if (!flush(error))
        return false;
    m_file->close();
    stored->size = m_size;
    const QString tmpPath = m_file->fileName();
    m_file.reset(); // autoRemove is off: the file stays for place() to rename or delete
    return m_store.place(tmpPath, toHex(m_hash.finish()), stored, error);
}

bool ObjectStore::sync(QString *error)
{
    for (const QString &dir : m_pendingDirs)
        if (!fsyncPath(dir, error))
            return false;
    if (!m_pendingDirs.empty() && !fsyncPath(m_root, error))
        return false;
    m_pendingDirs.clear();
    m_pendingFiles.clear();
    return true;
}

bool ObjectStore::isRegularObject(const QString &hexHash, QString *error) const
{
    const QString path = pathFor(hexHash);
    struct stat st;
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0) {
        *error = QStringLiteral("object %1 is missing (%2)").arg(hexHash, path);
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        *error = QStringLiteral("object %1 is not a regular file (%2 is a %3): it was replaced behind Custody's back")
                     .arg(hexHash.left(12), path,
                          S_ISLNK(st.st_mode) ? QStringLiteral("symbolic link") : S_ISFIFO(st.st_mode) ? QStringLiteral("FIFO")
                                                                                   : QStringLiteral("special file"));
        return false;
    }
    return true;
}

bool ObjectStore::verify(const QString &hexHash, qint64 expectedSize, QString *error) const
{
    const QString path = pathFor(hexHash);
    QFile f(path);
    if (!isRegularObject(hexHash, error))
        return false;
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("object %1 cannot be read (%2)").arg(hexHash, f.errorString());
        return false;
    }
    Sha256 hash;
    std::vector<char> buffer(kChunk);
    qint64 total = 0;
    for (qint64 n; (n = f.read(buffer.data(), kChunk)) > 0; total += n)
        hash.update(buffer.data(), size_t(n));
    const QString actual = toHex(hash.finish());
    if (actual != hexHash) {
        *error = QStringLiteral("object %1 was altered: its content now hashes to %2").arg(hexHash, actual);
        return false;
    }
    if (expectedSize >= 0 && total != expectedSize) {
        *error = QStringLiteral("object %1 has %2 bytes, %3 were stored").arg(hexHash).arg(total).arg(expectedSize);
        return false;
    }
    return true;
}

bool ObjectStore::remove(const QString &hexHash)
{
    return QFile::remove(pathFor(hexHash));
}

namespace {

bool isLowerHex(QStringView text)
{
    for (const QChar c : text)
        if (!((c >= QLatin1Char('0') && c <= QLatin1Char('9')) || (c >= QLatin1Char('a') && c <= QLatin1Char('f'))))
            return false;
    return true;
}

} // namespace

bool ObjectStore::foldersAreOwn(QString *error) const
{
    if (!isOwnFolder(m_root, error) || !isOwnFolder(m_root + QStringLiteral("/tmp"), error))
        return false;
    const auto entries = QDir(m_root).entryInfoList(QDir::AllEntries | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot);
    for (const QFileInfo &top : entries)
        if (top.fileName().size() == 2 && isLowerHex(top.fileName()) && !isOwnFolder(top.filePath(), error))
            return false;
    return true;
}

QStringList ObjectStore::list(QStringList *strays) const
{
    QStringList out;
    const QDir root(m_root);
    // Two levels only, links not followed: an object is objects/ab/<62 hex>, nothing deeper is read.
    const auto entries = root.entryInfoList(QDir::AllEntries | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
    for (const QFileInfo &top : entries) {
        const QString name = top.fileName();
        if (name == QLatin1String("tmp") && top.isDir() && !top.isSymLink())
            continue; // in-flight writes, cleared by the next writer
        if (name.size() != 2 || !isLowerHex(name) || !top.isDir() || top.isSymLink()) {
            if (strays)
                strays->append(name);
            continue;
        }
        const auto files = QDir(top.filePath()).entryInfoList(QDir::AllEntries | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
        for (const QFileInfo &info : files) {
            const QString file = info.fileName();
            if (file.size() == 62 && isLowerHex(file) && info.isFile() && !info.isSymLink())
                out.append(name + file);
            else if (strays)
                strays->append(name + QLatin1Char('/') + file);
        }
    }
    return out;
}

void ObjectStore::clearTemporaryFiles()
{
    const QString path = m_root + QStringLiteral("/tmp");
    if (!isOwnFolder(path, nullptr))
        return;
    QDir tmp(path);
    // Only what openTemporary names; unlink removes a link itself, never what it points at.
    for (const QString &name : tmp.entryList({QStringLiteral("put-*")}, QDir::Files | QDir::Hidden | QDir::System))
        tmp.remove(name);
}

} // namespace custody
