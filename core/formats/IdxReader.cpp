#include "formats/IdxReader.h"

#include "formats/IdxFile.h"

namespace custody {

IdxReader::IdxReader(const QStringList &paths, const ReaderOptions &options)
    : ArrayReader(options)
    , m_paths(paths)
{
}

bool IdxReader::openSources(QString *error)
{
    if (m_paths.isEmpty() || m_paths.size() > 2) {
        *error = QStringLiteral("IDX takes an images file and a labels file, got %1 paths").arg(m_paths.size());
        return false;
    }
    QString labelsPath = m_options.labelsFile;
    for (const QString &path : m_paths) {
        auto idx = std::make_unique<IdxFile>();
        if (!idx->open(path, error))
            return false;
        if (idx->shape().size() == 1 && m_paths.size() == 2) {
            if (!labelsPath.isEmpty()) {
                *error = QStringLiteral("%1: two labels files (%2 is one-dimensional too)").arg(labelsPath, path);
                return false;
            }
            labelsPath = path;
        } else if (m_data) {
            *error = QStringLiteral("%1: neither file is a one-dimensional labels file (the other is %2)")
                         .arg(path, m_data->path());
            return false;
        } else {
            m_data = std::move(idx);
        }
    }
    if (!m_data) {
        *error = QStringLiteral("%1: both files are one-dimensional labels; IDX needs an images file").arg(m_paths.join(QStringLiteral(", ")));
        return false;
    }
    if (m_data->shape().size() >= 3)
        m_recordNoun = QStringLiteral("images");
    if (labelsPath.isEmpty() && m_options.labelColumn.isEmpty()) {
        *error = QStringLiteral("%1: IDX needs a labels file, as a second path or a labels option").arg(m_data->path());
        return false;
    }
    return labelsPath.isEmpty() || openLabelsFile(labelsPath, error);
}

} // namespace custody
