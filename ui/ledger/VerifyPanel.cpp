#include "ledger/VerifyPanel.h"

#include "session/BackgroundJob.h"
#include "storage/Workspace.h"
#include "workflow/OpenWorkspace.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace custody {

namespace {
const QString kEventSubject = QStringLiteral("ledger event ");
}

VerifyPanel::VerifyPanel(QWidget *parent)
    : QWidget(parent), m_result(new QLabel), m_progress(new QProgressBar), m_cancelButton(new QPushButton(tr("Cancel"))),
      m_job(new BackgroundJob(this))
{
    setObjectName(QStringLiteral("verifyPanel"));
    m_result->setObjectName(QStringLiteral("ledgerVerifyResult"));
    m_result->setWordWrap(true);
    m_result->setTextFormat(Qt::PlainText);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->setMargin(6);
    m_progress->setObjectName(QStringLiteral("ledgerVerifyProgress"));
    m_cancelButton->setObjectName(QStringLiteral("ledgerVerifyCancel"));

    auto *running = new QHBoxLayout;
    running->setContentsMargins(0, 0, 0, 0);
    running->addWidget(m_progress, 1);
    running->addWidget(m_cancelButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_result);
    layout->addLayout(running);

    connect(m_cancelButton, &QPushButton::clicked, this, &VerifyPanel::cancel);
    connect(m_job, &BackgroundJob::progressed, this, [this](const QString &, qint64 done, qint64 total) {
        m_progress->setRange(0, total > 0 ? 1000 : 0);
        if (total > 0)
            m_progress->setValue(int(qBound(qint64(0), done * 1000 / total, qint64(1000))));
    });
    clear();
}

VerifyPanel::~VerifyPanel() = default; // cancels; a worker still running no longer reports here

bool VerifyPanel::isRunning() const
{
    return m_job->isRunning();
}

void VerifyPanel::clear()
{
    if (isRunning())
        return;
    m_report = VerifyReport();
    m_result->hide();
    m_progress->hide();
    m_cancelButton->hide();
    setVisible(false);
}

void VerifyPanel::start(const QString &workspacePath)
{
    if (isRunning())
        return;
    m_report = VerifyReport();
    setVisible(true);
    m_result->hide();
    m_progress->setRange(0, 0);
    m_progress->show();
    m_cancelButton->setEnabled(true);
    m_cancelButton->show();
    const QString phase = tr("Verifying");
    m_job->start(
        [workspacePath, phase](const BackgroundJob::Context &job) {
            Outcome out;
            std::unique_ptr<Workspace> ws = openWorkspace(workspacePath, &out.error, Workspace::Access::ReadOnly);
            if (!ws)
                return out;
            out.ok = Verifier::run(*ws, &out.report, &out.error,
                                   [report = job.progress, phase](qint64 done, qint64 total) {
                                       report(Progress{phase, done, total});
                                   },
                                   job.cancel);
            out.cancelled = !out.ok && job.cancelled();
            return out;
        },
        [this](const Outcome &out) { onFinished(out); });
    Q_EMIT runningChanged(true);
}

void VerifyPanel::cancel()
{
    if (!isRunning())
        return;
    m_job->cancel();
    m_cancelButton->setEnabled(false);
}

QString VerifyPanel::resultText() const
{
    return m_result->isVisible() ? m_result->text() : QString();
}

qint64 VerifyPanel::firstBrokenEvent(QString *why) const
{
    qint64 first = 0;
    for (const VerifyProblem &p : m_report.problems) {
        const qint64 seq = p.subject.startsWith(kEventSubject) ? p.subject.mid(kEventSubject.size()).toLongLong() : 0;
        if (seq > 0 && (first == 0 || seq < first)) {
            first = seq;
            if (why)
                *why = p.message;
        }
    }
    return first;
}

void VerifyPanel::showResult(const QString &text, bool ok)
{
    m_result->setText(text);
    m_result->setStyleSheet(ok ? QStringLiteral("background: #e6f4e7; border: 1px solid #86c18c; border-radius: 4px; color: #202020;")
                               : QStringLiteral("background: #fbe7e6; border: 1px solid #de8a84; border-radius: 4px; color: #202020;"));
    m_result->show();
}

void VerifyPanel::onFinished(const Outcome &out)
{
    m_progress->hide();
    m_cancelButton->hide();
    m_report = out.report;
    Q_EMIT runningChanged(false);
    if (!out.ok) {
        showResult(out.cancelled ? tr("Verification cancelled: nothing was concluded.")
                            : tr("Verification could not finish: %1").arg(out.error),
                   false);
        Q_EMIT verified(false);
        return;
    }
    const QLocale locale;
    if (m_report.ok()) {
        QString text = tr("Verified: %1 events, %2 signed, %3 versions, all hashes match")
                           .arg(locale.toString(m_report.eventsChecked), locale.toString(m_report.signedEvents),
                                locale.toString(m_report.versionsChecked));
        for (const QString &w : m_report.warnings)
            text += QLatin1Char('\n') + tr("Note: %1").arg(w);
        showResult(text, true);
        Q_EMIT verified(true);
        return;
    }
    // The earliest broken event is where the history stops being trustworthy: lead with it.
    const qint64 seq = firstBrokenEvent();
    const VerifyProblem *p = &m_report.problems.constFirst();
    for (const VerifyProblem &q : m_report.problems)
        if (seq > 0 && q.subject == kEventSubject + QString::number(seq)) {
            p = &q;
            break;
        }
    QString text = tr("Verification failed. %1: %2").arg(p->subject.at(0).toUpper() + p->subject.mid(1), p->message);
    if (m_report.problems.size() > 1)
        text += QLatin1Char('\n') + tr("%1 problems in all; 'custody-cli verify' lists each.").arg(m_report.problems.size());
    showResult(text, false);
    Q_EMIT verified(false);
}

} // namespace custody
