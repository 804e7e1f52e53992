#include "shell/MainWindow.h"

#include "shell/AboutDialog.h"
#include "shell/ActionIds.h"
#include "shell/ActionRegistry.h"
#include "compare/ComparePage.h"
#include "shell/DemoBuildDialog.h"
#include "drift/DriftPage.h"
#include "findings/FindingsPage.h"
#include "identity/Identity.h"
#include "identity/IdentityChooser.h"
#include "identity/IdentitySetupDialog.h"
#include "identity/IdentityStatus.h"
#include "ingest/IngestDialog.h"
#include "widgets/IntegrityBanner.h"
#include "ledger/LedgerPage.h"
#include "widgets/MessageBar.h"
#include "ledger/PrincipalsDialog.h"
#include "shell/RecentWorkspaces.h"
#include "signoff/SignOffPage.h"
#include "versions/VersionsPage.h"
#include "shell/WelcomePage.h"
#include "session/WorkspaceSession.h"
#include "demo/DemoWorkspace.h"
#include "ledger/Ledger.h"
#include "storage/Workspace.h"

#include <QAction>
#include <QCloseEvent>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMimeData>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>
#include <QVBoxLayout>

// Resources live in the static ui library; a static library's initialiser must be pulled in by name.
static void initCustodyResources()
{
    Q_INIT_RESOURCE(custody);
}

namespace custody {

namespace {
QString droppedFolder(const QMimeData *mime)
{
    if (!mime || !mime->hasUrls() || mime->urls().isEmpty())
        return {};
    const QUrl url = mime->urls().constFirst();
    return url.isLocalFile() && QFileInfo(url.toLocalFile()).isDir() ? url.toLocalFile() : QString();
}
} // namespace

QIcon MainWindow::applicationIcon()
{
    initCustodyResources();
    return QIcon(QStringLiteral(":/custody/icons/custody.svg"));
}

MainWindow::MainWindow(QWidget *parent) : MainWindow(KeyStore::defaultDirectory(), parent) { }

MainWindow::MainWindow(const QString &keyStoreDirectory, QWidget *parent)
    : QMainWindow(parent), m_identity(new Identity(keyStoreDirectory, this)), m_actions(new ActionRegistry(this)),
      m_recent(std::make_unique<RecentWorkspaces>()), m_session(new WorkspaceSession(this)), m_messages(new MessageBar),
      m_pages(new QStackedWidget), m_integrity(new IntegrityBanner), m_statusPath(new QLabel),
      m_statusVersions(new QLabel)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(applicationIcon());
    setAcceptDrops(true);
    createActions();

    m_welcome = new WelcomePage(m_actions, m_recent.get());
    m_pages->setObjectName(QStringLiteral("pages"));
    m_pages->addWidget(m_welcome);
    // The pages, in the order of the View menu and the tool bar.
    registerPage(new VersionsPage(m_session, m_actions->action(QLatin1String(ActionId::Ingest)),
                                  m_actions->action(QLatin1String(ActionId::Find))));
    registerPage(new FindingsPage(m_session, m_identity, m_actions));
    registerPage(new ComparePage(m_session));
    registerPage(new SignOffPage(m_session, m_identity, m_actions));
    registerPage(new LedgerPage(m_session, m_identity, m_actions));
    registerPage(new DriftPage(m_session, m_identity));
    createMenus();
    for (QAction *action : m_actions->actions())
        addAction(action); // shortcuts work whichever page has focus, the pages' own actions included

