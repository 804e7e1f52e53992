#include "findings/ScanBar.h"

#include "session/BackgroundJob.h"
#include "findings/ScanRunner.h"
#include "session/WorkspaceSession.h"
#include "detection/ScanResult.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QToolButton>

namespace custody {

ScanBar::ScanBar(WorkspaceSession *session, QAction *runAction, QWidget *parent)
    : QWidget(parent), m_session(session), m_batch(new QComboBox), m_baseline(new QComboBox),
      m_cancel(new QPushButton(tr("Cancel"))), m_progress(new QProgressBar), m_status(new QLabel),
      m_runner(new ScanRunner(this))
{
    setObjectName(QStringLiteral("scanBar"));
    m_batch->setObjectName(QStringLiteral("findingsBatch"));
    m_baseline->setObjectName(QStringLiteral("findingsBaseline"));
    m_batch->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_baseline->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_cancel->setObjectName(QStringLiteral("findingsCancelButton"));
    m_cancel->setEnabled(false);
    m_progress->setObjectName(QStringLiteral("findingsProgress"));
    m_progress->setMaximumWidth(200);
    m_progress->hide();
    m_status->setObjectName(QStringLiteral("findingsStatus"));
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred); // progress text must not resize the page

    connect(m_batch, &QComboBox::currentIndexChanged, this, &ScanBar::onBatchChosen);
    connect(m_baseline, &QComboBox::currentIndexChanged, this, &ScanBar::baselineChosen);
    connect(m_cancel, &QPushButton::clicked, this, &ScanBar::cancel);
    connect(m_runner, &ScanRunner::progressed, this, [this](const QString &phase, qint64 done, qint64 total) {
        m_status->setText(BackgroundJob::describe(phase, done, total));
        m_progress->setRange(0, total > 0 ? 1000 : 0);
        if (total > 0)
            m_progress->setValue(int(qBound(qint64(0), done * 1000 / total, qint64(1000))));
    });
    // The job has ended before anyone hears of its outcome, so that they see the bar idle.
    connect(m_runner, &ScanRunner::loaded, this, [this](std::shared_ptr<const ScanResult> result) {
        endJob();
        Q_EMIT loaded(std::move(result));
    });
    connect(m_runner, &ScanRunner::notLoaded, this, [this](const QString &message) {
        endJob();
        Q_EMIT notLoaded(message);
    });
    connect(m_runner, &ScanRunner::scanned, this, [this](std::shared_ptr<const ScanResult> result) {
        endJob();
        Q_EMIT scanned(std::move(result));
    });
    connect(m_runner, &ScanRunner::failed, this, [this](const QString &message) {
        endJob();
        Q_EMIT failed(message);
    });
    connect(m_runner, &ScanRunner::cancelled, this, [this] {
        endJob(tr("Cancelled."));
        Q_EMIT cancelled();
    });

    auto *run = new QToolButton;
    run->setObjectName(QStringLiteral("findingsRunButton"));
    run->setDefaultAction(runAction);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("Batch")));
    layout->addWidget(m_batch);
    layout->addWidget(new QLabel(tr("Baseline")));
    layout->addWidget(m_baseline);
    layout->addWidget(run);
    layout->addWidget(m_cancel);
    layout->addWidget(m_progress);
    layout->addWidget(m_status, 1);
}

ScanBar::~ScanBar() = default;

qint64 ScanBar::batchId() const
{
    return m_batch->currentData().toLongLong();
}

qint64 ScanBar::baselineId() const
{
    return m_baseline->currentData().toLongLong();
}

std::optional<DatasetVersion> ScanBar::batch() const
{
    return m_session->findVersion(batchId());
}

bool ScanBar::isRunning() const
{
    return m_busy;
}

bool ScanBar::selectVersion(qint64 versionId)
{
    const int i = m_batch->findData(versionId);
    if (i >= 0 && i != m_batch->currentIndex())
        m_batch->setCurrentIndex(i); // onBatchChosen()
    return i >= 0;
}

void ScanBar::forgetBatch()
{
    QSignalBlocker block(m_batch);
    m_batch->clear();
}

void ScanBar::fillVersions()
{
    const qint64 current = batchId();
    {
        QSignalBlocker block(m_batch);
        m_batch->clear();
        for (const DatasetVersion &v : m_session->versions())
            m_batch->addItem(tr("%1  (%2 records)").arg(v.ref.toString(), QLocale().toString(v.recordCount)), v.id);
        m_batch->setCurrentIndex(m_batch->findData(current));
    }
    if (batchId() != current || !current || !m_session->isOpen())
        onBatchChosen(); // the version on screen went away (closed, another workspace), or none was chosen
}

void ScanBar::onBatchChosen()
{
    abandon();
    const auto b = batch();
    QSignalBlocker block(m_baseline);
    m_baseline->clear();
    m_baseline->addItem(tr("(none: single-dataset detectors)"), qint64(0));
    for (const DatasetVersion &v : m_session->versions())
        if (b && v.id != b->id)
            m_baseline->addItem(v.ref.toString(), v.id);
    m_baseline->setCurrentIndex(std::max(0, m_baseline->findData(b ? m_session->baselineFor(b->id) : 0)));
    Q_EMIT batchChosen();
}

void ScanBar::loadLatest()
{
    const auto b = batch();
    if (!b)
        return;
    startJob(tr("Reading the latest scan of %1…").arg(b->ref.toString()), true);
    m_runner->loadLatest(m_session->path(), b->ref.toString());
}

bool ScanBar::scan()
{
    const auto b = batch();
    const auto baseline = baselineId() ? m_session->findVersion(baselineId()) : std::nullopt;
    if (!b || isRunning())
        return false;
    if (!m_runner->scan(m_session->path(), *b, baseline)) {
        m_status->setText(tr("The previous job is still stopping; run the scan again in a moment."));
        return false;
    }
    startJob(baseline ? tr("Scanning %1 against %2…").arg(b->ref.toString(), baseline->ref.toString())
                      : tr("Scanning %1…").arg(b->ref.toString()),
             false);
    return true;
}

void ScanBar::cancel()
{
    if (!isScanning())
        return;
    m_runner->cancel();
    m_status->setText(tr("Cancelling…"));
}

void ScanBar::abandon()
{
    m_runner->abandon();
    if (m_busy)
        endJob();
}

void ScanBar::startJob(const QString &status, bool loading)
{
    m_busy = true;
    m_loading = loading;
    m_status->setText(status);
    m_progress->setRange(0, 0);
    m_progress->show();
    m_cancel->setEnabled(!loading);
    m_batch->setEnabled(loading); // another batch may be chosen while a scan is read back, not while one is run
    m_baseline->setEnabled(false);
    Q_EMIT busyChanged();
}

void ScanBar::endJob(const QString &status)
{
    m_busy = false;
    m_loading = false;
    m_progress->hide();
    m_status->setText(status);
    m_cancel->setEnabled(false);
    m_batch->setEnabled(true);
    m_baseline->setEnabled(true);
    Q_EMIT busyChanged();
}

} // namespace custody
