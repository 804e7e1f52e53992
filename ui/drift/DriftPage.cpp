#include "drift/DriftPage.h"

#include "drift/DriftChartExport.h"
#include "drift/DriftClassHeatMap.h"
#include "drift/DriftFeatureModel.h"
#include "drift/DriftHistogramChart.h"
#include "drift/DriftRecorder.h"
#include "drift/DriftTextView.h"
#include "drift/DriftTimelineChart.h"
#include "drift/DriftTimelineRun.h"
#include "drift/DriftVerdict.h"
#include "session/BackgroundJob.h"
#include "session/WorkspaceSession.h"
#include "analysis/DriftEngine.h"
#include "analysis/DriftRecordQuery.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QScrollArea>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <limits>

#include <algorithm>

namespace custody {

DriftPage::DriftPage(WorkspaceSession *session, Identity *identity, QWidget *parent)
    : Page(parent), m_session(session), m_recorder(new DriftRecorder(session, identity, this)), m_baseline(new QComboBox),
      m_batch(new QComboBox), m_run(new QPushButton(tr("Run"))), m_cancel(new QPushButton(tr("Cancel"))),
      m_progressBar(new QProgressBar), m_status(new QLabel), m_verdict(new QLabel), m_search(new QLineEdit),
      m_model(new DriftFeatureModel(this)), m_proxy(new QSortFilterProxyModel(this)), m_table(new QTableView),
      m_views(new QTabWidget), m_featureChart(new DriftHistogramChart), m_labelChart(new DriftHistogramChart),
      m_heatMap(new DriftClassHeatMap), m_imageMapClass(new QComboBox), m_imageMap(new DriftImageMap),
      m_recordsTitle(new QLabel), m_records(new QListWidget),
      m_timeline(new DriftTimelineChart), m_textView(new DriftTextView), m_timelineButton(new QPushButton(tr("Timeline of the selected feature"))), m_job(new BackgroundJob(this))
{
    setObjectName(QStringLiteral("driftPage"));
    m_baseline->setObjectName(QStringLiteral("driftBaseline"));
    m_batch->setObjectName(QStringLiteral("driftBatch"));
    m_baseline->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_batch->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_run->setObjectName(QStringLiteral("driftRunButton"));
    m_cancel->setObjectName(QStringLiteral("driftCancelButton"));
    m_progressBar->setObjectName(QStringLiteral("driftProgress"));
    m_progressBar->setMaximumWidth(220);
    m_progressBar->setVisible(false);
    m_status->setObjectName(QStringLiteral("driftStatus"));
    m_verdict->setObjectName(QStringLiteral("driftVerdict"));
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse
                                       | Qt::LinksAccessibleByKeyboard);
    connect(m_verdict, &QLabel::linkActivated, this, &DriftPage::recordRun);
    connect(m_recorder, &DriftRecorder::recorded, this, [this](std::shared_ptr<const DriftReport> report, qint64 seq) {
        if (report != m_report)
            return; // a later run replaced it on screen; its event is in the ledger all the same
        m_recordedEvent = seq;
        showReport();
        Q_EMIT runRecorded(seq);
    });
    connect(m_recorder, &DriftRecorder::failed, this, [this](const QString &message) {
        showReport();
        Q_EMIT errorOccurred(message);
    });
    m_verdict->setWordWrap(true);
    m_search->setObjectName(QStringLiteral("driftSearch"));
    m_search->setPlaceholderText(tr("Filter features by name"));
    m_search->setClearButtonEnabled(true);

    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(DriftFeatureModel::Name);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_table->setObjectName(QStringLiteral("driftFeatureTable"));
    m_table->setModel(m_proxy);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(DriftFeatureModel::Name, 160);

