#include "formats/NpyFile.h"
#include "formats/RegularFile.h"

#include "formats/InputLimits.h"

#include <QFile>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <sys/stat.h>

namespace custody {

namespace {

// Just enough of a Python literal reader for the header dict numpy writes:
// {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }
class HeaderParser
{
public:
    explicit HeaderParser(std::string_view text) : m_text(text) { }

    // Key -> raw value text (strings without their quotes).
    bool parse(std::vector<std::pair<std::string, std::string>> *items, std::vector<bool> *quoted)
    {
        skipSpace();
        if (!eat('{'))
            return false;
        for (;;) {
            skipSpace();
            if (eat('}'))
                return true;
            std::string key;
            if (!readString(&key))
                return false;
            skipSpace();
            if (!eat(':'))
                return false;
            skipSpace();
            std::string value;
            bool isString = false;
            if (peek() == '\'' || peek() == '"') {
                if (!readString(&value))
                    return false;
                isString = true;
            } else if (!readRaw(&value)) {
                return false;
            }
            items->emplace_back(key, value);
            quoted->push_back(isString);
            skipSpace();
            if (!eat(',')) {
                skipSpace();
                return eat('}');
            }
        }
    }

    // Only the padding numpy writes may follow the closing brace.
    bool atEnd()
    {
        skipSpace();
        return m_pos == m_text.size();
    }

private:
    char peek() const { return m_pos < m_text.size() ? m_text[m_pos] : '\0'; }
    bool eat(char c)
    {
        if (peek() != c)
            return false;
        ++m_pos;
        return true;
    }
    void skipSpace()
    {
        while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\n' || m_text[m_pos] == '\t'))
            ++m_pos;
    }
    bool readString(std::string *out)
    {
        const char quote = peek();
        if (quote != '\'' && quote != '"')
            return false;
        const size_t close = m_text.find(quote, m_pos + 1);
        if (close == std::string_view::npos)
            return false;
        out->assign(m_text.substr(m_pos + 1, close - m_pos - 1));
        m_pos = close + 1;
        return true;
    }
    // A tuple, list, keyword or number: everything up to the ',' or '}' that ends it at depth 0.
    bool readRaw(std::string *out)
    {
        const size_t start = m_pos;
        int depth = 0;
        char quote = 0;
        for (; m_pos < m_text.size(); ++m_pos) {
            const char c = m_text[m_pos];
            if (quote) {
                if (c == quote)
                    quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                ++depth;
            } else if (c == ')' || c == ']' || c == '}') {
                if (depth == 0)
                    break;
                --depth;
            } else if (c == ',' && depth == 0) {
                break;
            }
        }
        out->assign(m_text.substr(start, m_pos - start));
        while (!out->empty() && out->back() == ' ')
            out->pop_back();
        return depth == 0 && !quote && !out->empty();
    }

