#include "ingest/IngestSourcePanel.h"

#include "session/BackgroundJob.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace custody {

namespace {
const QString kSeparator = QStringLiteral("; ");

// Columns people usually mean, tried in order, when a source is first previewed.
const QStringList kIdGuesses = {QStringLiteral("id"), QStringLiteral("record_id"), QStringLiteral("uid"),
                                QStringLiteral("key")};
const QStringList kLabelGuesses = {QStringLiteral("label"), QStringLiteral("class"), QStringLiteral("target"),
                                   QStringLiteral("y"), QStringLiteral("category")};

QString guess(const QStringList &columns, const QStringList &candidates)
{
    for (const QString &candidate : candidates) {
        for (const QString &column : columns) {
            if (column.compare(candidate, Qt::CaseInsensitive) == 0)
                return column;
        }
    }
    return {};
}
} // namespace

IngestSourcePanel::IngestSourcePanel(QWidget *parent)
    : QWidget(parent), m_paths(new QLineEdit), m_labelsFile(new QLineEdit), m_format(new QComboBox),
      m_idColumn(new QComboBox), m_labelColumn(new QComboBox), m_table(new QTableWidget), m_status(new QLabel),
      m_delay(new QTimer(this)), m_previewJob(new BackgroundJob(this))
{
    m_paths->setObjectName(QStringLiteral("ingestPaths"));
    m_paths->setPlaceholderText(tr("A file, several files separated by “;”, or a folder of images"));
    m_labelsFile->setObjectName(QStringLiteral("ingestLabelsFile"));
    m_labelsFile->setPlaceholderText(tr("Optional: one label per record (.npy, .idx, text)"));
    m_format->setObjectName(QStringLiteral("ingestFormat"));
    m_format->addItem(tr("Auto-detect"), int(SourceFormat::Auto));
    for (SourceFormat f : {SourceFormat::Csv, SourceFormat::Tsv, SourceFormat::JsonLines, SourceFormat::Npy,
                           SourceFormat::Idx, SourceFormat::Images})
        m_format->addItem(sourceFormatName(f), int(f));
    m_idColumn->setObjectName(QStringLiteral("ingestIdColumn"));
    m_labelColumn->setObjectName(QStringLiteral("ingestLabelColumn"));
    m_table->setObjectName(QStringLiteral("ingestPreview"));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_status->setObjectName(QStringLiteral("ingestPreviewStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *files = new QPushButton(tr("Files…"));
    files->setObjectName(QStringLiteral("ingestChooseFiles"));
    auto *folder = new QPushButton(tr("Folder…"));
    folder->setObjectName(QStringLiteral("ingestChooseFolder"));
    auto *labels = new QPushButton(tr("Browse…"));
    labels->setObjectName(QStringLiteral("ingestChooseLabelsFile"));
    connect(files, &QPushButton::clicked, this, &IngestSourcePanel::chooseFiles);
    connect(folder, &QPushButton::clicked, this, &IngestSourcePanel::chooseFolder);
    connect(labels, &QPushButton::clicked, this, &IngestSourcePanel::chooseLabelsFile);

    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_paths, 1);
    pathRow->addWidget(files);
    pathRow->addWidget(folder);
    auto *labelsRow = new QHBoxLayout;
    labelsRow->addWidget(m_labelsFile, 1);
    labelsRow->addWidget(labels);
    auto *columnsRow = new QHBoxLayout;
    columnsRow->addWidget(m_idColumn, 1);
    columnsRow->addWidget(new QLabel(tr("Label column:")));
    columnsRow->addWidget(m_labelColumn, 1);

    auto *form = new QFormLayout;
    form->addRow(tr("Source:"), pathRow);
    form->addRow(tr("Labels file:"), labelsRow);
    form->addRow(tr("Format:"), m_format);
    form->addRow(tr("Id column:"), columnsRow);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_status);

    m_delay->setSingleShot(true);
    m_delay->setInterval(kPreviewDelayMs);
    connect(m_delay, &QTimer::timeout, this, &IngestSourcePanel::startPreview);
    connect(m_paths, &QLineEdit::textChanged, this, [this] { schedulePreview(true); });
    connect(m_labelsFile, &QLineEdit::textChanged, this, [this] { schedulePreview(true); });
    connect(m_format, &QComboBox::currentIndexChanged, this, [this] { schedulePreview(true); });
    connect(m_idColumn, &QComboBox::currentIndexChanged, this, [this] { schedulePreview(false); });
    connect(m_labelColumn, &QComboBox::currentIndexChanged, this, [this] { schedulePreview(false); });
    fillColumnChoices({});
    showPreview();
}