    connect(m_search, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_run, &QPushButton::clicked, this, &DriftPage::run);
    connect(m_cancel, &QPushButton::clicked, this, &DriftPage::cancel);
    connect(m_baseline, &QComboBox::currentIndexChanged, this, &DriftPage::updateEnabled);
    connect(m_batch, &QComboBox::currentIndexChanged, this, &DriftPage::updateEnabled);
    connect(m_job, &BackgroundJob::progressed, this, [this](const QString &phase, qint64 done, qint64 total) {
        m_status->setText(BackgroundJob::describe(phase, done, total));
        m_progressBar->setRange(0, total > 0 ? 1000 : 0);
        if (total > 0)
            m_progressBar->setValue(int(qBound(qint64(0), done * 1000 / total, qint64(1000))));
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this] {
                updateEnabled();
                showFeature(selectedFeature());
                Q_EMIT featureSelected(selectedFeature());
            });
    connect(m_session, &WorkspaceSession::versionsChanged, this, &DriftPage::fillVersionCombos);
    connect(m_session, &WorkspaceSession::closed, this, &DriftPage::fillVersionCombos);

    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Baseline")));
    top->addWidget(m_baseline);
    top->addWidget(new QLabel(tr("Batch")));
    top->addWidget(m_batch);
    top->addWidget(m_run);
    top->addWidget(m_cancel);
    top->addWidget(m_progressBar);
    top->addWidget(m_status);
    top->addStretch(1);

    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_search);
    leftLayout->addWidget(m_table, 1);

    m_split = new QSplitter(Qt::Horizontal);
    m_split->setObjectName(QStringLiteral("driftSplitter"));
    m_split->addWidget(left);
    m_views->setObjectName(QStringLiteral("driftViews"));
    m_featureChart->setObjectName(QStringLiteral("driftFeatureChart"));
    m_labelChart->setObjectName(QStringLiteral("driftLabelChart"));
    m_views->addTab(m_featureChart, tr("Feature"));
    m_views->addTab(m_labelChart, tr("Labels"));
    m_heatMap->setObjectName(QStringLiteral("driftHeatMap"));
    auto *heatScroll = new QScrollArea;
    heatScroll->setObjectName(QStringLiteral("driftHeatMapArea"));
    heatScroll->setWidget(m_heatMap);
    heatScroll->setWidgetResizable(true);
    m_views->addTab(heatScroll, tr("By class"));
    m_imageMapClass->setObjectName(QStringLiteral("driftImageMapClass"));
    m_imageMapClass->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_imageMap->setObjectName(QStringLiteral("driftImageMap"));
    auto *imagePane = new QWidget;
    auto *imageLayout = new QVBoxLayout(imagePane);
    auto *imageTop = new QHBoxLayout;
    imageTop->addWidget(new QLabel(tr("Class")));
    imageTop->addWidget(m_imageMapClass);
    imageTop->addStretch(1);
    imageLayout->addLayout(imageTop);
    imageLayout->addWidget(m_imageMap, 1);
    m_views->addTab(imagePane, tr("Image map"));
    m_timeline->setObjectName(QStringLiteral("driftTimeline"));
    m_timelineButton->setObjectName(QStringLiteral("driftTimelineButton"));
    auto *timelinePane = new QWidget;
    auto *timelineLayout = new QVBoxLayout(timelinePane);
    auto *timelineTop = new QHBoxLayout;
    timelineTop->addWidget(m_timelineButton);
    timelineTop->addStretch(1);
    timelineLayout->addLayout(timelineTop);
    timelineLayout->addWidget(m_timeline, 1);
    m_views->addTab(timelinePane, tr("Timeline"));
    m_views->addTab(m_textView, tr("Text"));
    connect(m_textView, &DriftTextView::recordsChosen, this, [this](const QStringList &ids, const QString &what) {
        m_records->clear();
        m_records->addItems(ids);
        m_recordsTitle->setText(what);
    });
    connect(m_textView, &DriftTextView::featureChosen, this, [this](const QString &name) {
        if (m_report && m_report->featureIndex(name) >= 0) {
            selectFeature(m_report->featureIndex(name));
            m_views->setCurrentIndex(0);
        }
    });
    connect(m_timelineButton, &QPushButton::clicked, this, [this] { runTimeline(); });

    m_recordsTitle->setObjectName(QStringLiteral("driftRecordsTitle"));
    m_recordsTitle->setText(tr("Select a bin, a cell or a pixel to list the batch records behind it."));
    m_records->setObjectName(QStringLiteral("driftRecords"));
    m_records->setUniformItemSizes(true);
    auto *right = new QSplitter(Qt::Vertical);
    right->addWidget(m_views);
    auto *recordsPane = new QWidget;
    auto *recordsLayout = new QVBoxLayout(recordsPane);
    recordsLayout->setContentsMargins(0, 0, 0, 0);
    recordsLayout->addWidget(m_recordsTitle);
    recordsLayout->addWidget(m_records, 1);
    right->addWidget(recordsPane);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 1);
    right->setChildrenCollapsible(false);
    m_split->addWidget(right);

    auto *exportPng = new QPushButton(tr("Export PNG…"));
    exportPng->setObjectName(QStringLiteral("driftExportPng"));
    auto *exportSvg = new QPushButton(tr("Export SVG…"));
    exportSvg->setObjectName(QStringLiteral("driftExportSvg"));
    auto *corner = new QWidget;
    auto *cornerLayout = new QHBoxLayout(corner);
    cornerLayout->setContentsMargins(0, 0, 0, 0);
    cornerLayout->addWidget(exportPng);
    cornerLayout->addWidget(exportSvg);
    m_views->setCornerWidget(corner);
    connect(exportPng, &QPushButton::clicked, this, [this] { chooseExportFile(QStringLiteral("png")); });
    connect(exportSvg, &QPushButton::clicked, this, [this] { chooseExportFile(QStringLiteral("svg")); });

    connect(m_featureChart, &DriftHistogramChart::binSelected, this, [this](int bin) {
        const int feature = selectedFeature();
        if (!m_report || feature < 0)
            return;
        const FeatureDrift &f = m_report->features[size_t(feature)];
        listRecords(DriftRecordQuery(*m_report).batchRowsInBin(feature, bin),
                    tr("%1 in %2").arg(f.name, m_featureChart->binRange(bin)));
    });
    connect(m_heatMap, &DriftClassHeatMap::cellSelected, this, [this](int feature, const QString &label) {
        if (!m_report)
            return;
        listRecords(DriftRecordQuery(*m_report).batchRowsOfClassInTopBins(feature, label),
                    tr("%1, class %2, where the class moved most").arg(m_report->features[size_t(feature)].name, label));
    });
    connect(m_imageMapClass, &QComboBox::currentIndexChanged, this, &DriftPage::showClassMapAt);
    connect(m_imageMap, &DriftImageMap::pixelSelected, this, [this](int pixel) {
        const int index = m_imageMapClass->currentData().toInt();
        if (!m_report || index < 0 || index >= int(m_report->classMaps.size()))
            return;
        const ClassImageMap &m = m_report->classMaps[size_t(index)];
        // The pixel's first channel that was tested.
        int feature = -1;
        for (int c = 0; c < std::max(1, m.channels) && feature < 0; ++c) {
            const size_t at = size_t(pixel) * size_t(std::max(1, m.channels)) + size_t(c);
            if (at < m.features.size())
                feature = m.features[at];
        }
        if (feature < 0) {
            listRecords({}, tr("pixel (%1, %2) was not tested").arg(pixel % std::max(1, m.width)).arg(pixel / std::max(1, m.width)));
            return;
        }
        listRecords(DriftRecordQuery(*m_report).batchRowsOfClassInTopBins(feature, m.label),
                    tr("%1, class %2, where the class moved most").arg(m_report->features[size_t(feature)].name, m.label));
    });
    m_split->setStretchFactor(0, 2);
    m_split->setStretchFactor(1, 3);
    m_split->setSizes({540, 740});
    m_split->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(top);
    layout->addWidget(m_verdict);
    layout->addWidget(m_split, 1);
    fillVersionCombos();
}

