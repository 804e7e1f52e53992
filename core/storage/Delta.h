#pragma once

#include "storage/DatasetVersion.h"

#include <QJsonObject>
#include <QList>
#include <QStringList>

#include <atomic>

namespace custody {

class Workspace;

// Records with identical content under different ids inside one version.
struct DuplicateGroup
{
    QStringList ids;
    QStringList labels; // aligned with ids; empty string for a record without label
    bool conflictingLabels = false;
};

// What changed from version A to version B, by record id.
struct Delta
{
    QStringList added;      // in B only
    QStringList removed;    // in A only
    QStringList modified;   // same id, different content (the label may have changed too)
    QStringList relabelled; // same id and content, different label
    QList<DuplicateGroup> duplicates; // inside B
    // An id removed from A and an id added in B that are the same text after Unicode normalisation (NFC
    // "café" and NFD "café"): most likely one record whose id was re-encoded, listed here as well as in
    // removed and added.
    QList<QPair<QString, QString>> normalisationTwins; // (removed, added)

    int conflictingDuplicateGroups() const;
    QJsonObject toJson() const;
};

// Ids of one version that differ as bytes but are equal after Unicode normalisation (NFC): groups of two or
// more, for verify's warnings.
QList<QStringList> normalisationCollisions(Workspace &workspace, qint64 versionId, QString *error);

// `cancel` is checked between the passes (and while collecting duplicate groups); a cancelled delta returns
// false with "cancelled".
bool computeDelta(Workspace &workspace, const DatasetVersion &a, const DatasetVersion &b, Delta *delta,
                  QString *error, const std::atomic_bool *cancel = nullptr);

} // namespace custody
