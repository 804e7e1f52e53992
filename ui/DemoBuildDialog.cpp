#include "DemoBuildDialog.h"

#include "JobProgress.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace custody {

DemoBuildDialog::DemoBuildDialog(const QString &workspaceDir, const DemoOptions &options, QWidget *parent)
    : QDialog(parent), m_dir(workspaceDir), m_options(options), m_phase(new QLabel), m_progress(new QProgressBar),
      m_jobProgress(new JobProgress(this))
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
    connect(m_jobProgress, &JobProgress::progressed, this, [this](const QString &phase, qint64 done, qint64 total) {
        m_phase->setText(JobProgress::describe(phase, done, total));
        if (total <= 0) {
            m_progress->setRange(0, 0);
        } else {
            m_progress->setRange(0, 1000);
            m_progress->setValue(int(qBound(qint64(0), done * 1000 / total, qint64(1000))));
        }
    });
    connect(&m_watcher, &QFutureWatcher<Outcome>::finished, this, &DemoBuildDialog::onFinished);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(text);
    layout->addWidget(m_phase);
    layout->addWidget(m_progress);
    layout->addWidget(buttons);
    resize(460, 180);
}

DemoBuildDialog::~DemoBuildDialog()
{
    if (m_running) {
        m_cancel = true;
        m_watcher.waitForFinished(); // the builder removes what it made before returning
    }
}

void DemoBuildDialog::start()
{
    if (m_running)
        return;
    m_running = true;
    m_cancel = false;
    m_phase->setText(tr("Starting…"));
    m_progress->setRange(0, 0);
    const QString dir = m_dir;
    const DemoOptions options = m_options;
    const ProgressFn progress = m_jobProgress->reporter();
    std::atomic_bool *cancel = &m_cancel;
    m_watcher.setFuture(QtConcurrent::run([dir, options, progress, cancel] {
        Outcome out;
        out.ok = buildDemoWorkspace(dir, options, &out.error, progress, cancel);
        out.cancelled = !out.ok && cancel->load();
        return out;
    }));
}

void DemoBuildDialog::reject()
{
    if (!m_running) {
        QDialog::reject();
        return;
    }
    m_cancel = true;
    m_cancelButton->setEnabled(false);
    m_phase->setText(tr("Cancelling…"));
}

void DemoBuildDialog::onFinished()
{
    const Outcome out = m_watcher.result();
    m_running = false;
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
