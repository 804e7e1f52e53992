#pragma once

#include "demo/DemoWorkspace.h"

#include <QDialog>


class QLabel;
class QProgressBar;
class QPushButton;

namespace custody {

class BackgroundJob;

// Builds the demo workspace (Fashion-MNIST with planted poison) on a worker thread while the window stays
// usable, with progress and a cooperative Cancel. Emits built() with the folder to open, or failed().
class DemoBuildDialog : public QDialog
{
    Q_OBJECT
public:
    DemoBuildDialog(const QString &workspaceDir, const DemoOptions &options, QWidget *parent = nullptr);
    ~DemoBuildDialog() override;

    void start();
    bool isRunning() const;
    void reject() override;

Q_SIGNALS:
    void built(const QString &workspaceDir);
    void failed(const QString &message);

private:
    struct Outcome
    {
        bool ok = false;
        bool cancelled = false;
        QString error;
    };

    void onFinished(const Outcome &out);

    QString m_dir;
    DemoOptions m_options;
    QLabel *m_phase;
    QProgressBar *m_progress;
    QPushButton *m_cancelButton;
    BackgroundJob *m_job;
};

} // namespace custody