QStringList IngestSourcePanel::splitPaths(const QString &text)
{
    QStringList out;
    for (const QString &part : text.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        QString path = part.trimmed();
        if (path.size() >= 2 && path.startsWith(QLatin1Char('"')) && path.endsWith(QLatin1Char('"')))
            path = path.mid(1, path.size() - 2);
        if (!path.isEmpty())
            out.append(path);
    }
    return out;
}

QString IngestSourcePanel::joinPaths(const QStringList &paths)
{
    return paths.join(kSeparator);
}

void IngestSourcePanel::setPaths(const QStringList &paths)
{
    m_paths->setText(joinPaths(paths));
}

QStringList IngestSourcePanel::paths() const
{
    return splitPaths(m_paths->text());
}

ReaderOptions IngestSourcePanel::readerOptions() const
{
    ReaderOptions options;
    options.format = SourceFormat(m_format->currentData().toInt());
    options.idColumn = m_idColumn->currentData().toString();
    options.labelColumn = m_labelColumn->currentData().toString();
    options.labelsFile = m_labelsFile->text().trimmed();
    return options;
}

QString IngestSourcePanel::problem() const
{
    const QStringList list = paths();
    if (list.isEmpty())
        return tr("Choose the file, files or folder to ingest.");
    for (const QString &path : list) {
        if (!QFileInfo::exists(path))
            return tr("%1: no such file or folder").arg(path);
    }
    const QString labels = m_labelsFile->text().trimmed();
    if (!labels.isEmpty() && !QFileInfo(labels).isFile())
        return tr("%1: no such labels file").arg(labels);
    if (m_previewJob->isRunning() || m_delay->isActive())
        return tr("The source is still being read; try again in a moment.");
    if (!m_preview.error.isEmpty())
        return m_preview.error;
    return {};
}

void IngestSourcePanel::schedulePreview(bool sourceChanged)
{
    m_pendingSourceChange = m_pendingSourceChange || sourceChanged;
    m_delay->start();
    m_status->setText(tr("Reading the first records…"));
}

void IngestSourcePanel::startPreview()
{
    const QStringList list = paths();
    ReaderOptions options = readerOptions();
    const bool sourceChanged = m_pendingSourceChange;
    m_pendingSourceChange = false;
    if (sourceChanged) {
        // The chosen columns may not exist in the new source: learn its columns first.
        options.idColumn.clear();
        options.labelColumn.clear();
    }
    if (list.isEmpty()) {
        m_previewJob->abandon();
        m_preview = SourcePreview();
        fillColumnChoices({});
        showPreview();
        Q_EMIT previewUpdated();
        return;
    }
    // A newer request supersedes this one: its result is then dropped.
    m_previewJob->start(
        [list, options, sourceChanged](const BackgroundJob::Context &) {
            return Result{sourceChanged, previewSource(list, options, kPreviewRows)};
        },
        [this](const Result &result) { onPreviewFinished(result); });
}

bool IngestSourcePanel::isPreviewing() const
{
    return m_previewJob->isRunning();
}

void IngestSourcePanel::onPreviewFinished(const Result &result)
{
    m_preview = result.preview;
    if (result.sourceChanged) {
        fillColumnChoices(m_preview.error.isEmpty() ? m_preview.columns : QStringList());
        const ReaderOptions chosen = readerOptions();
        if (m_preview.error.isEmpty() && (!chosen.idColumn.isEmpty() || !chosen.labelColumn.isEmpty())) {
            // That preview used the default id and label; show the records as the chosen columns make them.
            m_delay->stop();
            m_pendingSourceChange = false;
            startPreview();
            return;
        }
    }
    const int detected = m_format->findData(int(m_preview.format));
    m_format->setItemText(0, detected > 0 && m_preview.error.isEmpty()
                                 ? tr("Auto-detect (%1)").arg(m_format->itemText(detected))
                                 : tr("Auto-detect"));
    showPreview();
    Q_EMIT previewUpdated();
}