DriftPage::~DriftPage() = default; // the job is cancelled; a worker still running no longer reports here

bool DriftPage::isRunning() const
{
    return m_job->isRunning();
}

qint64 DriftPage::baselineId() const
{
    return m_baseline->currentData().toLongLong();
}

qint64 DriftPage::batchId() const
{
    return m_batch->currentData().toLongLong();
}

int DriftPage::selectedFeature() const
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    return current.isValid() ? current.data(DriftFeatureModel::FeatureRole).toInt() : -1;
}

QIcon DriftPage::icon() const
{
    return QIcon::fromTheme(QStringLiteral("office-chart-bar"), style()->standardIcon(QStyle::SP_FileDialogContentsView));
}

void DriftPage::activate(const PageRequest &request)
{
    if (m_session->versions().size() < 2 || m_report || isRunning())
        return;
    chooseWithParent(request.versionId ? request.versionId : m_session->versions().constLast().id);
}

void DriftPage::fillVersionCombos()
{
    const qint64 a = baselineId(), b = batchId();
    const QLocale locale;
    for (QComboBox *combo : {m_baseline, m_batch}) {
        QSignalBlocker block(combo);
        combo->clear();
        for (const DatasetVersion &v : m_session->versions())
            combo->addItem(tr("%1  (%2 records)").arg(v.ref.toString(), locale.toString(v.recordCount)), v.id);
    }
    choose(a, b);
    if (!m_session->isOpen()) {
        cancel();
        m_report.reset();
        m_model->setReport(nullptr);
        m_verdict->clear();
        m_featureChart->clear();
        m_labelChart->clear();
        m_heatMap->setReport(nullptr);
        m_textView->setReport(nullptr);
        m_imageMapClass->clear();
        m_imageMap->clear();
        m_records->clear();
    }
    updateEnabled();
}

