#pragma once

#include "formats/RecordReader.h"

#include <QList>
#include <QStringList>

namespace custody {

// The first records of a source, for the ingest dialog: detected format, its feature columns, and the first
// rows as display strings. Columns chosen as id or label in `options` are not features and are left out; to
// list every column a person could choose from, preview with no id or label column set.
struct SourcePreview
{
    SourceFormat format = SourceFormat::Auto;
    QStringList columns;       // feature columns (without the chosen id and label columns)
    QList<QStringList> rows;   // display values, aligned with columns
    QStringList ids;           // record ids as they would be with the given options
    QStringList labels;
    QString error;             // empty when the preview could be read
};

// Reads at most `maxRows` records with `options` (format may be Auto). Cheap: stops after maxRows.
SourcePreview previewSource(const QStringList &paths, const ReaderOptions &options, int maxRows = 50);

} // namespace custody
