#pragma once

#include "hashing/Sha256.h"

#include <QString>

#include <optional>

namespace custody {

class Ledger;

// The last ledger state this user saw for each workspace, kept outside the workspace (in
// $XDG_CONFIG_HOME/custody/checkpoints/WORKSPACE-ID.json) so that someone who can write the workspace folder
// cannot also rewrite what it is compared against. A ledger that has fewer events than remembered was
// truncated or rolled back (an older copy of the database restored); one whose first N events no longer hash
// to the remembered root was forked or rewritten.
class CheckpointStore
{
public:
    struct Checkpoint
    {
        qint64 treeSize = 0;
        Digest root{};
        QString time;
    };

    explicit CheckpointStore(const QString &directory = defaultDirectory()) : m_dir(directory) { }
    static QString defaultDirectory();

    std::optional<Checkpoint> load(const QString &workspaceId) const;
    bool remember(const QString &workspaceId, const Checkpoint &checkpoint, QString *error) const;
    // Remembers the ledger as it is now, unless it is smaller than what is remembered already.
    bool rememberCurrent(Ledger &ledger, QString *error) const;

    // Empty when `ledger` extends `checkpoint`; otherwise a sentence saying how it diverged.
    static QString inconsistency(Ledger &ledger, const Checkpoint &checkpoint);

private:
    QString m_dir;
};

} // namespace custody
