#include "shell/DemoBuildDialog.h"

#include "session/BackgroundJob.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace custody {

DemoBuildDialog::DemoBuildDialog(const QString &workspaceDir, const DemoOptions &options, QWidget *parent)
    : QDialog(parent), m_dir(workspaceDir), m_options(options), m_phase(new QLabel), m_progress(new QProgressBar),
      m_job(new BackgroundJob(this))
{
    setObjectName(QStringLiteral("demoBuildDialog"));
    setWindowTitle(tr("Preparing the demo workspace"));
    auto *text = new QLabel(tr("Building a demo workspace from Fashion-MNIST in\n%1\n"
                               "fashion@v1 is a clean baseline; fashion@v2 is an incoming batch with planted poison.")
                                .arg(workspaceDir));
    text->setWordWrap(true);
    text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_phase->setObjectName(QStringLiteral("demoPhase"));
    m_progress->setObjectName(QStringLiteral("demoProgress"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    m_cancelButton = buttons->button(QDialogButtonBox::Cancel);
    m_cancelButton->setObjectName(QStringLiteral("demoCancelButton"));
    connect(buttons, &QDialogButtonBox::rejected, this, &DemoBuildDialog::reject);
    // The builder removes what it made before it returns: a dialog closed mid-build waits for that.
    m_job->setWaitOnDestroy(true);
    connect(m_job, &BackgroundJob::progressed, this, [this](const QString &phase, qint64 done, qint64 total) {
        m_phase->setText(BackgroundJob::describe(phase, done, total));
        if (total <= 0) {
            m_progress->setRange(0, 0);
        } else {
            m_progress->setRange(0, 1000);
            m_progress->setValue(int(qBound(qint64(0), done * 1000 / total, qint64(1000))));
        }
    });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(text);
    layout->addWidget(m_phase);
    layout->addWidget(m_progress);
    layout->addWidget(buttons);
    resize(460, 180);
}

DemoBuildDialog::~DemoBuildDialog() = default;

bool DemoBuildDialog::isRunning() const
{
    return m_job->isRunning();
}

void DemoBuildDialog::start()
{
    if (isRunning())
        return;
    m_phase->setText(tr("Starting…"));
    m_progress->setRange(0, 0);
    m_job->start(
        [dir = m_dir, options = m_options](const BackgroundJob::Context &job) {
            Outcome out;
            out.ok = buildDemoWorkspace(dir, options, &out.error, job.progress, job.cancel);
            out.cancelled = !out.ok && job.cancelled();
            return out;
        },
        [this](const Outcome &out) { onFinished(out); });
}

void DemoBuildDialog::reject()
{
    if (!isRunning()) {
        QDialog::reject();
        return;
    }
    m_job->cancel();
    m_cancelButton->setEnabled(false);
    m_phase->setText(tr("Cancelling…"));
}

void DemoBuildDialog::onFinished(const Outcome &out)
{
    if (out.ok) {
        accept();
        Q_EMIT built(m_dir);
    } else {
        QDialog::reject();
        Q_EMIT failed(out.cancelled ? tr("Building the demo workspace was cancelled; nothing was kept.")
                                    : out.error);
    }
}

} // namespace custody
