#include "shell/WelcomePage.h"

#include "shell/ActionIds.h"

#include "shell/ActionRegistry.h"
#include "shell/RecentWorkspaces.h"

#include <QAction>
#include <QIcon>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace custody {

namespace {
constexpr int kPathRole = Qt::UserRole + 1;
}

WelcomePage::WelcomePage(ActionRegistry *actions, RecentWorkspaces *recent, QWidget *parent)
    : QWidget(parent), m_recentWorkspaces(recent), m_recent(new QListWidget), m_recentEmpty(new QLabel)
{
    setObjectName(QStringLiteral("welcomePage"));

    auto *title = new QLabel(tr("Custody"));
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 2);
    titleFont.setBold(true);
    title->setFont(titleFont);
    auto *icon = new QLabel;
    icon->setPixmap(QIcon(QStringLiteral(":/custody/icons/custody.svg")).pixmap(64, 64));
    auto *subtitle = new QLabel(tr("Keeps machine-learning training data trustworthy: every dataset version is "
                                   "content-hashed, immutable and traceable to its source."));
    subtitle->setWordWrap(true);

    auto *buttons = new QHBoxLayout;
    const auto button = [&](const QString &actionName, const QString &objectName) {
        QAction *action = actions->action(actionName);
        auto *b = new QPushButton(action->icon(), action->text());
        b->setObjectName(objectName);
        b->setMinimumHeight(36);
        connect(b, &QPushButton::clicked, action, &QAction::trigger);
        b->setVisible(action->isVisible());
        buttons->addWidget(b);
        return b;
    };
    button(QLatin1String(ActionId::NewWorkspace), QStringLiteral("welcomeNewButton"));
    button(QLatin1String(ActionId::OpenWorkspace), QStringLiteral("welcomeOpenButton"));
    if (actions->action(QLatin1String(ActionId::OpenDemo)))
        button(QLatin1String(ActionId::OpenDemo), QStringLiteral("welcomeDemoButton"));
    buttons->addStretch(1);

    auto *recentTitle = new QLabel(tr("Recent workspaces"));
    QFont bold = recentTitle->font();
    bold.setBold(true);
    recentTitle->setFont(bold);
    m_recent->setObjectName(QStringLiteral("recentList"));
    m_recent->setUniformItemSizes(true);
    m_recent->setAlternatingRowColors(true);
    m_recentEmpty->setText(tr("Workspaces you open appear here. You can also drop a workspace folder on this "
                              "window."));
    m_recentEmpty->setWordWrap(true);
    m_recentEmpty->setEnabled(false);
    connect(m_recent, &QListWidget::itemActivated, this,
            [this](QListWidgetItem *item) { Q_EMIT openRequested(item->data(kPathRole).toString()); });

    auto *column = new QVBoxLayout;
    auto *header = new QHBoxLayout;
    header->addWidget(icon);
    header->addWidget(title, 1);
    column->addLayout(header);
    column->addWidget(subtitle);
    column->addSpacing(12);
    column->addLayout(buttons);
    column->addSpacing(18);
    column->addWidget(recentTitle);
    column->addWidget(m_recentEmpty);
    column->addWidget(m_recent, 100);
    column->addStretch(1); // takes the room when the list is hidden, so the page stays top-aligned

    auto *outer = new QHBoxLayout(this);
    outer->setContentsMargins(24, 32, 24, 24);
    outer->addStretch(1);
    outer->addLayout(column, 4);
    outer->addStretch(1);
    refresh();
}

void WelcomePage::refresh()
{
    m_recent->clear();
    for (const QString &path : m_recentWorkspaces->paths()) {
        const QString name = QFileInfo(path).fileName();
        auto *item = new QListWidgetItem(QStringLiteral("%1\n%2").arg(name, QDir::toNativeSeparators(path)),
                                         m_recent);
        item->setData(kPathRole, path);
        item->setToolTip(path);
    }
    m_recent->setVisible(m_recent->count() > 0);
    m_recentEmpty->setVisible(m_recent->count() == 0);
}

} // namespace custody
