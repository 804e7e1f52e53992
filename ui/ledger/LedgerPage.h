#pragma once

#include "shell/ActionIds.h"
#include "shell/Page.h"

#include <QWidget>

#include <functional>

class QComboBox;
class QFrame;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTableView;
class QTimer;

namespace custody {

class BackgroundJob;

class ActionRegistry;
class Identity;
class LedgerEventModel;
struct LedgerRow;
class VerifyPanel;
class WorkspaceSession;

// The workspace's ledger: every event (who, when, what), filterable by type, actor and text, with the
// selected event's signed payload. Verify re-checks data and ledger on a worker thread (with progress and
// Cancel) and points at the first broken event. Exports: a checkpoint signed by the current identity, and the
// attestation of a released version. An unsigned workspace says what that means and how to make it signed.
// Owns the actions action_verify, action_export_checkpoint, action_export_attestation, action_make_signed.
class LedgerPage : public Page
{
    Q_OBJECT
public:
    LedgerPage(WorkspaceSession *session, Identity *identity, ActionRegistry *actions, QWidget *parent = nullptr);
    ~LedgerPage() override;

    QString pageId() const override { return QLatin1String(ActionId::ShowLedger); }
    QString title() const override { return tr("&Ledger"); }
    QIcon icon() const override;
    QKeySequence shortcut() const override { return QKeySequence(Qt::CTRL | Qt::Key_4); }
    void activate(const PageRequest &) override { }

    void verify();
    void cancelVerify();
    void exportCheckpoint();
    void exportAttestation();
    void makeSigned();
    bool selectEvent(qint64 seq);

    bool isLoading() const;
    bool isVerifying() const;
    QString verifyResult() const;
    VerifyPanel *verifyPanel() const { return m_verify; }
    LedgerEventModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }

Q_SIGNALS:
    void eventsLoaded();
    void verified(bool ok);

private:
    struct LoadOutcome
    {
        QList<LedgerRow> rows;
        QString error;
    };
    void reload();
    void onLoaded(const LoadOutcome &out);
    void onVerified(bool ok);
    void applyFilter();
    void fillFilterCombos();
    void showSelectedEvent();
    void updateActions();
    QString releasedVersionOfSelection() const;
    // Asks where to save `bytes` (a non-native dialog named `objectName`, opened, not exec'd), writes them
    // atomically and reports `saved(path)` as completed().
    void saveFile(const QString &title, const QString &objectName, const QString &suggestedName,
                  const QByteArray &bytes, const std::function<QString(const QString &path)> &saved);

    WorkspaceSession *m_session;
    Identity *m_identity;
    ActionRegistry *m_actions;
    LedgerEventModel *m_model;
    QComboBox *m_typeFilter;
    QComboBox *m_actorFilter;
    QLineEdit *m_textFilter;
    QLabel *m_count;
    QFrame *m_unsignedNotice;
    VerifyPanel *m_verify;
    QTableView *m_table;
    QPlainTextEdit *m_detail;
    QTimer *m_reload;
    BackgroundJob *m_load;
};

} // namespace custody
