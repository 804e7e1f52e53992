#include "shell/RecentWorkspaces.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace custody {

namespace {
const char *const kKey = "workspaces/recent";

QString normalised(const QString &path)
{
    return QDir::cleanPath(QFileInfo(path).absoluteFilePath());
}
} // namespace

QStringList RecentWorkspaces::paths() const
{
    const QStringList stored = QSettings().value(QLatin1String(kKey)).toStringList();
    QStringList existing;
    for (const QString &path : stored) {
        if (QFileInfo(path).isDir() && !existing.contains(path))
            existing.append(path);
    }
    if (existing != stored)
        store(existing);
    return existing;
}

void RecentWorkspaces::add(const QString &path)
{
    const QString clean = normalised(path);
    QStringList list = paths();
    list.removeAll(clean);
    list.prepend(clean);
    while (list.size() > kMaximum)
        list.removeLast();
    store(list);
}

void RecentWorkspaces::remove(const QString &path)
{
    QStringList list = paths();
    if (list.removeAll(normalised(path)) > 0)
        store(list);
}

void RecentWorkspaces::clear()
{
    store({});
}

void RecentWorkspaces::store(const QStringList &paths) const
{
    QSettings settings;
    settings.setValue(QLatin1String(kKey), paths);
}

} // namespace custody
