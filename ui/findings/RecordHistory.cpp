#include "findings/RecordHistory.h"

#include "storage/RecordQuery.h"

#include <QCoreApplication>

#include <algorithm>
#include <optional>

namespace custody {

QList<RecordHistory::Step> RecordHistory::read(Workspace &workspace, QList<DatasetVersion> versions,
                                               const QString &recordId, QString *error)
{
    // Ids are assigned in creation order: that is the order a person reads a timeline in.
    std::sort(versions.begin(), versions.end(), [](const DatasetVersion &a, const DatasetVersion &b) { return a.id < b.id; });
    const auto tr = [](const char *text) { return QCoreApplication::translate("RecordHistory", text); };
    QList<Step> out;
    RecordQuery query(workspace);
    std::optional<RecordRow> previous;
    for (const DatasetVersion &v : std::as_const(versions)) {
        QString missing;
        const std::optional<RecordRow> r = query.byId(v.id, recordId, &missing);
        if (!r)
            continue; // not in this version (or unreadable: the version's own view says so)
        Step step;
        step.version = v.ref.toString();
        step.versionId = v.id;
        step.label = r->label;
        step.hasLabel = r->hasLabel;
        if (!previous) {
            step.change = tr("first seen");
        } else {
            step.contentChanged = previous->contentHash != r->contentHash;
            const bool relabelled = previous->label != r->label || previous->hasLabel != r->hasLabel;
            if (step.contentChanged && relabelled)
                step.change = tr("content changed, relabelled");
            else if (step.contentChanged)
                step.change = tr("content changed");
            else if (relabelled)
                step.change = tr("relabelled");
            else
                step.change = tr("unchanged");
        }
        previous = r;
        out.append(step);
    }
    if (out.isEmpty() && error)
        *error = tr("No version of this dataset holds a record '%1'.").arg(recordId);
    return out;
}

} // namespace custody
