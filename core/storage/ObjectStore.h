#pragma once

#include "hashing/Sha256.h"

#include <QString>
#include <QStringList>
#include <QTemporaryFile>

#include <atomic>
#include <functional>
#include <memory>
#include <vector>



namespace custody {

// The workspace's content-addressed, write-once store: DIR/objects/ab/cdef... named by the SHA-256 of the
// bytes. A file is written to DIR/objects/tmp, made durable, then renamed into place, so a reader never sees a
// partial object and a crash leaves at most a temporary file behind.
class ObjectStore
{
    friend class Writer;
public:
    explicit ObjectStore(const QString &root = QString()) : m_root(root) { }
    QString root() const { return m_root; }
    QString pathFor(const QString &hexHash) const;
    // An object is a regular file, never a symbolic link, a FIFO or a device (which could hang or never end a
    // read): false with *error naming it otherwise. Every reader checks this before opening an object.
    bool isRegularObject(const QString &hexHash, QString *error) const;
    bool contains(const QString &hexHash) const;
    // The store's folders (objects/, objects/tmp and the two-hex-digit folders) are its own: a symbolic link or a
    // file in their place would send writes and deletions elsewhere. False with *error naming the first one.
    bool foldersAreOwn(QString *error) const;

    struct Stored
    {
        QString hash; // hex
        qint64 size = 0;
        bool created = false; // false when the object already existed
    };

    // Copies `file` into the store, hashing while copying. The caller batches durability: call
    // sync() once after a group of puts and before committing anything that references them.
    bool put(const QString &file, Stored *stored, QString *error,
             const std::function<void(qint64)> &progress = {}, const std::atomic_bool *cancel = nullptr);
    bool putBytes(const QByteArray &bytes, Stored *stored, QString *error);

    // Streams a new object whose content is produced piece by piece (a version's record pack), hashing as
    // it writes. Nothing appears in the store until finish(); an unfinished writer removes its temporary file.
    class Writer
    {
    public:
        explicit Writer(ObjectStore &store) : m_store(store) { }
        ~Writer();
        bool open(QString *error);
        bool write(const char *data, size_t size, QString *error);
        qint64 size() const { return m_size; }
        bool finish(Stored *stored, QString *error);

    private:
        ObjectStore &m_store;
        std::unique_ptr<QTemporaryFile> m_file;
        Sha256 m_hash;
        std::string m_buffer;
        qint64 m_size = 0;
        bool flush(QString *error);
    };
    // Makes every object written since the last call durable (file data and directory entries).
    bool sync(QString *error);

    // Recomputes the hash of a stored object; false with *error naming the problem when it is missing,
    // unreadable or does not match its name.
    bool verify(const QString &hexHash, qint64 expectedSize, QString *error) const;

    bool remove(const QString &hexHash);
    // Every object file present on disk, as hex hashes (temporary files excluded). With `strays`, also the
    // paths (relative to the object folder) of anything else found there: files not named by a SHA-256 in
    // its two-character folder, links, folders that are no object prefix. Custody never reads them.
    QStringList list(QStringList *strays = nullptr) const;
    // Removes leftover temporary files from interrupted writes.
    void clearTemporaryFiles();
    // Objects found altered or replaced when the same content was stored again, and so rewritten from the
    // fresh bytes (each with what was wrong); a sign someone edited the object folder.
    const QStringList &repaired() const { return m_repaired; }

private:
    bool openTemporary(QTemporaryFile *file, QString *error) const;
    bool place(const QString &tmpPath, const QString &hash, Stored *stored, QString *error);

    QString m_root;
    std::vector<QString> m_pendingDirs; // directories whose entries changed since the last sync()
    std::vector<QString> m_pendingFiles;
    QStringList m_repaired;
};

} // namespace custody
