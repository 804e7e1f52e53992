#pragma once

#include "formats/SourcePreview.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;
class QTimer;

namespace custody {

class BackgroundJob;

// The "what to read" half of the ingest dialog: files or a folder, the detected format (overridable), the id
// and label columns, and a preview of the first records as they would be stored. The preview is read on a
// worker thread; a newer request supersedes an older one.
class IngestSourcePanel : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kPreviewRows = 50;
    static constexpr int kPreviewDelayMs = 250;

    explicit IngestSourcePanel(QWidget *parent = nullptr);

    void setPaths(const QStringList &paths);
    QStringList paths() const;
    ReaderOptions readerOptions() const;
    const SourcePreview &preview() const { return m_preview; }
    bool isPreviewing() const;
    // Why the source cannot be ingested as chosen (empty when it can).
    QString problem() const;

    static QStringList splitPaths(const QString &text);
    static QString joinPaths(const QStringList &paths);

Q_SIGNALS:
    void previewUpdated();

private:
    struct Result
    {
        bool sourceChanged = false;
        SourcePreview preview;
    };

    void schedulePreview(bool sourceChanged);
    void startPreview();
    void onPreviewFinished(const Result &result);
    void fillColumnChoices(const QStringList &columns);
    void showPreview();
    void chooseFiles();
    void chooseFolder();
    void chooseLabelsFile();

    QLineEdit *m_paths;
    QLineEdit *m_labelsFile;
    QComboBox *m_format;
    QComboBox *m_idColumn;
    QComboBox *m_labelColumn;
    QTableWidget *m_table;
    QLabel *m_status;
    QTimer *m_delay;
    BackgroundJob *m_previewJob;
    bool m_pendingSourceChange = false;
    SourcePreview m_preview;
    QStringList m_columns; // of the last readable preview
};

} // namespace custody
