#pragma once

#include "formats/Schema.h"
#include "hashing/Sha256.h"

#include <QString>
#include <QStringList>

#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

namespace custody {

class Workspace;
struct DatasetVersion;

// One dataset version decoded once into column arrays, the form every drift statistic reads. Numbers are
// kept as float (NaN for a missing or non-finite value), categories as codes into a per-column dictionary,
// images as one byte per pixel and channel (each is a numeric feature), text as the strings themselves. Built by load() from a workspace, or
// directly in memory (benchmarks, tests, a distributed engine's shard).
struct DriftSample
{
    struct Column
    {
        QString name;
        ColumnKind kind = ColumnKind::Number;
        std::vector<float> numbers;    // Number: one per row
        std::vector<int32_t> codes;    // Category: one per row, -1 when missing
        QStringList categories;        // Category: the dictionary
        std::vector<uint8_t> pixels;   // Image: rows x pixelCount(); a row without a valid image is zeros
        std::vector<uint8_t> imageValid; // Image: 1 when the row has an image of the column's geometry
        QStringList texts;             // Text: one per row, a null QString when missing
        int width = 0, height = 0, channels = 0;
        int64_t missing = 0;   // null values (and images of the wrong geometry)
        int64_t nonFinite = 0; // numbers that were NaN or infinite (the codec refuses them; counted anyway)

        int pixelCount() const { return width * height * channels; }
    };

    QString version; // NAME@LABEL
    Schema schema;
    QStringList ids;             // by row
    std::vector<int32_t> labels; // by row: index into labelNames, -1 when unlabelled
    QStringList labelNames;
    std::vector<Digest> contentHashes; // by row; may be empty for in-memory samples
    std::vector<Column> columns;       // schema order
    int embeddingDims = 0;
    std::vector<float> embeddings;       // rows x embeddingDims (zeros where hasEmbedding is 0)
    std::vector<uint8_t> hasEmbedding;   // by row
    int64_t malformedRecords = 0;        // contents that did not decode to the schema

    int64_t rows() const { return int64_t(ids.size()); }
    int columnIndex(const QString &name) const;
    // Adds a label by name, returning its code.
    int32_t labelCode(const QString &name);

    using ProgressFn = std::function<void(qint64 done, qint64 total)>;
    // Reads every record (contents, labels, hashes, embeddings) of `version`. Meant for a worker thread with
    // its own Workspace.
    static bool load(Workspace &workspace, const DatasetVersion &version, DriftSample *sample, QString *error,
                     const ProgressFn &progress = {}, const std::atomic_bool *cancel = nullptr);
};

} // namespace custody
