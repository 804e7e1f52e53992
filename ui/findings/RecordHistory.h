#pragma once

#include "storage/DatasetVersion.h"

#include <QList>
#include <QString>

namespace custody {

class Workspace;

// A record's life across the versions of its dataset: every version holding its id, in order, with its label
// there and what changed since the previous version that held it. A few indexed look-ups (one per version),
// cheap enough for the GUI thread when the inspector shows a record.
class RecordHistory
{
public:
    struct Step
    {
        QString version; // NAME@LABEL
        qint64 versionId = 0;
        QString label;
        bool hasLabel = false;
        QString change; // "first seen", "unchanged", "relabelled", "content changed", "content changed, relabelled"
        bool contentChanged = false;
    };

    // `versions`: the dataset's versions (any order). Versions without the id are skipped.
    static QList<Step> read(Workspace &workspace, QList<DatasetVersion> versions, const QString &recordId,
                            QString *error);
};

} // namespace custody
