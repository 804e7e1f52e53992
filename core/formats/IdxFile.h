#pragma once

#include "formats/ArraySource.h"

namespace custody {

// An IDX file, the format of MNIST and its relatives: two zero bytes, a type byte, a dimension count,
// then each dimension as a big-endian u32 and the big-endian data. Gzipped files (1f 8b) are read through
// zlib transparently, since that is how these datasets are usually shipped.
class IdxFile : public ArraySource
{
public:
    IdxFile() = default;
    ~IdxFile() override;
    IdxFile(const IdxFile &) = delete;
    IdxFile &operator=(const IdxFile &) = delete;

    bool open(const QString &path, QString *error) override;
    bool readRowBytes(char *dst, QString *error) override;
    qint64 bytesDone() const override;
    qint64 bytesTotal() const override { return m_fileSize; }

    bool gzipped() const { return m_gzipped; }

    // True when `bytes` (the first bytes of a file, already gunzipped) start like an IDX file.
    static bool hasMagic(const unsigned char *bytes, size_t size);
    // Peeks at a file, looking through gzip, and tells whether it is IDX.
    static bool looksLikeIdx(const QString &path);

private:
    void *m_gz = nullptr; // gzFile, kept opaque so <zlib.h> stays private to the core
    qint64 m_fileSize = 0;
    bool m_gzipped = false;
};

} // namespace custody
