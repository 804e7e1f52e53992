#pragma once

#include <cstddef>
#include <cstdint>

namespace custody::limits {

// What the parsers accept at most, whatever a file declares. Every size, count or offset read from a file is
// checked against these (and against the file's real size) with overflow-safe arithmetic before anything is
// allocated, so memory stays bounded on any input. docs/fuzzing.md lists them with the bound they give.

// Text sources (CSV/TSV, JSON Lines, labels files): one line, or one CSV record with its quoted newlines.
constexpr size_t kMaxLineBytes = size_t(16) << 20;
// One CSV/TSV field after unquoting.
constexpr size_t kMaxFieldBytes = size_t(4) << 20;
// Fields in one CSV/TSV row, keys in one JSON Lines object.
constexpr size_t kMaxFields = size_t(1) << 16;
// JSON Lines: a key an object lacks is stored as a null, so the keys missing from the objects read so far stay
// within this many per byte read, beyond the allowance (a sparse file cannot become a much larger dense table).
constexpr int64_t kMaxMissingKeysPerByte = 4;
constexpr int64_t kMissingKeysAllowance = int64_t(1) << 20;
// The rows the text readers buffer to infer column kinds stop here even before kInferenceRows.
constexpr size_t kMaxSampleBytes = size_t(64) << 20;

// Arrays (.npy, IDX): one record (one first-axis slice), its dimensions, and a .npy header.
constexpr int64_t kMaxRowBytes = int64_t(16) << 20;
constexpr size_t kMaxDimensions = 32;
constexpr size_t kMaxNpyHeaderBytes = size_t(1) << 20;
// A Fortran-order .npy is loaded whole (its rows are scattered across the file).
constexpr int64_t kMaxFortranBytes = int64_t(512) << 20;
// Deflate never expands more than about 1032:1, so a gzipped IDX file declaring more data than its size times
// this cannot hold it.
constexpr int64_t kMaxGzipRatio = 1032;

// Images decoded from image folders: QImageReader's allocation limit, each side, and the pixels (so that the
// conversion to RGBA stays within 256 MiB too).
constexpr int kMaxImageAllocationMiB = 256;
constexpr int kMaxImageSide = 1 << 14;
constexpr int64_t kMaxImagePixels = int64_t(1) << 26;
// An image file is read whole before it is decoded (its bytes are what the ingest keeps).
constexpr int64_t kMaxImageFileBytes = int64_t(256) << 20;

} // namespace custody::limits
