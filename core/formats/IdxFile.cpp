#include "formats/IdxFile.h"
#include "formats/RegularFile.h"

#include "formats/InputLimits.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <zlib.h>

namespace custody {

namespace {

bool typeFromCode(unsigned char code, ScalarType *type, QString *name)
{
    switch (code) {
    case 0x08: *type = ScalarType::UInt8; *name = QStringLiteral("ubyte"); return true;
    case 0x09: *type = ScalarType::Int8; *name = QStringLiteral("sbyte"); return true;
    case 0x0B: *type = ScalarType::Int16; *name = QStringLiteral("short"); return true;
    case 0x0C: *type = ScalarType::Int32; *name = QStringLiteral("int"); return true;
    case 0x0D: *type = ScalarType::Float32; *name = QStringLiteral("float"); return true;
    case 0x0E: *type = ScalarType::Float64; *name = QStringLiteral("double"); return true;
    }
    return false;
}

gzFile openGz(const QString &path, QString *error)
{
    const int fd = openRegularFile(path, error);
    if (fd < 0)
        return nullptr;
    gzFile gz = gzdopen(fd, "rb");
    if (!gz) {
        ::close(fd);
        *error = QStringLiteral("%1: cannot open").arg(path);
        return nullptr;
    }
    gzbuffer(gz, 1 << 20);
    return gz;
}

} // namespace

IdxFile::~IdxFile()
{
    if (m_gz)
        gzclose(static_cast<gzFile>(m_gz));
}

bool IdxFile::hasMagic(const unsigned char *bytes, size_t size)
{
    ScalarType type;
    QString name;
    return size >= 4 && bytes[0] == 0 && bytes[1] == 0 && typeFromCode(bytes[2], &type, &name) && bytes[3] >= 1
        && size >= 4 + size_t(bytes[3]) * 4;
}

bool IdxFile::looksLikeIdx(const QString &path)
{
    QString ignored;
    gzFile gz = openGz(path, &ignored);
    if (!gz)
        return false;
    unsigned char head[4 + 4 * 8];
    const int got = gzread(gz, head, sizeof head);
    gzclose(gz);
    return got >= 4 && hasMagic(head, size_t(got));
}

bool IdxFile::open(const QString &path, QString *error)
{
    m_path = path;
    QFile probe;
    if (!openRegularFile(&probe, path, error))
        return false;
    m_fileSize = probe.size();
    const QByteArray lead = probe.read(2);
    m_gzipped = lead.size() == 2 && uchar(lead[0]) == 0x1f && uchar(lead[1]) == 0x8b;
    probe.close();

    gzFile gz = openGz(path, error);
    if (!gz)
        return false;
    m_gz = gz;
    unsigned char magic[4];
    if (gzread(gz, magic, 4) != 4 || magic[0] != 0 || magic[1] != 0 || !typeFromCode(magic[2], &m_type, &m_typeName)
        || magic[3] == 0) {
        *error = QStringLiteral("%1: not an IDX file (bad magic)").arg(path);
        return false;
    }
    m_bigEndian = true;
    for (int i = 0; i < magic[3]; ++i) {
        unsigned char d[4];
        if (gzread(gz, d, 4) != 4) {
            *error = QStringLiteral("%1: truncated IDX header").arg(path);
            return false;
        }
        m_shape.push_back(qint64(d[0]) << 24 | qint64(d[1]) << 16 | qint64(d[2]) << 8 | qint64(d[3]));
    }
    qint64 dataBytes = 0;
    if (!checkShape(&dataBytes, error))
        return false;
    const qint64 header = 4 + 4 * qint64(magic[3]);
    if (!m_gzipped) {
        // Plain files can be checked up front, before anything is ingested.
        if (dataBytes > m_fileSize - header) {
            *error = truncatedMessage(m_fileSize - header);
            return false;
        }
        if (dataBytes < m_fileSize - header) {
            *error = trailingMessage(m_fileSize - header - dataBytes);
            return false;
        }
    } else if (qint64 bound = 0; !__builtin_mul_overflow(m_fileSize, limits::kMaxGzipRatio, &bound) && dataBytes > bound) {
        // A gzip bomb declares far more than its compressed size can expand to; refuse it before reading.
        *error = QStringLiteral("%1: shape %2 declares %3 bytes, more than a gzip file of %4 bytes can hold")
                     .arg(path, shapeText()).arg(dataBytes).arg(m_fileSize);
        return false;
    }
    return true;
}

bool IdxFile::readRowBytes(char *dst, QString *error)
{
    if (m_rowsRead >= rows()) {
        *error = QStringLiteral("%1: read past the last record").arg(m_path);
        return false;
    }
    const int got = gzread(static_cast<gzFile>(m_gz), dst, unsigned(rowBytes()));
    if (got != int(rowBytes())) {
        int code = Z_OK;
        const char *message = gzerror(static_cast<gzFile>(m_gz), &code);
        if (got < 0 || (code != Z_OK && code != Z_BUF_ERROR))
            *error = QStringLiteral("%1: record %2: %3").arg(m_path).arg(m_rowsRead + 1).arg(QString::fromUtf8(message));
        else
            *error = QStringLiteral("%1: record %2: truncated data").arg(m_path).arg(m_rowsRead + 1);
        return false;
    }
    ++m_rowsRead;
    // After the last record the data must end: bytes beyond what the header declares are not what it says.
    if (m_rowsRead == rows() && m_gzipped) {
        char extra[4096];
        qint64 trailing = 0;
        for (int n; (n = gzread(static_cast<gzFile>(m_gz), extra, sizeof extra)) > 0 && trailing < (qint64(1) << 30);)
            trailing += n;
        if (trailing > 0) {
            *error = trailingMessage(trailing);
            return false;
        }
    }
    return true;
}

qint64 IdxFile::bytesDone() const
{
    if (!m_gzipped)
        return 4 + 4 * qint64(m_shape.size()) + m_rowsRead * qint64(rowBytes());
    return qint64(gzoffset(static_cast<gzFile>(m_gz)));
}

} // namespace custody
