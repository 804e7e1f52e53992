#include "formats/SourcePreview.h"

#include "formats/ContentDisplay.h"

namespace custody {

SourcePreview previewSource(const QStringList &paths, const ReaderOptions &options, int maxRows)
{
    SourcePreview preview;
    preview.format = options.format == SourceFormat::Auto ? detectFormat(paths) : options.format;
    ReaderOptions opts = options;
    opts.format = preview.format;
    std::unique_ptr<RecordReader> reader = createReader(paths, opts, &preview.error);
    if (!reader || !reader->open(&preview.error))
        return preview;
    // Id and label columns are not features; a preview shows every column so a person can pick them.
    const Schema &schema = reader->schema();
    for (const Column &c : schema.columns)
        preview.columns.append(c.name);
    SourceRecord rec;
    for (int i = 0; i < maxRows && reader->next(&rec, &preview.error); ++i) {
        preview.rows.append(displayValues(schema, rec.content));
        preview.ids.append(QString::fromStdString(rec.id));
        preview.labels.append(rec.label ? QString::fromStdString(*rec.label) : QString());
    }
    return preview;
}

} // namespace custody