    std::string_view m_text;
    size_t m_pos = 0;
};

bool parseShape(const std::string &text, std::vector<qint64> *shape)
{
    if (text.size() < 2 || text.front() != '(' || text.back() != ')')
        return false;
    const char *p = text.data() + 1;
    const char *end = text.data() + text.size() - 1;
    for (;;) {
        while (p < end && *p == ' ')
            ++p;
        if (p == end)
            return true;
        qint64 v;
        const auto [ptr, ec] = std::from_chars(p, end, v);
        if (ec != std::errc() || v < 0)
            return false;
        shape->push_back(v);
        p = ptr;
        if (p < end && *p == 'L') // Python 2 longs
            ++p;
        while (p < end && *p == ' ')
            ++p;
        if (p < end && *p != ',')
            return false;
        if (p < end)
            ++p;
    }
}

bool parseDtype(const std::string &descr, ScalarType *type, bool *bigEndian)
{
    if (descr.size() < 3)
        return false;
    const char order = descr[0];
    if (order != '<' && order != '>' && order != '|' && order != '=')
        return false;
    const std::string code = descr.substr(1);
    static const std::pair<const char *, ScalarType> kTypes[] = {
        {"b1", ScalarType::Bool},    {"i1", ScalarType::Int8},   {"u1", ScalarType::UInt8},
        {"i2", ScalarType::Int16},   {"u2", ScalarType::UInt16}, {"i4", ScalarType::Int32},
        {"u4", ScalarType::UInt32},  {"i8", ScalarType::Int64},  {"u8", ScalarType::UInt64},
        {"f4", ScalarType::Float32}, {"f8", ScalarType::Float64},
    };
    for (const auto &[name, t] : kTypes) {
        if (code != name)
            continue;
        // '|' means "byte order not applicable", which only holds for single bytes.
        if (order == '|' && scalarSize(t) != 1)
            return false;
        *type = t;
        *bigEndian = order == '>';
        return true;
    }
    return false;
}

} // namespace

NpyFile::~NpyFile()
{
    if (m_file)
        std::fclose(m_file);
}

bool NpyFile::hasMagic(const char *bytes, size_t size)
{
    return size >= 6 && std::memcmp(bytes, "\x93NUMPY", 6) == 0;
}

bool NpyFile::open(const QString &path, QString *error)
{
    m_path = path;
    const int fd = openRegularFile(path, error);
    if (fd < 0)
        return false;
    m_file = ::fdopen(fd, "rb");
    if (!m_file) {
        *error = QStringLiteral("%1: cannot open (%2)").arg(path, QString::fromLocal8Bit(std::strerror(errno)));
        ::close(fd);
        return false;
    }
    std::setvbuf(m_file, nullptr, _IOFBF, size_t(1) << 20);
    struct stat st;
    if (::fstat(fileno(m_file), &st) == 0)
        m_fileSize = st.st_size;

    unsigned char lead[12];
    const size_t got = std::fread(lead, 1, sizeof lead, m_file);
    if (!hasMagic(reinterpret_cast<const char *>(lead), got) || got < 10) {
        *error = QStringLiteral("%1: not a .npy file (bad magic)").arg(path);
        return false;
    }
    const int major = lead[6];
    size_t headerLen;
    if (major == 1) {
        headerLen = size_t(lead[8]) | size_t(lead[9]) << 8;
        m_dataOffset = 10;
    } else if ((major == 2 || major == 3) && got == 12) {
        headerLen = size_t(lead[8]) | size_t(lead[9]) << 8 | size_t(lead[10]) << 16 | size_t(lead[11]) << 24;
        m_dataOffset = 12;
    } else {
        *error = QStringLiteral("%1: unsupported .npy format version %2.%3").arg(path).arg(major).arg(lead[7]);
        return false;
    }
    // The declared length is checked against the cap and the file's real size before it is allocated.
    if (headerLen > limits::kMaxNpyHeaderBytes) {
        *error = QStringLiteral("%1: .npy header of %2 bytes, more than the %3 KiB limit").arg(path).arg(headerLen).arg(limits::kMaxNpyHeaderBytes >> 10);
        return false;
    }
    if (qint64(headerLen) > m_fileSize - m_dataOffset) {
        *error = QStringLiteral("%1: truncated .npy header").arg(path);
        return false;
    }
    std::string header(headerLen, '\0');
    if (std::fseek(m_file, long(m_dataOffset), SEEK_SET) != 0 || std::fread(header.data(), 1, headerLen, m_file) != headerLen) {
        *error = QStringLiteral("%1: truncated .npy header").arg(path);
        return false;
    }
    m_dataOffset += qint64(headerLen);
    if (!parseHeader(header, error))
        return false;
    qint64 dataBytes = 0;
    if (!checkShape(&dataBytes, error))
        return false;
    const qint64 available = m_fileSize - m_dataOffset;
    if (dataBytes < available) {
        *error = trailingMessage(available - dataBytes);
        return false;
    }
    if (m_fortran && m_shape.size() > 1)
        return loadFortran(dataBytes, available, error);
    if (dataBytes > available) {
        *error = truncatedMessage(available);
        return false;
    }
    return true;
}

bool NpyFile::parseHeader(const std::string &header, QString *error)
{
    std::vector<std::pair<std::string, std::string>> items;
    std::vector<bool> quoted;
    HeaderParser parser(header);
    if (!parser.parse(&items, &quoted) || !parser.atEnd()) {
        *error = QStringLiteral("%1: malformed .npy header").arg(m_path);
        return false;
    }
    // Exactly what numpy writes: the three keys, each once (a repeated or unknown key would be read one way
    // here and another by numpy).
    bool haveDescr = false, haveShape = false, haveOrder = false;
    for (size_t i = 0; i < items.size(); ++i) {
        const auto &[key, value] = items[i];
        if ((key == "descr" && haveDescr) || (key == "shape" && haveShape) || (key == "fortran_order" && haveOrder)) {
            *error = QStringLiteral("%1: the .npy header repeats '%2'").arg(m_path, QString::fromUtf8(key.data(), qsizetype(key.size())));
            return false;
        }
        if (key == "descr") {
            haveDescr = true;
            m_typeName = QString::fromUtf8(value.data(), qsizetype(value.size()));
            if (!quoted[i] || !parseDtype(value, &m_type, &m_bigEndian)) {
                *error = QStringLiteral("%1: unsupported dtype '%2'").arg(m_path, m_typeName);
                return false;
            }
        } else if (key == "fortran_order") {
            haveOrder = true;
            if (quoted[i] || (value != "True" && value != "False")) {
                *error = QStringLiteral("%1: 'fortran_order' is neither True nor False in the .npy header").arg(m_path);
                return false;
            }
            m_fortran = value == "True";
        } else if (key == "shape") {
            haveShape = parseShape(value, &m_shape);
            if (!haveShape) {
                *error = QStringLiteral("%1: malformed shape %2 in the .npy header").arg(m_path, QString::fromUtf8(value));
                return false;
            }
        } else {
            *error = QStringLiteral("%1: unknown key '%2' in the .npy header").arg(m_path, QString::fromUtf8(key.data(), qsizetype(key.size())));
            return false;
        }
    }
    if (!haveDescr || !haveShape || !haveOrder) {
        *error = QStringLiteral("%1: the .npy header lacks %2")
                     .arg(m_path, !haveDescr ? QStringLiteral("'descr'") : !haveShape ? QStringLiteral("'shape'") : QStringLiteral("'fortran_order'"));
        return false;
    }
    if (m_shape.empty()) {
        *error = QStringLiteral("%1: holds a single scalar, not rows").arg(m_path);
        return false;
    }
    return true;
}

// Fortran order keeps each column contiguous, so a row is scattered over the whole file: load it all, once
// checkShape() and the file's size have shown that `dataBytes` is there and within limits::kMaxFortranBytes.
bool NpyFile::loadFortran(qint64 dataBytes, qint64 available, QString *error)
{
    const qint64 elem = scalarSize(m_type);
    if (dataBytes > available) {
        // Elements [available/elem, total) are missing; row r ends at element r + rows*(cols-1).
        const qint64 have = std::max<qint64>(0, available) / elem;
        const qint64 firstBad = std::max<qint64>(0, have - rows() * (cols() - 1));
        *error = QStringLiteral("%1: record %2: truncated data").arg(m_path).arg(firstBad + 1);
        return false;
    }
    if (dataBytes > limits::kMaxFortranBytes) {
        *error = QStringLiteral("%1: a Fortran-order array of %2 MiB, more than the %3 MiB that can be loaded whole "
                                "(save it in C order: numpy.ascontiguousarray)")
                     .arg(m_path).arg(dataBytes >> 20).arg(limits::kMaxFortranBytes >> 20);
        return false;
    }
    const size_t size = size_t(dataBytes);
    m_fortranData.resize(size);
    if (std::fread(m_fortranData.data(), 1, size, m_file) != size) {
        *error = QStringLiteral("%1: truncated data (the file shrank while being read)").arg(m_path);
        return false;
    }
    // Element (r, a1..ak) sits at r + rows*(a1 + d1*(a2 + d2*(...))); precompute that inner offset for
    // each C-order position within a row.
    const std::vector<qint64> dims(m_shape.begin() + 1, m_shape.end());
    m_fortranIndex.resize(size_t(cols()));
    std::vector<qint64> index(dims.size(), 0);
    for (qint64 c = 0; c < cols(); ++c) {
        qint64 offset = 0;
        for (size_t k = dims.size(); k-- > 0;)
            offset = offset * dims[k] + index[k];
        m_fortranIndex[size_t(c)] = offset;
        for (size_t k = dims.size(); k-- > 0;) { // C-order increment
            if (++index[k] < dims[k])
                break;
            index[k] = 0;
        }
    }
    return true;
}

bool NpyFile::readRowBytes(char *dst, QString *error)
{
    if (m_rowsRead >= rows()) {
        *error = QStringLiteral("%1: read past the last record").arg(m_path);
        return false;
    }
    const size_t elem = size_t(scalarSize(m_type));
    if (!m_fortranIndex.empty()) {
        const qint64 row = m_rowsRead;
        for (size_t c = 0; c < m_fortranIndex.size(); ++c)
            std::memcpy(dst + c * elem, m_fortranData.data() + size_t(row + rows() * m_fortranIndex[c]) * elem, elem);
    } else if (std::fread(dst, 1, rowBytes(), m_file) != rowBytes()) {
        *error = QStringLiteral("%1: record %2: truncated data").arg(m_path).arg(m_rowsRead + 1);
        return false;
    }
    ++m_rowsRead;
    return true;
}

qint64 NpyFile::bytesDone() const
{
    return m_dataOffset + m_rowsRead * qint64(rowBytes());
}

} // namespace custody