void IngestSourcePanel::fillColumnChoices(const QStringList &columns)
{
    if (columns == m_columns && m_idColumn->count() > 0)
        return;
    const QString id = m_idColumn->currentData().toString();
    const QString label = m_labelColumn->currentData().toString();
    const bool images = SourceFormat(m_format->currentData().toInt()) == SourceFormat::Images
                        || m_preview.format == SourceFormat::Images;
    QSignalBlocker blockId(m_idColumn), blockLabel(m_labelColumn);
    m_idColumn->clear();
    m_labelColumn->clear();
    m_idColumn->addItem(images ? tr("(file name)") : tr("(row number)"), QString());
    m_labelColumn->addItem(images ? tr("(from folders)") : tr("(none)"), QString());
    for (const QString &c : columns) {
        m_idColumn->addItem(c, c);
        m_labelColumn->addItem(c, c);
    }
    const QString idChoice = columns.contains(id) ? id : guess(columns, kIdGuesses);
    const QString labelChoice = columns.contains(label) ? label : guess(columns, kLabelGuesses);
    m_idColumn->setCurrentIndex(qMax(0, m_idColumn->findData(idChoice)));
    m_labelColumn->setCurrentIndex(qMax(0, m_labelColumn->findData(labelChoice)));
    m_columns = columns;
}

void IngestSourcePanel::showPreview()
{
    m_table->clear();
    if (!m_preview.error.isEmpty() || m_preview.columns.isEmpty()) {
        m_table->setRowCount(0);
        m_table->setColumnCount(0);
        m_status->setText(m_preview.error.isEmpty() ? (paths().isEmpty() ? tr("No source chosen yet.") : QString())
                                                    : m_preview.error);
        return;
    }
    const QString id = m_idColumn->currentData().toString();
    const QString label = m_labelColumn->currentData().toString();
    QStringList headers = {tr("→ Id"), tr("→ Label")};
    for (const QString &c : m_preview.columns) {
        if (c == id)
            headers.append(tr("%1 [id]").arg(c));
        else if (c == label)
            headers.append(tr("%1 [label]").arg(c));
        else
            headers.append(c);
    }
    m_table->setColumnCount(int(headers.size()));
    m_table->setRowCount(int(m_preview.rows.size()));
    m_table->setHorizontalHeaderLabels(headers);
    for (int r = 0; r < m_preview.rows.size(); ++r) {
        auto *idItem = new QTableWidgetItem(m_preview.ids.value(r));
        auto *labelItem = new QTableWidgetItem(m_preview.labels.value(r));
        QFont bold = idItem->font();
        bold.setBold(true);
        idItem->setFont(bold);
        labelItem->setFont(bold);
        m_table->setItem(r, 0, idItem);
        m_table->setItem(r, 1, labelItem);
        const QStringList &row = m_preview.rows.at(r);
        for (int c = 0; c < row.size() && c + 2 < headers.size(); ++c)
            m_table->setItem(r, c + 2, new QTableWidgetItem(row.at(c)));
    }
    m_table->resizeColumnsToContents();
    for (int c = 0; c < m_table->columnCount(); ++c)
        m_table->setColumnWidth(c, qMin(m_table->columnWidth(c), 220));
    m_status->setText(tr("%1 · %2 columns · showing the first %3 records")
                          .arg(sourceFormatName(m_preview.format))
                          .arg(m_preview.columns.size())
                          .arg(m_preview.rows.size()));
}

void IngestSourcePanel::chooseFiles()
{
    auto *dialog = new QFileDialog(this, tr("Choose the files to ingest"));
    dialog->setObjectName(QStringLiteral("ingestFilesDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFiles);
    dialog->setNameFilters({tr("Datasets (*.csv *.tsv *.jsonl *.ndjson *.npy *.idx *-ubyte *.gz)"), tr("All files (*)")});
    connect(dialog, &QFileDialog::filesSelected, this, [this](const QStringList &files) { setPaths(files); });
    dialog->open();
}

void IngestSourcePanel::chooseFolder()
{
    auto *dialog = new QFileDialog(this, tr("Choose a folder of images (one sub-folder per label)"));
    dialog->setObjectName(QStringLiteral("ingestFolderDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::Directory);
    dialog->setOption(QFileDialog::ShowDirsOnly);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &dir) { setPaths({dir}); });
    dialog->open();
}

void IngestSourcePanel::chooseLabelsFile()
{
    auto *dialog = new QFileDialog(this, tr("Choose a labels file"));
    dialog->setObjectName(QStringLiteral("ingestLabelsDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    connect(dialog, &QFileDialog::fileSelected, m_labelsFile, &QLineEdit::setText);
    dialog->open();
}

} // namespace custody
