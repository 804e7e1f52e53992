#pragma once

#include "formats/ArrayReader.h"

namespace custody {

// Records from the rows of one .npy file (see ArrayReader for the shapes it accepts); labels may come from
// ReaderOptions::labelsFile or a named column.
class NpyReader : public ArrayReader
{
public:
    NpyReader(const QString &path, const ReaderOptions &options);

protected:
    bool openSources(QString *error) override;

private:
    QString m_path;
};

} // namespace custody
