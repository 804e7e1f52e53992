#pragma once

#include "formats/ContentCodec.h"
#include "formats/RecordReader.h"
#include "formats/TextInput.h"

#include <QHash>
#include <QJsonObject>

#include <memory>
#include <vector>

namespace custody {

class LabelsFile;

// JSON Lines: one object per line, blank lines skipped. The schema comes from the first kInferenceRows
// objects: their keys in order of first appearance, numbers -> Number, strings and booleans -> Category or
// Text, arrays and objects -> Text (compact JSON). Later objects may omit keys (null) but not add new ones.
// Lines, keys per object and the sample are capped (formats/InputLimits.h).
class JsonLinesReader : public RecordReader
{
public:
    JsonLinesReader(const QString &path, const ReaderOptions &options);
    ~JsonLinesReader() override;

    bool open(QString *error) override;
    const Schema &schema() const override { return m_schema; }
    bool next(SourceRecord *record, QString *error) override;
    qint64 progressDone() const override { return m_in.bytesDone(); }
    qint64 progressTotal() const override { return m_in.fileSize(); }
    QStringList sourceFiles() const override;

private:
    struct Buffered
    {
        QJsonObject object;
        qint64 line;
    };
    enum class Read { Object, End, Failed };

    // `raw` (optional) receives the line, valid until the next read.
    Read readObject(QJsonObject *object, std::string_view *raw, QString *error);
    bool buildRecord(const QJsonObject &object, qint64 line, SourceRecord *record, QString *error);
    bool finishLabels(qint64 extraRecords, QString *error);
    QString at(qint64 line) const { return QStringLiteral("%1:%2: ").arg(m_path).arg(line); }

    QString m_path;
    ReaderOptions m_options;
    TextInput m_in;
    Schema m_schema;
    QHash<QString, int> m_known; // schema columns plus the id and label keys
    std::unique_ptr<LabelsFile> m_labels;
    qint64 m_line = 0;       // physical line of the last line read
    qint64 m_objectLine = 0; // line of the object just read
    std::vector<Buffered> m_buffered;
    qint64 m_sampleRows = 0; // objects the schema was inferred from
    size_t m_replayed = 0;
    qint64 m_rowIndex = 0;
    ContentEncoder m_encoder;
    // Keys a record lacks are stored as nulls: bounded against the bytes read so far (see buildRecord).
    int64_t m_bytesRead = 0;
    int64_t m_missingCells = 0;
};

} // namespace custody
