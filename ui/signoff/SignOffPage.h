#pragma once

#include "shell/ActionIds.h"
#include "shell/Page.h"

#include "identity/KeyLoader.h"
#include "storage/DatasetVersion.h"
#include "storage/Delta.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTimer;

namespace custody {

class BackgroundJob;

class ActionRegistry;
class BatchSummaryView;
class Identity;
class WorkspaceSession;

// Sign-off of one batch (a version): its summary, and the signed steps the current identity may take on it:
// Submit (curators), Approve, Veto with a reason (approvers), Release under a new label (curators). Each
// button is enabled exactly when the core's Policy would accept the step from this identity; otherwise its
// tooltip names the rule. A step asks for the passphrase, runs off the GUI thread, and the page re-reads.
class SignOffPage : public Page
{
    Q_OBJECT
public:
    SignOffPage(WorkspaceSession *session, Identity *identity, ActionRegistry *actions, QWidget *parent = nullptr);
    ~SignOffPage() override;

    QString pageId() const override { return QLatin1String(ActionId::ShowSignOff); }
    QString title() const override { return tr("&Sign-off"); }
    QIcon icon() const override;
    QKeySequence shortcut() const override { return QKeySequence(Qt::CTRL | Qt::Key_3); }
    // A version chosen since the page last opened becomes the batch shown; otherwise the batch stays.
    void activate(const PageRequest &request) override;

    bool selectVersion(qint64 versionId);
    bool selectVersion(const QString &ref);
    QString currentVersion() const;
    bool isComputingChanges() const;

    BatchSummaryView *summaryView() const { return m_summary; }
    QPushButton *submitButton() const { return m_submit; }
    QPushButton *approveButton() const { return m_approve; }
    QPushButton *vetoButton() const { return m_veto; }
    QPushButton *releaseButton() const { return m_release; }

Q_SIGNALS:
    void changesReady();

private:
    struct ChangesOutcome
    {
        bool ok = false;
        Delta delta;
        QString error;
    };

    void fillVersions();
    void refresh();
    void startChanges(const DatasetVersion &version);
    void updateNotice();
    void updateTypedSteps();
    void sign(const QString &description, KeyLoader::WorkspaceStep step, std::function<QString()> done);
    void submit();
    void approve();
    void veto();
    void release();

    WorkspaceSession *m_session;
    Identity *m_identity;
    ActionRegistry *m_actions;
    QComboBox *m_version;
    QLabel *m_notice;
    QPushButton *m_noticeButton;
    BatchSummaryView *m_summary;
    QPushButton *m_submit;
    QPushButton *m_approve;
    QPushButton *m_veto;
    QLineEdit *m_vetoReason;
    QPushButton *m_release;
    QLineEdit *m_releaseLabel;
    QTimer *m_refresh;
    BackgroundJob *m_changes;
    qint64 m_seenVersion = 0; // the request of the last activate()
    QString m_changesShownFor; // "version digest" of the delta on screen
    QString m_vetoPolicy;      // why the policy refuses a veto from this identity ("" when it allows one)
    QString m_releasePolicy;
};

} // namespace custody
