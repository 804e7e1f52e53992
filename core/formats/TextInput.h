#pragma once

#include <QString>

#include <string_view>
#include <vector>

namespace custody {

// A file read in large blocks with plain read(2) into one reusable buffer. The text readers parse straight
// out of the buffer; a record never moves while it is being parsed, only between calls to fill().
class TextInput
{
public:
    static constexpr size_t kBlockSize = size_t(1) << 20;
    // Readable bytes after end(), so scanners may load 16 bytes at a time without checking first.
    static constexpr size_t kPadding = 64;

    TextInput() = default;
    ~TextInput();
    TextInput(const TextInput &) = delete;
    TextInput &operator=(const TextInput &) = delete;

    // Opens `path` (used as given in messages) and reads the first block; skips a UTF-8 BOM.
    bool open(const QString &path, QString *error);
    const QString &path() const { return m_path; }
    qint64 fileSize() const { return m_fileSize; }

    // The unconsumed bytes are [pos(), end()).
    const char *pos() const { return m_buf.data() + m_pos; }
    const char *end() const { return m_buf.data() + m_end; }
    void consume(const char *to) { m_pos = size_t(to - m_buf.data()); }
    bool atEof() const { return m_eof; }
    bool exhausted() const { return m_eof && m_pos == m_end; }
    // Bytes of the file consumed so far, for progress.
    qint64 bytesDone() const { return m_offset - qint64(m_end - m_pos); }

    // Moves the unconsumed bytes to the front and reads more after them, growing the buffer when it is
    // full (a record longer than a block). Pointers into the buffer are invalid afterwards. A record that
    // would outgrow limits::kMaxLineBytes fails with a message naming the file and `line` (when known).
    bool fill(QString *error, qint64 line = 0);

    // The next physical line without its "\n" or "\r\n". False at the end (error empty), on a read error,
    // or on a line longer than limits::kMaxLineBytes.
    bool readLine(std::string_view *line, QString *error);

private:
    QString m_path;
    int m_fd = -1;
    std::vector<char> m_buf;
    size_t m_capacity = 0; // usable bytes; m_buf has kPadding more
    size_t m_pos = 0;
    size_t m_end = 0;
    qint64 m_offset = 0; // bytes read from the file
    qint64 m_fileSize = 0;
    qint64 m_linesRead = 0; // by readLine()
    bool m_eof = false;
};

} // namespace custody
