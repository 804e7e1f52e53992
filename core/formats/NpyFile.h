#pragma once

#include "formats/ArraySource.h"

#include <cstdio>

namespace custody {

// A NumPy .npy file (format versions 1.0, 2.0 and 3.0) read row by row along its first axis. Supported
// dtypes: b1, i1, u1, i2, u2, i4, u4, i8, u8, f4, f8 in either byte order. C-order data streams; Fortran
// order is loaded whole (its rows are scattered across the file) and gathered per row.
//
// Besides feeding NpyReader, it is how the ingest streams an embeddings matrix aligned with the records:
//     NpyFile npy; npy.open(path, &error); // then npy.rows(), npy.cols(), and per row npy.readRow(&floats, &error)
class NpyFile : public ArraySource
{
public:
    NpyFile() = default;
    ~NpyFile() override;
    NpyFile(const NpyFile &) = delete;
    NpyFile &operator=(const NpyFile &) = delete;

    bool open(const QString &path, QString *error) override;
    bool readRowBytes(char *dst, QString *error) override;
    qint64 bytesDone() const override;
    qint64 bytesTotal() const override { return m_fileSize; }

    bool fortranOrder() const { return m_fortran; }

    // True when the file starts with the .npy magic.
    static bool hasMagic(const char *bytes, size_t size);

private:
    bool parseHeader(const std::string &header, QString *error);
    bool loadFortran(qint64 dataBytes, qint64 available, QString *error);

    FILE *m_file = nullptr;
    qint64 m_fileSize = 0;
    qint64 m_dataOffset = 0;
    bool m_fortran = false;
    std::string m_fortranData;
    std::vector<qint64> m_fortranIndex; // C-order position within a row -> Fortran element offset / rows
};

} // namespace custody
