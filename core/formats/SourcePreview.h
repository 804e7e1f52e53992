#pragma once

#include "formats/RecordReader.h"

#include <QList>
#include <QStringList>

namespace custody {

// The first records of a source, for the ingest dialog: detected format, every column (id and label
// columns included, so a person can choose them), and the first rows as display strings.
struct SourcePreview
{
    SourceFormat format = SourceFormat::Auto;
    QStringList columns;       // all columns of the source
    QList<QStringList> rows;   // display values, aligned with columns
    QStringList ids;           // record ids as they would be with the given options
    QStringList labels;
    QString error;             // empty when the preview could be read
};

// Reads at most `maxRows` records with `options` (format may be Auto). Cheap: stops after maxRows.
SourcePreview previewSource(const QStringList &paths, const ReaderOptions &options, int maxRows = 50);

} // namespace custody
