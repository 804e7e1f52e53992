#pragma once

#include <QFile>
#include <QString>

#include <string_view>

namespace custody {

class ObjectStore;

// Read access to a version's record pack: the canonical contents of all its records back to back in row
// order, kept as one object in the store. Writing it sequentially is what lets ingest run near disk speed
// (a blob per SQLite row cost three times as much); the records table holds each record's offset and length.
class RecordPack
{
public:
    RecordPack() = default;
    RecordPack(const RecordPack &) = delete;
    RecordPack &operator=(const RecordPack &) = delete;

    bool open(const ObjectStore &store, const QString &hash, QString *error);
    bool isOpen() const { return m_data != nullptr || m_size == 0; }
    qint64 size() const { return m_size; }
    // The bytes of one record; false when the range lies outside the pack (a damaged workspace).
    bool content(qint64 offset, qint64 length, std::string_view *out) const;

private:
    QFile m_file;
    const char *m_data = nullptr;
    qint64 m_size = -1;
};

} // namespace custody
