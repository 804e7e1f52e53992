#pragma once

#include "formats/RecordReader.h"

namespace custody {

// detectFormat() and createReader() are declared in RecordReader.h; this names the sniffing step on its own
// for callers that already know the paths are files.
SourceFormat sniffFormat(const QString &path);

} // namespace custody
