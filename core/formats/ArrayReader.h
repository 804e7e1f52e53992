#pragma once

#include "formats/ArraySource.h"
#include "formats/ContentCodec.h"
#include "formats/LabelsFile.h"
#include "formats/RecordReader.h"

#include <memory>
#include <vector>

namespace custody {

// Records from the rows of a numeric array (NpyReader, IdxReader). The shape decides the schema:
//   (N,)                          one Number column "f0"
//   (N, D)                        Number columns "f0".."f{D-1}"; the id or label may be one of them, named
//                                 "f3" or just "3", and is then left out of the features
//   uint8 (N, H, W) or (N, H, W, C) with C in {1, 3, 4}: one Image column "image"
// Ids are the 0-based row numbers unless an id column is named; errors name the 1-based record.
class ArrayReader : public RecordReader
{
public:
    ~ArrayReader() override;

    bool open(QString *error) override;
    const Schema &schema() const override { return m_schema; }
    bool next(SourceRecord *record, QString *error) override;
    qint64 progressDone() const override;
    qint64 progressTotal() const override;
    QStringList sourceFiles() const override;

protected:
    explicit ArrayReader(const ReaderOptions &options);
    // Opens m_data and, when the labels come from a file, m_labels.
    virtual bool openSources(QString *error) = 0;
    bool openLabelsFile(const QString &path, QString *error);

    ReaderOptions m_options;
    std::unique_ptr<ArraySource> m_data;
    std::unique_ptr<LabelsFile> m_labels;
    QString m_recordNoun = QStringLiteral("records"); // as in "999 labels for 1000 images in imgs.idx"

private:
    bool resolveColumn(const QString &name, int *index, QString *error) const;
    bool nonFinite(qint64 record, int column, double value, QString *error) const;

    Schema m_schema;
    bool m_image = false;
    int m_idIndex = -1;
    int m_labelIndex = -1;
    std::string m_raw;
    std::vector<double> m_values;
    ContentEncoder m_encoder;
};

} // namespace custody
