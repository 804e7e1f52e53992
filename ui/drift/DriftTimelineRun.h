#pragma once

#include "drift/DriftTimelineChart.h"
#include "session/BackgroundJob.h"
#include "storage/DatasetVersion.h"

#include <QList>
#include <QString>

#include <vector>

namespace custody {

// One feature's drift across a dataset's versions, each version against the one before it: the data of the
// drift dashboard's timeline tab.
struct DriftTimeline
{
    bool ok = true;
    bool cancelled = false;
    QString error;
    std::vector<DriftTimelineChart::Step> steps;
};

// Runs on a BackgroundJob's worker: one marginal drift run per pair, with progress over all the pairs.
DriftTimeline computeDriftTimeline(const QString &workspacePath, const QList<VersionRef> &versions,
                                   const QString &feature, const BackgroundJob::Context &job);

} // namespace custody
