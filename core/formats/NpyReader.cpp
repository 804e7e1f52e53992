#include "formats/NpyReader.h"

#include "formats/NpyFile.h"

namespace custody {

NpyReader::NpyReader(const QString &path, const ReaderOptions &options)
    : ArrayReader(options)
    , m_path(path)
{
}

bool NpyReader::openSources(QString *error)
{
    auto npy = std::make_unique<NpyFile>();
    if (!npy->open(m_path, error))
        return false;
    m_data = std::move(npy);
    return m_options.labelsFile.isEmpty() || openLabelsFile(m_options.labelsFile, error);
}

} // namespace custody
