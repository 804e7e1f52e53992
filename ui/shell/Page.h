#pragma once

#include <QIcon>
#include <QKeySequence>
#include <QMenuBar>
#include <QString>
#include <QWidget>

namespace custody {

// What a page is opened on: a version (0: none chosen), and where the page lists records, a record.
struct PageRequest
{
    qint64 versionId = 0;
    QString recordId;
};

// What the main window knows of a page, in the spirit of Tiled's Editor: the action that shows it and how to
// open it on a version. MainWindow registers its pages and loops over them: it builds each show action (the
// page's id as objectName, its title, icon and shortcut), enables it while the open workspace has what the page
// needs, routes the page's messages to the message bar, and brings the page to the front when it asks. It knows
// nothing else of any page, and no page knows another.
class Page : public QWidget
{
    Q_OBJECT
public:
    using QWidget::QWidget;

    virtual QString pageId() const = 0; // the objectName of the action that shows the page (ActionIds.h)
    virtual QString title() const = 0;  // the show action's text, with its mnemonic
    virtual QIcon icon() const = 0;
    virtual QKeySequence shortcut() const = 0;
    // What the page needs from the session to be shown: an open workspace with at least this many versions.
    virtual int versionsNeeded() const { return 0; }
    // Called right after the window brought the page to the front.
    virtual void activate(const PageRequest &request) = 0;
    // Menus of the page's own (the Findings page's Review menu), placed after the window's View menu.
    virtual void addMenus(QMenuBar *menuBar) { Q_UNUSED(menuBar) }

Q_SIGNALS:
    // The page asks to be brought to the front (one of its own actions, a link), opened on `request`.
    void showRequested(const custody::PageRequest &request);
    void errorOccurred(const QString &message);
    void completed(const QString &message);
};

} // namespace custody
