#pragma once

#include "formats/ContentCodec.h"
#include "formats/RecordReader.h"
#include "formats/TextInput.h"
#include "formats/TextValues.h"

#include <array>
#include <memory>
#include <vector>

namespace custody {

class LabelsFile;

// RFC 4180 CSV (or TSV with '\t'): a header row, then one record per row. Quoted fields may hold delimiters,
// "" escapes and newlines. Column kinds are inferred from the first kInferenceRows rows, which are buffered
// and then replayed; after that the file streams block by block and no cell becomes a QString.
// Id and label cells are kept verbatim (a label "01" stays "01"): in a text file they are text.
// Blank lines are skipped; a lone '\r' or a stray quote inside an unquoted field is data.
// Records, fields and the field count are capped (formats/InputLimits.h): memory stays within about
// 2 x limits::kMaxLineBytes for the input plus limits::kMaxSampleBytes for the inference sample.
class CsvReader : public RecordReader
{
public:
    CsvReader(const QString &path, char delimiter, const ReaderOptions &options);
    ~CsvReader() override;

    bool open(QString *error) override;
    const Schema &schema() const override { return m_schema; }
    bool next(SourceRecord *record, QString *error) override;
    qint64 progressDone() const override;
    qint64 progressTotal() const override;
    QStringList sourceFiles() const override;

private:
    struct Field
    {
        const char *data;
        uint32_t size;
        bool quoted;
        bool escaped; // holds "" pairs still to be folded
    };
    struct BufferedRow
    {
        std::string bytes;          // the row's cells back to back
        std::vector<uint32_t> ends; // end offset of each cell in bytes
        qint64 line = 0;
    };
    enum class Parsed { Record, End, Failed };

    Parsed parseRecord(QString *error);
    Parsed readRow(QString *error); // parseRecord + blank-line skipping + field count check
    bool fieldFits(const Field &field, QString *error) const;
    bool buildRecord(const std::string_view *cells, qint64 line, SourceRecord *record, QString *error);
    bool finishLabels(qint64 extraRecords, QString *error);
    QString at(qint64 line) const { return QStringLiteral("%1:%2: ").arg(m_path).arg(line); }

    QString m_path;
    char m_delimiter;
    ReaderOptions m_options;
    TextInput m_in;
    Schema m_schema;
    std::array<bool, 256> m_special{};
    QStringList m_header;
    int m_idIndex = -1;
    int m_labelIndex = -1;
    std::vector<int> m_featureIndex; // header index of each schema column
    std::unique_ptr<LabelsFile> m_labels;

    // The record just parsed: fields point into the input buffer or into m_unescaped.
    std::vector<Field> m_fields;
    std::string m_unescaped;
    std::vector<std::string_view> m_cells;
    qint64 m_recordLine = 0;
    qint64 m_nextLine = 1;

    std::vector<BufferedRow> m_buffered;
    qint64 m_sampleRows = 0; // rows the column kinds were inferred from
    size_t m_replayed = 0;
    qint64 m_rowIndex = 0;
    ContentEncoder m_encoder;
};

} // namespace custody
