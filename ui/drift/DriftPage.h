#pragma once

#include "shell/ActionIds.h"
#include "shell/Page.h"

#include <QWidget>

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QSplitter;
class QTableView;
class QTabWidget;

namespace custody {

class DriftClassHeatMap;
class DriftFeatureModel;
class DriftImageMap;
class DriftRecorder;
class Identity;
class DriftTimelineChart;
class DriftTextView;
class DriftHistogramChart;
class BackgroundJob;
class WorkspaceSession;
struct DriftReport;

// The drift dashboard: choose a baseline and a batch, run the drift engine on a worker thread (progress,
// cancel), then read the dataset verdict and the features sorted by severity. The page wires itself to its
// action (action_show_drift, Ctrl+5) so that the window only has to add it.
class DriftPage : public Page
{
    Q_OBJECT
public:
    // Registers action_show_drift in `actions` (before the window builds its menus).

    DriftPage(WorkspaceSession *session, Identity *identity, QWidget *parent = nullptr);

    QString pageId() const override { return QLatin1String(ActionId::ShowDrift); }
    QString title() const override { return tr("D&rift Dashboard"); }
    QIcon icon() const override;
    QKeySequence shortcut() const override { return QKeySequence(Qt::CTRL | Qt::Key_5); }
    int versionsNeeded() const override { return 2; }
    // Without a report on screen, proposes request.versionId (the newest when none) against its parent.
    void activate(const PageRequest &request) override;
    ~DriftPage() override;

    // Baseline = the version's parent (or the version made before it in the same dataset), batch = the version.
    void chooseWithParent(qint64 versionId);
    void choose(qint64 baselineId, qint64 batchId);
    qint64 baselineId() const;
    qint64 batchId() const;

    void run();
    void cancel();
    bool isRunning() const;
    std::shared_ptr<const DriftReport> report() const { return m_report; }

    DriftFeatureModel *featureModel() const { return m_model; }
    QSortFilterProxyModel *featureProxy() const { return m_proxy; }
    QTableView *featureTable() const { return m_table; }
    QLabel *verdictLabel() const { return m_verdict; }
    QLineEdit *searchBox() const { return m_search; }
    int selectedFeature() const; // index into the report's features, -1 when none
    void selectFeature(int feature);
    DriftHistogramChart *featureChart() const { return m_featureChart; }
    DriftHistogramChart *labelChart() const { return m_labelChart; }
    QTabWidget *views() const { return m_views; }
    DriftClassHeatMap *heatMap() const { return m_heatMap; }
    DriftImageMap *imageMap() const { return m_imageMap; }
    QComboBox *imageMapClass() const { return m_imageMapClass; }
    DriftTextView *textView() const { return m_textView; }
    QListWidget *recordList() const { return m_records; }
    // Shows the class map of `label` (of the first image column that has one).
    void showClassMap(const QString &label);
    // The chart of the current tab, and writing it as PNG or SVG (by the suffix); errors go to errorOccurred.
    QWidget *currentChart() const;
    bool exportCurrentChart(const QString &path);
    // The feature's drift across the batch's dataset, one run per consecutive pair of its versions, in the
    // background (the same progress and cancel as a run). -1: the selected feature.
    void runTimeline(int feature = -1);
    // Records the report on screen in the ledger (a signed workspace asks for the passphrase); an unsigned
    // workspace records every run by itself, as `custody-cli drift` does.
    void recordRun();
    // The ledger event that recorded the report on screen; 0 while it is not recorded.
    qint64 recordedEvent() const { return m_recordedEvent; }
    DriftTimelineChart *timelineChart() const { return m_timeline; }

Q_SIGNALS:
    void reportReady();
    void runRecorded(qint64 seq);
    void timelineReady();
    void runCancelled();
    void featureSelected(int feature);

private:
    struct Outcome
    {
        bool ok = false;
        bool cancelled = false;
        std::shared_ptr<DriftReport> report;
        QString error;
    };

    void fillVersionCombos();
    void updateEnabled();
    void onFinished(const Outcome &out);
    void showReport();
    QString recordingNote() const;
    void showFeature(int feature);
    void showClassMapAt(int index);
    void chooseExportFile(const QString &suffix);
    void startJob(const QString &status);
    void endJob();
    void listRecords(const std::vector<int64_t> &rows, const QString &what);

    WorkspaceSession *m_session;
    DriftRecorder *m_recorder;
    qint64 m_recordedEvent = 0;
    QComboBox *m_baseline;
    QComboBox *m_batch;
    QPushButton *m_run;
    QPushButton *m_cancel;
    QProgressBar *m_progressBar;
    QLabel *m_status;
    QLabel *m_verdict;
    QLineEdit *m_search;
    DriftFeatureModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_table;
    QSplitter *m_split = nullptr;
    QTabWidget *m_views;
    DriftHistogramChart *m_featureChart;
    DriftHistogramChart *m_labelChart;
    DriftClassHeatMap *m_heatMap;
    QComboBox *m_imageMapClass;
    DriftImageMap *m_imageMap;
    QLabel *m_recordsTitle;
    QListWidget *m_records;
    DriftTimelineChart *m_timeline;
    DriftTextView *m_textView;
    QPushButton *m_timelineButton;
    BackgroundJob *m_job; // the drift run or the timeline: one at a time
    std::shared_ptr<const DriftReport> m_report;
};

} // namespace custody