void DriftPage::chooseWithParent(qint64 versionId)
{
    if (!m_session->findVersion(versionId))
        return;
    const qint64 baseline = m_session->baselineFor(versionId);
    // A version without a parent has no default baseline: the choice is left to the person, nothing is picked.
    if (!baseline)
        m_baseline->setCurrentIndex(-1);
    choose(baseline, versionId);
}

void DriftPage::choose(qint64 baselineId, qint64 batchId)
{
    if (const int i = m_baseline->findData(baselineId); i >= 0)
        m_baseline->setCurrentIndex(i);
    if (const int i = m_batch->findData(batchId); i >= 0)
        m_batch->setCurrentIndex(i);
    updateEnabled();
}

void DriftPage::updateEnabled()
{
    const bool pair = m_session->isOpen() && baselineId() && batchId() && baselineId() != batchId();
    m_run->setEnabled(pair && !isRunning());
    m_timelineButton->setEnabled(m_report && !isRunning() && selectedFeature() >= 0);
    m_cancel->setEnabled(isRunning());
    m_baseline->setEnabled(!isRunning());
    m_batch->setEnabled(!isRunning());
}

void DriftPage::run()
{
    const std::optional<DatasetVersion> a = m_session->findVersion(baselineId());
    const std::optional<DatasetVersion> b = m_session->findVersion(batchId());
    if (!a || !b || a->id == b->id || !m_session->isOpen() || isRunning())
        return;
    const QString path = m_session->path();
    m_job->start(
        [path, base = a->ref, batch = b->ref](const BackgroundJob::Context &job) {
            Outcome out;
            out.report = std::make_shared<DriftReport>();
            DriftEngine engine;
            engine.setCancelFlag(job.cancel);
            engine.setProgress(job.progress);
            out.ok = engine.run(path, base, batch, out.report.get(), &out.error);
            out.cancelled = !out.ok && job.cancelled();
            return out;
        },
        [this](const Outcome &out) { onFinished(out); });
    startJob(tr("Comparing %1 against %2…").arg(b->ref.toString(), a->ref.toString()));
}

void DriftPage::startJob(const QString &status)
{
    m_status->setText(status);
    m_progressBar->setRange(0, 0);
    m_progressBar->setVisible(true);
    updateEnabled();
}

void DriftPage::endJob()
{
    m_progressBar->setVisible(false);
    updateEnabled();
}

