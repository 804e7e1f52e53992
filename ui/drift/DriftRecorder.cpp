#include "drift/DriftRecorder.h"

#include "session/BackgroundJob.h"
#include "identity/Identity.h"
#include "identity/PassphraseDialog.h"
#include "session/PolicyGate.h"
#include "session/WorkspaceSession.h"
#include "analysis/DriftReport.h"
#include "ledger/Ledger.h"
#include "storage/Workspace.h"
#include "workflow/OpenWorkspace.h"
#include "workflow/DriftRecording.h"

namespace custody {

namespace {

struct Written
{
    qint64 seq = 0;
    QString error;
};

Written recordUnsigned(const QString &path, const std::shared_ptr<const DriftReport> &report)
{
    Written out;
    QString message;
    const std::unique_ptr<Workspace> ws = openWorkspace(path, &message);
    if (!ws) {
        out.error = message;
        return out;
    }
    if (!ws->integrityProblem().isEmpty()) {
        out.error = ws->integrityProblem();
        return out;
    }
    LedgerEvent event;
    Error error;
    if (recordDriftRun(*ws, *report, nullptr, &event, &error))
        out.seq = event.seq;
    else
        out.error = error.kind == Error::Kind::Refused ? PolicyGate::describe(Refusal{error.rule, error.message})
                                                       : error.message;
    return out;
}

} // namespace

DriftRecorder::DriftRecorder(WorkspaceSession *session, Identity *identity, QWidget *dialogParent)
    : QObject(dialogParent), m_session(session), m_identity(identity), m_dialogParent(dialogParent),
      m_write(new BackgroundJob(this))
{
}

DriftRecorder::~DriftRecorder() = default;

bool DriftRecorder::needsKey() const
{
    return m_session->workspace() && Ledger(*m_session->workspace()).state().isSigned();
}

QString DriftRecorder::whyNot(const DriftReport &report) const
{
    if (!m_session->isOpen())
        return tr("Open a workspace first.");
    if (m_session->isReadOnly())
        return tr("This workspace is open read-only: the run cannot be recorded.");
    if (!needsKey())
        return {};
    return PolicyGate::whyNot(m_session, m_identity, EventType::ScanRecorded,
                              QJsonObject{{QStringLiteral("version"), report.batch},
                                          {QStringLiteral("baseline"), report.baseline},
                                          {QStringLiteral("kind"), QStringLiteral("drift")}});
}

void DriftRecorder::record(std::shared_ptr<const DriftReport> report)
{
    if (m_busy || !report)
        return;
    if (const QString why = whyNot(*report); !why.isEmpty()) {
        Q_EMIT failed(tr("The drift run of %1 was not recorded: %2").arg(report->batch, why));
        return;
    }
    m_busy = true;
    const QString path = m_session->path();
    if (!needsKey()) {
        // An unsigned workspace hash-chains the event without a signature, at once, on a worker.
        m_write->start([path, report](const BackgroundJob::Context &) { return recordUnsigned(path, report); },
                       [this, report](const Written &w) { finish(report, w.seq, w.error); });
        return;
    }
    auto seq = std::make_shared<qint64>(0);
    KeyLoader::Work work = KeyLoader::inWorkspace(path, [report, seq](Workspace &ws, const SigningKey &key, QString *message) {
        LedgerEvent event;
        Error error;
        if (!recordDriftRun(ws, *report, &key, &event, &error)) {
            *message = error.kind == Error::Kind::Refused ? PolicyGate::describe(Refusal{error.rule, error.message})
                                                          : error.message;
            return false;
        }
        *seq = event.seq;
        return true;
    });
    auto *dialog = PassphraseDialog::ask(
        m_identity,
        tr("Record the drift run of %1 against %2 as %3")
            .arg(report->batch, report->baseline, m_identity->displayName(m_session->workspace())),
        std::move(work), m_dialogParent);
    connect(dialog, &PassphraseDialog::succeeded, this, [this, report, seq] { finish(report, *seq, {}); });
    connect(dialog, &PassphraseDialog::failed, this, [this, report](const QString &error) { finish(report, 0, error); });
    connect(dialog, &QObject::destroyed, this, [this] { m_busy = false; });
}

void DriftRecorder::finish(std::shared_ptr<const DriftReport> report, qint64 seq, const QString &error)
{
    m_busy = false;
    if (!error.isEmpty()) {
        Q_EMIT failed(tr("The drift run of %1 was not recorded: %2").arg(report->batch, error));
        return;
    }
    m_session->notifyLedgerChanged();
    Q_EMIT recorded(report, seq);
}

} // namespace custody
