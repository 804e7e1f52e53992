#pragma once

#include <QObject>
#include <QString>

#include <memory>

class QWidget;

namespace custody {

class BackgroundJob;
class Identity;
class WorkspaceSession;
struct DriftReport;

// Records the drift dashboard's runs in the ledger through the same core call as `custody-cli drift`
// (recordDriftRun), so a check leaves the same scan.recorded event whichever front end ran it. An unsigned
// workspace records at once, off the GUI thread; a signed one asks for the curator's passphrase first.
class DriftRecorder : public QObject
{
    Q_OBJECT
public:
    DriftRecorder(WorkspaceSession *session, Identity *identity, QWidget *dialogParent);
    ~DriftRecorder() override;

    // "" when `report` could be recorded now; otherwise why not (read-only, no identity, a rule of the policy).
    QString whyNot(const DriftReport &report) const;
    // Whether recording needs a passphrase (a signed workspace): the page then offers it instead of doing it.
    bool needsKey() const;
    bool isBusy() const { return m_busy; }
    void record(std::shared_ptr<const DriftReport> report);

Q_SIGNALS:
    void recorded(std::shared_ptr<const DriftReport> report, qint64 seq);
    void failed(const QString &message);

private:
    void finish(std::shared_ptr<const DriftReport> report, qint64 seq, const QString &error);

    WorkspaceSession *m_session;
    Identity *m_identity;
    QWidget *m_dialogParent;
    BackgroundJob *m_write;
    bool m_busy = false;
};

} // namespace custody
