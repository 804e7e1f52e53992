#pragma once

#include "shell/Page.h"

#include <QList>
#include <QMainWindow>

#include <memory>

class QLabel;
class QMenu;
class QStackedWidget;

namespace custody {

class ActionRegistry;
struct DemoOptions;
class Identity;
class IdentityStatus;
class IntegrityBanner;
class MessageBar;
class RecentWorkspaces;
class WelcomePage;
class WorkspaceSession;

// The window: menus and tool bar built from one action registry, a status line (with the signing identity), an
// integrity banner and an inline message bar, and one page at a time: its own welcome page, or one of the pages
// it registers (Page: the window builds their show actions and routes their messages in one loop, and knows
// nothing else of them). Pages and dialogs do the work; this class only routes.
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
    const QList<Page *> &registeredPages() const { return m_registered; }
    // The registered page of type T (for tests and benchmarks; the window itself goes by Page).
    template<typename T>
    T *page() const
    {
        for (Page *p : m_registered)
            if (auto *t = qobject_cast<T *>(p))
                return t;
        return nullptr;
    }
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
    void registerPage(Page *page);
    void showPage(Page *page, const PageRequest &request);
    Page *pageById(const char *id) const;
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
    QList<Page *> m_registered;
    IntegrityBanner *m_integrity;
    IdentityStatus *m_identityStatus = nullptr;
    QMenu *m_recentMenu = nullptr;
    QLabel *m_statusPath;
    QLabel *m_statusVersions;
};

} // namespace custody