void DriftPage::runTimeline(int feature)
{
    if (feature < 0)
        feature = selectedFeature();
    const std::optional<DatasetVersion> batch = m_session->findVersion(batchId());
    if (!m_report || isRunning() || !batch || feature < 0 || feature >= int(m_report->features.size()))
        return;
    QList<DatasetVersion> versions = m_session->versionsOf(batch->ref.dataset);
    std::sort(versions.begin(), versions.end(), [](const DatasetVersion &a, const DatasetVersion &b) { return a.id < b.id; });
    if (versions.size() < 2)
        return;
    const QString name = m_report->features[size_t(feature)].name;
    QList<VersionRef> refs;
    for (const DatasetVersion &v : versions)
        refs << v.ref;
    const QString path = m_session->path();
    const auto finished = [this, name](const DriftTimeline &out) {
        endJob();
        if (out.cancelled) {
            m_status->setText(tr("Cancelled."));
            Q_EMIT runCancelled();
            return;
        }
        m_status->clear();
        if (!out.ok) {
            Q_EMIT errorOccurred(tr("Drift timeline failed: %1").arg(out.error));
            return;
        }
        m_timeline->setSteps(name, out.steps);
        m_views->setCurrentWidget(m_timeline->parentWidget());
        Q_EMIT timelineReady();
    };
    m_job->start([path, refs, name](const BackgroundJob::Context &job) { return computeDriftTimeline(path, refs, name, job); },
                 finished);
    startJob(tr("Drift of %1 across %2 versions…").arg(name).arg(versions.size()));
}

void DriftPage::cancel()
{
    if (!isRunning())
        return;
    m_job->cancel();
    m_status->setText(tr("Cancelling…"));
}

void DriftPage::onFinished(const Outcome &out)
{
    endJob();
    if (out.cancelled) {
        m_status->setText(tr("Cancelled."));
        Q_EMIT runCancelled();
        return;
    }
    if (!out.ok) {
        m_status->clear();
        Q_EMIT errorOccurred(tr("Drift failed: %1").arg(out.error));
        return;
    }
    m_status->clear();
    m_report = out.report;
    m_recordedEvent = 0;
    showReport();
    Q_EMIT reportReady();
    if (!m_recorder->needsKey())
        recordRun(); // as the command line does: every run of an unsigned workspace is recorded
}

void DriftPage::recordRun()
{
    if (!m_report || m_recordedEvent || m_recorder->isBusy())
        return;
    m_recorder->record(m_report);
    showReport();
}

QString DriftPage::recordingNote() const
{
    if (m_recordedEvent)
        return tr("Recorded as ledger event %1 (scan.recorded, result %2).")
            .arg(m_recordedEvent)
            .arg(m_report->resultDigest().left(16));
    if (m_recorder->isBusy())
        return tr("Recording the run in the ledger…");
    if (const QString why = m_recorder->whyNot(*m_report); !why.isEmpty())
        return tr("Not recorded in the ledger: %1").arg(why.toHtmlEscaped());
    return tr("<b>Not recorded in the ledger yet</b> (<a href=\"record\">Record the Run…</a>)");
}

void DriftPage::showReport()
{
    const DriftReport &r = *m_report;
    m_model->setReport(m_report);
    QString text = driftVerdictHtml(r);
    text += QStringLiteral("<br>") + recordingNote();
    m_verdict->setText(text);
    if (r.labels.tested || r.labels.counts.bins() > 0)
        m_labelChart->setHistogram(r.labels.counts, tr("Labels: baseline against batch"));
    else
        m_labelChart->clear(tr("No labels to compare"));
    m_featureChart->clear();
    m_records->clear();
    m_heatMap->setReport(m_report.get());
    m_textView->setReport(m_report.get());
    {
        QSignalBlocker block(m_imageMapClass);
        m_imageMapClass->clear();
        // Open on the class whose most significant pixel is strongest: a stamped trigger shows at a glance.
        int strongest = 0;
        double best = std::numeric_limits<double>::infinity();
        for (size_t i = 0; i < r.classMaps.size(); ++i) {
            m_imageMapClass->addItem(tr("%1, class %2").arg(r.classMaps[i].column, r.classMaps[i].label), int(i));
            for (float p : r.classMaps[i].pAdjusted)
                if (p < best) { // NaN (untested) compares false
                    best = p;
                    strongest = int(i);
                }
        }
        m_imageMapClass->setCurrentIndex(strongest);
    }
    showClassMapAt(m_imageMapClass->currentIndex());
    if (m_proxy->rowCount() > 0)
        m_table->setCurrentIndex(m_proxy->index(0, 0));
}

