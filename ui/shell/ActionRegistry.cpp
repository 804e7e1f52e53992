#include "shell/ActionRegistry.h"

#include <QAction>

namespace custody {

ActionRegistry::ActionRegistry(QObject *parent) : QObject(parent) { }

QAction *ActionRegistry::add(const QString &name, const QString &text, const QKeySequence &shortcut)
{
    Q_ASSERT(!m_byName.contains(name));
    auto *action = new QAction(text, this);
    action->setObjectName(name);
    if (!shortcut.isEmpty())
        action->setShortcut(shortcut);
    m_byName.insert(name, action);
    m_ordered.append(action);
    return action;
}

QAction *ActionRegistry::add(const QString &name, const QString &text, QKeySequence::StandardKey shortcut)
{
    QAction *action = add(name, text);
    action->setShortcuts(shortcut);
    return action;
}

QAction *ActionRegistry::action(const QString &name) const
{
    return m_byName.value(name);
}

} // namespace custody
