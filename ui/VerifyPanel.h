#pragma once

#include "workflow/Verifier.h"

#include <QFutureWatcher>
#include <QWidget>

#include <atomic>

class QLabel;
class QProgressBar;
class QPushButton;

namespace custody {

class JobProgress;

// Runs Verifier over a workspace on a worker thread (its own read-only connection), with a progress bar and a
// cooperative Cancel, and shows the outcome in one line: "Verified: 12 events, 11 signed, 3 versions, all
// hashes match", or the earliest broken ledger event and why.
class VerifyPanel : public QWidget
{
    Q_OBJECT
public:
    explicit VerifyPanel(QWidget *parent = nullptr);
    ~VerifyPanel() override;

    void start(const QString &workspacePath);
    void cancel();
    void clear();
    bool isRunning() const { return m_running; }
    QString resultText() const;
    const VerifyReport &report() const { return m_report; }
    // The earliest "ledger event N" among the problems of the last run, 0 when none.
    qint64 firstBrokenEvent(QString *why = nullptr) const;

Q_SIGNALS:
    void runningChanged(bool running);
    void verified(bool ok);

private:
    struct Outcome
    {
        bool ok = false;
        VerifyReport report;
        QString error;
    };

    void onFinished();
    void showResult(const QString &text, bool ok);

    QLabel *m_result;
    QProgressBar *m_progress;
    QPushButton *m_cancelButton;
    JobProgress *m_jobProgress;
    QFutureWatcher<Outcome> m_watcher;
    std::atomic_bool m_cancel{false};
    bool m_running = false;
    VerifyReport m_report;
};

} // namespace custody