void DriftPage::selectFeature(int feature)
{
    const int row = m_model->rowOf(feature);
    if (row < 0)
        return;
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    if (index.isValid())
        m_table->setCurrentIndex(index);
}

void DriftPage::showClassMap(const QString &label)
{
    for (int i = 0; i < m_imageMapClass->count(); ++i) {
        const int index = m_imageMapClass->itemData(i).toInt();
        if (m_report && m_report->classMaps[size_t(index)].label == label) {
            m_imageMapClass->setCurrentIndex(i);
            showClassMapAt(i);
            return;
        }
    }
}

void DriftPage::showClassMapAt(int comboIndex)
{
    const int index = m_imageMapClass->itemData(comboIndex).isValid() ? m_imageMapClass->itemData(comboIndex).toInt() : -1;
    if (!m_report || index < 0 || index >= int(m_report->classMaps.size())) {
        m_imageMap->clear();
        return;
    }
    const ClassImageMap &m = m_report->classMaps[size_t(index)];
    m_imageMap->setMap(m.width, m.height, m.channels, m.effect);
}

QWidget *DriftPage::currentChart() const
{
    QWidget *tab = m_views->currentWidget();
    if (tab && tab->objectName() == QLatin1String("driftHeatMapArea"))
        return m_heatMap;
    if (tab && tab->isAncestorOf(m_imageMap))
        return m_imageMap;
    if (tab && tab->isAncestorOf(m_timeline))
        return m_timeline;
    return tab;
}

bool DriftPage::exportCurrentChart(const QString &path)
{
    if (!exportChart(currentChart(), path, m_views->tabText(m_views->currentIndex()))) {
        Q_EMIT errorOccurred(tr("Could not write the chart to %1.").arg(QDir::toNativeSeparators(path)));
        return false;
    }
    return true;
}

void DriftPage::chooseExportFile(const QString &suffix)
{
    auto *dialog = new QFileDialog(this, tr("Export the chart"));
    dialog->setObjectName(QStringLiteral("driftExportDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(suffix);
    dialog->setNameFilter(suffix == QLatin1String("svg") ? tr("SVG images (*.svg)") : tr("PNG images (*.png)"));
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &path) { exportCurrentChart(path); });
    dialog->open();
}

void DriftPage::listRecords(const std::vector<int64_t> &rows, const QString &what)
{
    constexpr int kShown = 5000;
    m_records->clear();
    const std::vector<int64_t> shown(rows.begin(), rows.begin() + std::min<qsizetype>(qsizetype(rows.size()), kShown));
    m_records->addItems(m_report ? DriftRecordQuery(*m_report).recordIds(shown) : QStringList());
    const QLocale locale;
    m_recordsTitle->setText(rows.size() > size_t(kShown)
                                ? tr("%1: %2 batch records (first %3 listed)").arg(what, locale.toString(qint64(rows.size())), locale.toString(kShown))
                                : tr("%1: %2 batch records").arg(what, locale.toString(qint64(rows.size()))));
}

void DriftPage::showFeature(int feature)
{
    if (!m_report || feature < 0 || feature >= int(m_report->features.size())) {
        m_featureChart->clear();
        return;
    }
    const FeatureDrift &f = m_report->features[size_t(feature)];
    m_featureChart->setHistogram(f.histogram, tr("%1: baseline against batch (%2)")
                                                  .arg(f.name, f.drifted ? tr("drifted") : tr("stable")));
}

} // namespace custody
