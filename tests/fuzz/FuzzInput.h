#pragma once
// Shared by the libFuzzer targets: parsers that only take a path read each input from one in-memory file.

#include "formats/RecordReader.h"

#include <QString>

#include <cstddef>
#include <cstdint>

namespace custody::fuzz {

// Writes the input to one in-memory file of this process (a memfd, the same for every input) and returns a path
// that opens it (/proc/self/fd/N). Aborts when it cannot, so that a failure there is not mistaken for a finding.
QString writeInput(const char *tag, const uint8_t *data, size_t size);

// Opens `reader` and reads every record, as an ingest would, until the end or the first error.
void drain(RecordReader &reader);

} // namespace custody::fuzz