    auto *central = new QWidget;
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 0);
    layout->setSpacing(4);
    layout->addWidget(m_integrity);
    layout->addWidget(m_messages);
    layout->addWidget(m_pages, 1);
    setCentralWidget(central);

    m_statusPath->setObjectName(QStringLiteral("statusWorkspacePath"));
    m_statusPath->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_statusVersions->setObjectName(QStringLiteral("statusVersionCount"));
    m_identityStatus = new IdentityStatus(m_identity, m_session);
    connect(m_identityStatus, &QToolButton::clicked, this, &MainWindow::chooseIdentity);
    statusBar()->addWidget(m_statusPath, 1);
    statusBar()->addPermanentWidget(m_identityStatus);
    statusBar()->addPermanentWidget(m_statusVersions);

    connect(m_welcome, &WelcomePage::openRequested, this, [this](const QString &dir) { openWorkspace(dir); });
    connect(m_session, &WorkspaceSession::versionsChanged, this, [this] {
        updateStatus();
        updateActions();
    });
    connect(m_session, &WorkspaceSession::closed, this, [this] {
        updateStatus();
        updateActions();
    });
    connect(m_session, &WorkspaceSession::ledgerChanged, this, &MainWindow::updateActions);

    setWindowTitle(tr("Custody"));
    if (!restoreGeometry(QSettings().value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1280, 820);
    updateStatus();
    updateActions();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    ActionRegistry *a = m_actions;
    connect(a->add(QLatin1String(ActionId::NewWorkspace), tr("&New Workspace…"), QKeySequence::New),
            &QAction::triggered, this, &MainWindow::chooseWorkspaceToCreate);
    connect(a->add(QLatin1String(ActionId::OpenWorkspace), tr("&Open Workspace…"), QKeySequence::Open),
            &QAction::triggered, this, &MainWindow::chooseWorkspaceToOpen);
    // Only offered where it can work: the demo is made from the Fashion-MNIST files.
    if (QFileInfo(DemoOptions().fashionMnistDir).isDir() || QFileInfo(defaultDemoWorkspacePath()).isDir())
        connect(a->add(QLatin1String(ActionId::OpenDemo), tr("Open &Demo Workspace")), &QAction::triggered, this,
                [this] { openDemoWorkspace(); });
    connect(a->add(QLatin1String(ActionId::CloseWorkspace), tr("&Close Workspace"), QKeySequence::Close),
            &QAction::triggered, this, &MainWindow::closeWorkspace);
    QAction *quit = a->add(QLatin1String(ActionId::Quit), tr("&Quit"), QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    connect(a->add(QLatin1String(ActionId::Ingest), tr("&Ingest…"), QKeySequence(Qt::CTRL | Qt::Key_I)),
            &QAction::triggered, this, &MainWindow::startIngest);
    a->add(QLatin1String(ActionId::Find), tr("&Find Records"), QKeySequence::Find); // the Versions page connects it
    connect(a->add(QLatin1String(ActionId::Reload), tr("&Reload"), QKeySequence(Qt::Key_F5)), &QAction::triggered,
            this, &MainWindow::reload);
    // The ledger page connects and enables these itself; showing the page first keeps the result in view.
    for (const auto &[name, text] : {std::pair{ActionId::Verify, tr("&Verify Workspace")},
                                     std::pair{ActionId::ExportCheckpoint, tr("Export &Checkpoint…")},
                                     std::pair{ActionId::ExportAttestation, tr("Export &Attestation…")},
                                     std::pair{ActionId::MakeSigned, tr("&Make Workspace Signed…")}})
        connect(a->add(QLatin1String(name), text), &QAction::triggered, this,
                [this] { showPage(pageById(ActionId::ShowLedger), {}); });
    connect(a->add(QLatin1String(ActionId::ManagePrincipals), tr("&Principals…")), &QAction::triggered, this,
            &MainWindow::managePrincipals);
    connect(a->add(QLatin1String(ActionId::ChooseIdentity), tr("&Choose Identity…")), &QAction::triggered, this,
            &MainWindow::chooseIdentity);
    connect(a->add(QLatin1String(ActionId::NewIdentity), tr("&New Identity…")), &QAction::triggered, this,
            &MainWindow::setUpIdentity);
    QAction *about = a->add(QLatin1String(ActionId::About), tr("&About Custody"));
    about->setMenuRole(QAction::AboutRole);
    connect(about, &QAction::triggered, this, &MainWindow::showAbout);

    // Theme icons where the desktop has them, the style's own otherwise.
    const struct
    {
        const char *action;
        const char *theme;
        QStyle::StandardPixmap fallback;
    } icons[] = {
        {ActionId::NewWorkspace, "folder-new", QStyle::SP_FileDialogNewFolder},
        {ActionId::OpenWorkspace, "document-open", QStyle::SP_DialogOpenButton},
        {ActionId::Ingest, "list-add", QStyle::SP_ArrowDown},
        {ActionId::Verify, "security-high", QStyle::SP_DialogYesButton},
        {ActionId::ExportCheckpoint, "document-save", QStyle::SP_DialogSaveButton},
        {ActionId::ExportAttestation, "document-export", QStyle::SP_DialogSaveButton},
        {ActionId::MakeSigned, "document-sign", QStyle::SP_DialogApplyButton},
        {ActionId::Reload, "view-refresh", QStyle::SP_BrowserReload},
        {ActionId::CloseWorkspace, "document-close", QStyle::SP_DialogCloseButton},
        {ActionId::About, "help-about", QStyle::SP_MessageBoxInformation},
    };
    for (const auto &icon : icons)
        m_actions->action(QLatin1String(icon.action))
            ->setIcon(QIcon::fromTheme(QLatin1String(icon.theme), style()->standardIcon(icon.fallback)));
}

void MainWindow::createMenus()
{
    const auto act = [this](const char *name) { return m_actions->action(QLatin1String(name)); };
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(act(ActionId::NewWorkspace));
    file->addAction(act(ActionId::OpenWorkspace));
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_recentMenu->setObjectName(QStringLiteral("menu_recent"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
    if (QAction *demo = act(ActionId::OpenDemo))
        file->addAction(demo);
    file->addAction(act(ActionId::CloseWorkspace));
    file->addSeparator();
    file->addAction(act(ActionId::Quit));

    QMenu *dataset = menuBar()->addMenu(tr("&Dataset"));
    dataset->addAction(act(ActionId::Ingest));
    dataset->addAction(act(ActionId::Find));

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (Page *page : std::as_const(m_registered))
        view->addAction(m_actions->action(page->pageId()));
    view->addSeparator();
    view->addAction(act(ActionId::Reload));

    for (Page *page : std::as_const(m_registered))
        page->addMenus(menuBar());

    QMenu *ledger = menuBar()->addMenu(tr("&Ledger"));
    ledger->addAction(act(ActionId::Verify));
    ledger->addAction(act(ActionId::ExportCheckpoint));
    ledger->addAction(act(ActionId::ExportAttestation));
    ledger->addSeparator();
    ledger->addAction(act(ActionId::MakeSigned));
    ledger->addAction(act(ActionId::ManagePrincipals));

    QMenu *identity = menuBar()->addMenu(tr("&Identity"));
    identity->addAction(act(ActionId::ChooseIdentity));
    identity->addAction(act(ActionId::NewIdentity));

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(act(ActionId::About));

    QToolBar *tools = addToolBar(tr("Main"));
    tools->setObjectName(QStringLiteral("mainToolBar"));
    tools->setMovable(false);
    tools->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    tools->addAction(act(ActionId::OpenWorkspace));
    tools->addSeparator();
    for (Page *page : std::as_const(m_registered))
        tools->addAction(m_actions->action(page->pageId()));
    tools->addSeparator();
    tools->addAction(act(ActionId::Ingest));
    tools->addSeparator();
    tools->addAction(act(ActionId::Reload));
}

void MainWindow::fillRecentMenu()
{
    m_recentMenu->clear();
    const QStringList paths = m_recent->paths();
    for (int i = 0; i < paths.size(); ++i) {
        QAction *action = m_recentMenu->addAction(QDir::toNativeSeparators(paths.at(i)));
        action->setObjectName(QStringLiteral("action_open_recent_%1").arg(i));
        const QString path = paths.at(i);
        connect(action, &QAction::triggered, this, [this, path] { openWorkspace(path); });
    }
    if (paths.isEmpty())
        m_recentMenu->addAction(tr("No recent workspaces"))->setEnabled(false);
}

bool MainWindow::openWorkspace(const QString &dir)
{
    QString error;
    if (!m_session->open(dir, &error)) {
        m_messages->showError(error);
        return false;
    }
    m_messages->hideMessage();
    m_recent->add(m_session->path());
    m_welcome->refresh();
    showPage(pageById(ActionId::ShowVersions), {});
    if (m_session->isReadOnly() && m_session->integrityProblem().isEmpty())
        m_messages->showInformation(tr("This workspace is open read-only."));
    else if (const QStringList notices = m_session->workspace()->notices(); !notices.isEmpty())
        m_messages->showInformation(notices.join(QLatin1Char('\n'))); // a copy of it elsewhere, or a fork
    return true;
}

bool MainWindow::createWorkspace(const QString &dir)
{
    QString error;
    if (!m_session->create(dir, &error)) {
        m_messages->showError(error);
        return false;
    }
    m_messages->showMessage(tr("Created the workspace %1. Ingest a dataset to make its first version.")
                                .arg(QDir::toNativeSeparators(m_session->path())),
                            MessageBar::Kind::Positive);
    m_recent->add(m_session->path());
    m_welcome->refresh();
    showPage(pageById(ActionId::ShowVersions), {});
    return true;
}

void MainWindow::openDemoWorkspace()
{
    openDemoWorkspace(defaultDemoWorkspacePath(), DemoOptions());
}

void MainWindow::openDemoWorkspace(const QString &dir, const DemoOptions &options)
{
    if (Workspace::looksLikeWorkspace(dir)) {
        openWorkspace(dir);
        return;
    }
    auto *dialog = new DemoBuildDialog(dir, options, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &DemoBuildDialog::built, this, [this](const QString &built) { openWorkspace(built); });
    connect(dialog, &DemoBuildDialog::failed, m_messages, &MessageBar::showError);
    dialog->open();
    dialog->start();
}

void MainWindow::chooseWorkspaceToOpen()
{
    auto *dialog = new QFileDialog(this, tr("Open a workspace folder"));
    dialog->setObjectName(QStringLiteral("openWorkspaceDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::Directory);
    dialog->setOption(QFileDialog::ShowDirsOnly);
    connect(dialog, &QFileDialog::fileSelected, this, &MainWindow::openWorkspace);
    dialog->open(); // not exec(): no nested event loop
}

void MainWindow::chooseWorkspaceToCreate()
{
    auto *dialog = new QFileDialog(this, tr("Choose an empty folder for the new workspace"));
    dialog->setObjectName(QStringLiteral("newWorkspaceDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::Directory);
    dialog->setOption(QFileDialog::ShowDirsOnly);
    connect(dialog, &QFileDialog::fileSelected, this, &MainWindow::createWorkspace);
    dialog->open();
}

void MainWindow::startIngest()
{
    if (!m_session->isOpen())
        return;
    auto *dialog = new IngestDialog(m_session, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (m_identity->isSet())
        dialog->setSigner(m_identity->keyStoreDirectory(), m_identity->keyName(),
                          tr("%1 (key %2)").arg(m_identity->keyName(), m_identity->shortKeyId()));
    connect(dialog, &IngestDialog::ingested, this, [this](qint64 versionId, const QStringList &skipped) {
        QString error;
        if (!m_session->reload(&error))
            m_messages->showError(error);
        showPage(pageById(ActionId::ShowVersions), PageRequest{versionId, {}});
        if (const auto v = m_session->findVersion(versionId)) {
            const QString done = tr("Ingested %1: %2 records.").arg(v->ref.toString(), QLocale().toString(v->recordCount));
            // What was left out is said, not hidden behind a success.
            if (skipped.isEmpty())
                m_messages->showMessage(done, MessageBar::Kind::Positive);
            else
                m_messages->showInformation(done + QLatin1Char('\n') + tr("Not ingested: %1").arg(skipped.join(QStringLiteral("; "))));
        }
    });
    dialog->open();
}

void MainWindow::registerPage(Page *page)
{
    m_registered.append(page);
    m_pages->addWidget(page);
    QAction *show = m_actions->add(page->pageId(), page->title(), page->shortcut());
    show->setIcon(page->icon());
    connect(show, &QAction::triggered, this,
            [this, page] { showPage(page, PageRequest{m_session->currentVersionId(), {}}); });
    connect(page, &Page::showRequested, this, [this, page](const PageRequest &request) { showPage(page, request); });
    connect(page, &Page::errorOccurred, m_messages, &MessageBar::showError);
    connect(page, &Page::completed, this,
            [this](const QString &text) { m_messages->showMessage(text, MessageBar::Kind::Positive); });
}

void MainWindow::showPage(Page *page, const PageRequest &request)
{
    if (!page || !m_session->isOpen() || m_session->versions().size() < page->versionsNeeded())
        return;
    m_pages->setCurrentWidget(page);
    page->activate(request);
}

Page *MainWindow::pageById(const char *id) const
{
    for (Page *page : m_registered)
        if (page->pageId() == QLatin1String(id))
            return page;
    return nullptr;
}

void MainWindow::chooseIdentity()
{
    if (m_identity->keys().isEmpty()) {
        setUpIdentity();
        return;
    }
    auto *dialog = new IdentityChooser(m_identity, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::setUpIdentity()
{
    auto *dialog = new IdentitySetupDialog(m_identity, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &IdentitySetupDialog::identityCreated, this, [this](const QString &name) {
        m_messages->showMessage(tr("You sign as '%1' now. Give an admin your public key, %2, to be registered in a "
                                   "signed workspace.")
                                    .arg(name, QDir::toNativeSeparators(m_identity->keyStore().publicKeyPath(name))),
                                MessageBar::Kind::Positive);
    });
    dialog->open();
}

void MainWindow::managePrincipals()
{
    if (!m_session->isOpen())
        return;
    auto *dialog = new PrincipalsDialog(m_session, m_identity, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::showAbout()
{
    auto *dialog = new AboutDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowIcon(windowIcon());
    dialog->open();
}

void MainWindow::reload()
{
    QString error;
    if (m_session->isOpen() && !m_session->reload(&error))
        m_messages->showError(error);
}

void MainWindow::closeWorkspace()
{
    m_session->close();
    m_welcome->refresh();
    m_pages->setCurrentWidget(m_welcome);
}

void MainWindow::updateActions()
{
    const bool open = m_session->isOpen();
    const bool writable = open && !m_session->isReadOnly();
    const bool isSigned = open && Ledger(*m_session->workspace()).state().isSigned();
    const qsizetype versions = m_session->versions().size();
    const auto enable = [this](const char *name, bool on) { m_actions->action(QLatin1String(name))->setEnabled(on); };
    enable(ActionId::CloseWorkspace, open);
    enable(ActionId::Ingest, writable);
    enable(ActionId::ManagePrincipals, isSigned);
    m_integrity->setProblem(m_session->integrityProblem());
    enable(ActionId::Reload, open);
    enable(ActionId::Find, open && versions > 0);
    for (Page *page : std::as_const(m_registered))
        m_actions->action(page->pageId())->setEnabled(open && versions >= page->versionsNeeded());
}

void MainWindow::updateStatus()
{
    if (!m_session->isOpen()) {
        m_statusPath->setText(tr("No workspace open"));
        m_statusVersions->clear();
        setWindowTitle(tr("Custody"));
        setWindowFilePath(QString());
        return;
    }
    m_statusPath->setText(QDir::toNativeSeparators(m_session->path()));
    const qsizetype n = m_session->versions().size();
    m_statusVersions->setText(n == 1 ? tr("1 version") : tr("%1 versions").arg(n));
    setWindowTitle(tr("%1 — Custody").arg(QFileInfo(m_session->path()).fileName()));
    setWindowFilePath(m_session->path());
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (!droppedFolder(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QString dir = droppedFolder(event->mimeData());
    if (dir.isEmpty())
        return;
    event->acceptProposedAction();
    openWorkspace(dir);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings().setValue(QStringLiteral("window/geometry"), saveGeometry());
    QMainWindow::closeEvent(event);
}

} // namespace custody
