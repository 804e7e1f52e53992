#pragma once

#include "hashing/Sha256.h"

#include <QList>
#include <QString>

#include <optional>

namespace custody {

class Ledger;

// What this user last saw of each workspace *location* (its canonical path): the workspace identity found
// there and the ledger's size and Merkle root, kept outside the workspace (in
// $XDG_CONFIG_HOME/custody/checkpoints/) so that someone who can write the workspace folder cannot also
// rewrite what it is compared against. At one location, a ledger with fewer events than remembered was
// truncated or rolled back (an older copy of the database restored), and one whose first N events no longer
// hash to the remembered root was rewritten. Two locations holding one identity are copies of each other;
// when their ledgers no longer extend one another they are a fork, which is reported as such (an admin gives
// an intended copy its own identity with `custody-cli init --adopt-copy`). Beside each record lives the
// location's verified-state replay (VerifiedState) and, after a write found the derived tables forged, the
// reason the workspace needs verify.
class CheckpointStore
{
public:
    struct Checkpoint
    {
        QString location;    // canonical path ("" for a record from before locations were kept)
        QString workspaceId;
        qint64 treeSize = 0;
        Digest root{};
        QString time;
        QString needsVerify; // why a write was refused, until a clean verify
        // Identities this location held before (an adoption gave it a new one), with what was seen of each.
        QList<Checkpoint> previous;
        bool isPrevious = false; // from copiesOf(): one of `previous`, not what the location holds now
    };

    explicit CheckpointStore(const QString &folder = directory()) : m_dir(folder) { }
    static QString defaultDirectory();
    // The folder every open, write and verify of this process uses ("" remembers nothing; tests set it).
    static void setDirectory(const QString &directory);
    static QString directory();
    static QString locationOf(const QString &workspacePath);

    bool isEnabled() const { return !m_dir.isEmpty(); }
    // This location's record; for a location never recorded, a record of `workspaceId` kept by an older
    // Custody (keyed by identity alone).
    std::optional<Checkpoint> load(const QString &location, const QString &workspaceId) const;
    // Records of other locations holding `workspaceId`, or having held it before an adoption (isPrevious).
    QList<Checkpoint> copiesOf(const QString &workspaceId, const QString &exceptLocation) const;
    // Why the record of `location` exists but cannot be used (not a file, too big, malformed); empty when it is
    // fine or absent. Said to the person, since the protection it gave is gone.
    QString unreadable(const QString &location) const;
    bool remember(const Checkpoint &checkpoint, QString *error) const;
    // Remembers the ledger at `location` as it is now, unless the record there is of the same identity and
    // larger already. Keeps a needs-verify mark unless `verified`.
    bool rememberCurrent(Ledger &ledger, const QString &location, QString *error, bool verified = false) const;
    bool markNeedsVerify(Ledger &ledger, const QString &location, const QString &reason) const;
    QString stateCachePath(const QString &location) const;

    // Empty when `ledger` extends `checkpoint`; otherwise a sentence saying how it diverged.
    static QString inconsistency(Ledger &ledger, const Checkpoint &checkpoint);
    // For a ledger that adopted `seen`'s identity (a workspace.adopted event naming it): empty when it adopted it
    // no earlier than `seen` (its events before the adoption extend what was seen); otherwise why not.
    static QString adoptedTooEarly(Ledger &ledger, const Checkpoint &seen);
    // Whether the ledger holds an adoption of the identity `workspaceId` (it descends from that workspace).
    static bool adoptedFrom(Ledger &ledger, const QString &workspaceId);

private:
    QString recordPath(const QString &location) const;
    std::optional<Checkpoint> read(const QString &file, QString *why = nullptr) const;
    std::optional<Checkpoint> readRecord(const QString &file, QString *why) const;
    QString m_dir;
};

} // namespace custody
