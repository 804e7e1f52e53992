#pragma once
// Shared by the libFuzzer targets: parsers that only take a path read each input from one fixed temporary file.

#include "formats/RecordReader.h"

#include <QString>

#include <cstddef>
#include <cstdint>

namespace custody::fuzz {

// Writes the input to /tmp/custody-fuzz-<tag>-<pid> (the same file for every input of this process) and returns
// its path. Aborts when the file cannot be written, so that a full disk is not mistaken for a finding.
QString writeInput(const char *tag, const uint8_t *data, size_t size);

// Opens `reader` and reads every record, as an ingest would, until the end or the first error.
void drain(RecordReader &reader);

} // namespace custody::fuzz
