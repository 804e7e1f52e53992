#pragma once

#include <QString>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace custody {

class ArraySource;
class TextInput;

// Labels kept apart from the features, one per record and aligned by row: a 1-D numeric .npy, a 1-D IDX
// labels file (plain or gzipped), or a UTF-8 text file with one label per line. The kind is told from the
// first bytes, not the name. Numbers become labels in their shortest round-trip form ("3", "0.5"); an empty
// line or a NaN is a record without a label.
class LabelsFile
{
public:
    LabelsFile();
    ~LabelsFile();

    bool open(const QString &path, QString *error);
    const QString &path() const { return m_path; }
    // Known once open() succeeds (text files are counted in a quick first pass).
    qint64 count() const { return m_count; }
    qint64 taken() const { return m_taken; }

    // The next label. False at the end (error left empty) or on failure (error set).
    bool next(std::optional<std::string> *label, QString *error);

    // "labels.txt: 999 labels for 1000 records in data.csv"
    QString mismatchMessage(qint64 records, const QString &source, const QString &noun = QStringLiteral("records")) const;

private:
    QString m_path;
    qint64 m_count = 0;
    qint64 m_taken = 0;
    std::unique_ptr<ArraySource> m_array;
    std::unique_ptr<TextInput> m_text;
    std::vector<double> m_value;
};

} // namespace custody
