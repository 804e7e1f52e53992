#pragma once

#include <QHash>
#include <QKeySequence>
#include <QList>
#include <QObject>
#include <QString>

class QAction;

namespace custody {

// Every action of a window in one place, by objectName: menus and tool bars are built from it, shortcuts are
// declared once, and tests trigger actions by name the way a person would use them.
class ActionRegistry : public QObject
{
    Q_OBJECT
public:
    explicit ActionRegistry(QObject *parent = nullptr);

    // `name` becomes the action's objectName; it must be unique within the registry.
    QAction *add(const QString &name, const QString &text, const QKeySequence &shortcut = {});
    QAction *add(const QString &name, const QString &text, QKeySequence::StandardKey shortcut);

    QAction *action(const QString &name) const;
    QList<QAction *> actions() const { return m_ordered; }

private:
    QHash<QString, QAction *> m_byName;
    QList<QAction *> m_ordered;
};

} // namespace custody
