#pragma once

#include <QStringList>

namespace custody {

// The workspaces a person opened lately, most recent first, kept in QSettings. Folders that no longer exist
// are dropped when the list is read, so the welcome page never offers a dead entry.
class RecentWorkspaces
{
public:
    static constexpr int kMaximum = 10;

    QStringList paths() const;
    void add(const QString &path);
    void remove(const QString &path);
    void clear();

private:
    void store(const QStringList &paths) const;
};

} // namespace custody
