#pragma once

#include <QWidget>

class QListWidget;
class QListWidgetItem;
class QLabel;

namespace custody {

class ActionRegistry;
class RecentWorkspaces;

// Where a person starts: make a workspace, open one, pick up a recent one. A workspace folder can also be
// dropped anywhere on the window.
class WelcomePage : public QWidget
{
    Q_OBJECT
public:
    WelcomePage(ActionRegistry *actions, RecentWorkspaces *recent, QWidget *parent = nullptr);

    // Re-reads the recent list (folders that vanished are dropped).
    void refresh();
    QListWidget *recentList() const { return m_recent; }

Q_SIGNALS:
    void openRequested(const QString &path);

private:
    RecentWorkspaces *m_recentWorkspaces;
    QListWidget *m_recent;
    QLabel *m_recentEmpty;
};

} // namespace custody
