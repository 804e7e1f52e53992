#pragma once

#include "formats/ArrayReader.h"

#include <QStringList>

namespace custody {

// Records from an IDX images (or vectors) file plus its 1-D labels file, the MNIST layout. The labels file is
// either the second path or ReaderOptions::labelsFile; the two paths may come in any order since they are
// told apart by their number of dimensions.
class IdxReader : public ArrayReader
{
public:
    IdxReader(const QStringList &paths, const ReaderOptions &options);

protected:
    bool openSources(QString *error) override;

private:
    QStringList m_paths;
};

} // namespace custody
