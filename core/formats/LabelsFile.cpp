#include "formats/LabelsFile.h"
#include "formats/RegularFile.h"

#include "formats/IdxFile.h"
#include "formats/NpyFile.h"
#include "formats/TextInput.h"
#include "formats/TextValues.h"
#include "formats/Utf8.h"

#include <QFile>

#include <cmath>

namespace custody {

LabelsFile::LabelsFile() = default;
LabelsFile::~LabelsFile() = default;

bool LabelsFile::open(const QString &path, QString *error)
{
    m_path = path;
    QFile probe;
    if (!openRegularFile(&probe, path, error))
        return false;
    const QByteArray head = probe.read(64);
    probe.close();
    const bool gzipped = head.size() >= 2 && uchar(head[0]) == 0x1f && uchar(head[1]) == 0x8b;
    if (NpyFile::hasMagic(head.constData(), size_t(head.size())))
        m_array = std::make_unique<NpyFile>();
    else if (gzipped || IdxFile::hasMagic(reinterpret_cast<const unsigned char *>(head.constData()), size_t(head.size())))
        m_array = std::make_unique<IdxFile>();

    if (m_array) {
        if (!m_array->open(path, error))
            return false;
        if (m_array->cols() != 1) {
            *error = QStringLiteral("%1: labels must be one value per record, the shape is %2").arg(path, m_array->shapeText());
            return false;
        }
        m_count = m_array->rows();
        return true;
    }

    // Text: count (and validate) the lines now so a count mismatch shows before any record is read.
    TextInput counter;
    if (!counter.open(path, error))
        return false;
    std::string_view line;
    while (counter.readLine(&line, error)) {
        ++m_count;
        if (!utf8::isValid(line)) {
            *error = QStringLiteral("%1:%2: invalid UTF-8").arg(path).arg(m_count);
            return false;
        }
    }
    if (!error->isEmpty())
        return false;
    m_text = std::make_unique<TextInput>();
    return m_text->open(path, error);
}

bool LabelsFile::next(std::optional<std::string> *label, QString *error)
{
    error->clear();
    if (m_taken >= m_count)
        return false;
    ++m_taken;
    if (m_text) {
        std::string_view line;
        if (!m_text->readLine(&line, error)) {
            if (error->isEmpty())
                *error = QStringLiteral("%1:%2: the file changed while being read").arg(m_path).arg(m_taken);
            return false;
        }
        if (line.empty())
            label->reset();
        else if (*label)
            (*label)->assign(line);
        else
            label->emplace(line);
        return true;
    }
    if (!m_array->readRow(&m_value, error))
        return false;
    if (std::isnan(m_value[0])) {
        label->reset();
    } else if (!std::isfinite(m_value[0])) {
        *error = QStringLiteral("%1: record %2: label is not a finite number").arg(m_path).arg(m_taken);
        return false;
    } else {
        *label = formatNumber(m_value[0]);
    }
    return true;
}

QString LabelsFile::mismatchMessage(qint64 records, const QString &source, const QString &noun) const
{
    return QStringLiteral("%1: %2 labels for %3 %4 in %5").arg(m_path).arg(m_count).arg(records).arg(noun, source);
}

} // namespace custody
