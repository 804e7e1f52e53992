#include "formats/TextInput.h"
#include "formats/RegularFile.h"

#include "formats/InputLimits.h"
#include "formats/Utf8.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace custody {

TextInput::~TextInput()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

bool TextInput::open(const QString &path, QString *error)
{
    m_path = path;
    m_fd = openRegularFile(path, error);
    if (m_fd < 0)
        return false;
    struct stat st;
    if (::fstat(m_fd, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            *error = QStringLiteral("%1: is a directory, not a file").arg(path);
            return false;
        }
        m_fileSize = st.st_size;
    }
    ::posix_fadvise(m_fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    // A small regular file gets a buffer its size (and one more byte, to see the end without growing); anything
    // else a block, grown by fill() as far as the line cap.
    m_capacity = m_fileSize > 0 && m_fileSize < qint64(kBlockSize) ? (size_t(m_fileSize) + 4096) & ~size_t(4095) : kBlockSize;
    m_buf.resize(m_capacity + kPadding);
    if (!fill(error))
        return false;
    if (m_end >= 3 && utf8::bomLength(std::string_view(m_buf.data(), m_end)) == 3)
        m_pos = 3;
    return true;
}

bool TextInput::fill(QString *error, qint64 line)
{
    if (m_eof)
        return true;
    if (m_pos > 0) {
        std::memmove(m_buf.data(), m_buf.data() + m_pos, m_end - m_pos);
        m_end -= m_pos;
        m_pos = 0;
    }
    if (m_end == m_capacity) {
        if (m_capacity >= limits::kMaxLineBytes) {
            const QString where = line > 0 ? QStringLiteral("%1:%2").arg(m_path).arg(line) : m_path;
            *error = QStringLiteral("%1: a line longer than %2 MiB (is this a text file?)").arg(where).arg(limits::kMaxLineBytes >> 20);
            return false;
        }
        m_capacity *= 2;
        m_buf.resize(m_capacity + kPadding);
    }
    // Read until the buffer is full or the file ends, so short reads do not cost a re-parse each.
    while (m_end < m_capacity) {
        const ssize_t n = ::read(m_fd, m_buf.data() + m_end, m_capacity - m_end);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            *error = QStringLiteral("%1: read error (%2)").arg(m_path, QString::fromLocal8Bit(std::strerror(errno)));
            return false;
        }
        if (n == 0) {
            m_eof = true;
            break;
        }
        m_end += size_t(n);
        m_offset += n;
    }
    return true;
}

bool TextInput::readLine(std::string_view *line, QString *error)
{
    for (;;) {
        const char *p = pos();
        const size_t left = size_t(end() - p);
        const void *nl = std::memchr(p, '\n', left);
        if (nl || (m_eof && left > 0)) {
            const char *stop = nl ? static_cast<const char *>(nl) : end();
            size_t n = size_t(stop - p);
            if (n > 0 && p[n - 1] == '\r')
                --n;
            *line = std::string_view(p, n);
            consume(nl ? stop + 1 : stop);
            ++m_linesRead;
            return true;
        }
        if (m_eof)
            return false;
        if (!fill(error, m_linesRead + 1))
            return false;
    }
}

} // namespace custody
