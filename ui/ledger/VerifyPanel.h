#pragma once

#include "workflow/Verifier.h"

#include <QWidget>


class QLabel;
class QProgressBar;
class QPushButton;

namespace custody {

class BackgroundJob;

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
    bool isRunning() const;
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
        bool cancelled = false;
        VerifyReport report;
        QString error;
    };

    void onFinished(const Outcome &out);
    void showResult(const QString &text, bool ok);

    QLabel *m_result;
    QProgressBar *m_progress;
    QPushButton *m_cancelButton;
    BackgroundJob *m_job;
    VerifyReport m_report;
};

} // namespace custody
