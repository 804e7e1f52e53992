#pragma once

#include "storage/DatasetVersion.h"

#include <QWidget>

#include <memory>
#include <optional>

class QAction;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;

namespace custody {

class ScanRunner;
class WorkspaceSession;
struct ScanResult;

// The top of the findings page: which batch is reviewed and against which baseline (by default its parent,
// WorkspaceSession::baselineFor), Run Scan and Cancel, and the progress of the job reading or computing the
// scan (ScanRunner, off the GUI thread).
class ScanBar : public QWidget
{
    Q_OBJECT
public:
    ScanBar(WorkspaceSession *session, QAction *runAction, QWidget *parent = nullptr);
    ~ScanBar() override;

    // Re-reads the versions, keeping the batch chosen; emits batchChosen() when it went away.
    void fillVersions();
    void forgetBatch(); // another workspace: its version ids mean nothing here
    bool selectVersion(qint64 versionId);
    qint64 batchId() const;
    qint64 baselineId() const; // 0: none
    std::optional<DatasetVersion> batch() const;

    void loadLatest(); // the batch's latest recorded scan: loaded() or notLoaded()
    bool scan();       // scanned(), failed() or cancelled()
    void cancel();
    void abandon(); // the outcome of what runs now is no longer wanted
    bool isRunning() const;
    bool isScanning() const { return isRunning() && !m_loading; }

Q_SIGNALS:
    void batchChosen();
    void baselineChosen();
    void busyChanged();
    void loaded(std::shared_ptr<const ScanResult> result);
    void notLoaded(const QString &message);
    void scanned(std::shared_ptr<const ScanResult> result);
    void failed(const QString &message);
    void cancelled();

private:
    void onBatchChosen();
    void startJob(const QString &status, bool loading);
    void endJob(const QString &status = {});

    WorkspaceSession *m_session;
    QComboBox *m_batch;
    QComboBox *m_baseline;
    QPushButton *m_cancel;
    QProgressBar *m_progress;
    QLabel *m_status;
    ScanRunner *m_runner;
    bool m_busy = false; // a job whose outcome is wanted runs (an abandoned one may still be finishing)
    bool m_loading = false;
};

} // namespace custody
