#pragma once

#include "formats/Schema.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <string>

namespace custody {

enum class SourceFormat { Auto, Csv, Tsv, JsonLines, Npy, Idx, Images };

QString sourceFormatName(SourceFormat format);
bool sourceFormatFromName(const QString &name, SourceFormat *format);

// Choices a person makes about how a source becomes records (the CLI flags of `ingest`).
struct ReaderOptions
{
    SourceFormat format = SourceFormat::Auto;
    QString idColumn;    // empty: file stem for images, else the row number
    QString labelColumn; // empty: no label column (labels may come from labelsFile or image folders)
    QString labelsFile;  // npy / idx / text file with one label per record, aligned by row
};

// One record as read from a source, before it is stored.
struct SourceRecord
{
    std::string id;                   // UTF-8
    std::optional<std::string> label; // UTF-8; nullopt when the source has no label for it
    std::string content;              // canonical encoding of the features (ContentEncoder)
    std::string originalFile;         // image folders: absolute path of the file the record came from
    std::string originalBytes;        // image folders: the bytes that were decoded (what the ingest must keep)
    qint64 position = 0;              // 1-based line (text formats) or record number, for messages
};

// Streams records out of one or more source files. Memory stays bounded by one record plus buffers.
// Errors are one line naming the file and the line or record: "data.csv:17: unterminated quoted field".
class RecordReader
{
public:
    virtual ~RecordReader() = default;

    // Reads headers, infers the schema. False with *error set when the source cannot be read.
    virtual bool open(QString *error) = 0;
    virtual const Schema &schema() const = 0;
    // Fills `record` with the next record. Returns false at the end (error left empty) or on failure
    // (error set); after a failure the reader must not be used again.
    virtual bool next(SourceRecord *record, QString *error) = 0;

    // Progress over the whole source, in bytes (or records when bytes are unknown).
    virtual qint64 progressDone() const = 0;
    virtual qint64 progressTotal() const = 0;

    // Every original file this reader consumed (data, labels), to be kept in the object store. Image
    // folders list each image here as well; records point at theirs through SourceRecord::originalFile.
    virtual QStringList sourceFiles() const = 0;
    // What the source held that the reader left out, and why: one sentence per kind, with a count and a few
    // names (image folders skip hidden files, files at the top level, deeper folders, other files and names
    // that are not UTF-8). A person must be told; empty when nothing was left out.
    virtual QStringList skipped() const { return {}; }
};

// Guesses a format from file names and, when ambiguous, the first bytes. Auto when it cannot tell.
SourceFormat detectFormat(const QStringList &paths);

// Builds the reader for `paths` (after detection when options.format is Auto). Null with *error set when
// the format is unknown or the paths do not fit it (for example IDX without a labels file).
std::unique_ptr<RecordReader> createReader(const QStringList &paths, const ReaderOptions &options,
                                           QString *error);

} // namespace custody
