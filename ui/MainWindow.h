#pragma once

#include <QMainWindow>

#include <memory>

class QLabel;
class QMenu;
class QStackedWidget;

namespace custody {

class ActionRegistry;
struct DemoOptions;
class ComparePage;
class DriftPage;
class FindingsPage;
class Identity;
class IdentityStatus;
class IntegrityBanner;
class LedgerPage;
class MessageBar;
class RecentWorkspaces;
class SignOffPage;
class VersionsPage;
class WelcomePage;
class WorkspaceSession;

// The window: menus and tool bar built from one action registry, a status line (with the signing identity), an
// integrity banner and an inline message bar, and one page at a time (welcome, versions, compare, sign-off,
// ledger). Pages and dialogs do the work; this class only routes.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    // Keys from `keyStoreDirectory` instead of the person's own key store (tests).
    explicit MainWindow(const QString &keyStoreDirectory, QWidget *parent = nullptr);
    ~MainWindow() override;

    static QIcon applicationIcon();

    // Open or create a workspace; on failure the core's message is shown in the message bar.
    bool openWorkspace(const QString &dir);
    bool createWorkspace(const QString &dir);
    // Opens the demo workspace, building it first (in the background) when it does not exist yet.
    void openDemoWorkspace();
    void openDemoWorkspace(const QString &dir, const DemoOptions &options);

    ActionRegistry *actionRegistry() const { return m_actions; }
    WorkspaceSession *session() const { return m_session; }
    MessageBar *messageBar() const { return m_messages; }
    QStackedWidget *pages() const { return m_pages; }
    WelcomePage *welcomePage() const { return m_welcome; }
    VersionsPage *versionsPage() const { return m_versions; }
    ComparePage *comparePage() const { return m_compare; }
    SignOffPage *signOffPage() const { return m_signOff; }
    LedgerPage *ledgerPage() const { return m_ledger; }
    DriftPage *driftPage() const { return m_drift; }
    FindingsPage *findingsPage() const { return m_findings; }
    Identity *identity() const { return m_identity; }
    IntegrityBanner *integrityBanner() const { return m_integrity; }

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void createMenus();
    void updateActions();
    void updateStatus();
    void fillRecentMenu();
    void chooseWorkspaceToOpen();
    void chooseWorkspaceToCreate();
    void startIngest();
    void showVersions();
    void showCompare();
    void showSignOff();
    void showLedger();
    void chooseIdentity();
    void setUpIdentity();
    void managePrincipals();
    void showAbout();
    void reload();
    void closeWorkspace();

    Identity *m_identity;
    ActionRegistry *m_actions;
    std::unique_ptr<RecentWorkspaces> m_recent;
    WorkspaceSession *m_session;
    MessageBar *m_messages;
    QStackedWidget *m_pages;
    WelcomePage *m_welcome = nullptr;
    VersionsPage *m_versions = nullptr;
    ComparePage *m_compare = nullptr;
    SignOffPage *m_signOff = nullptr;
    LedgerPage *m_ledger = nullptr;
    DriftPage *m_drift = nullptr;
    FindingsPage *m_findings = nullptr;
    IntegrityBanner *m_integrity;
    IdentityStatus *m_identityStatus = nullptr;
    QMenu *m_recentMenu = nullptr;
    QLabel *m_statusPath;
    QLabel *m_statusVersions;
};

} // namespace custody
