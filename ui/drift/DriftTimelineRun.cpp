#include "drift/DriftTimelineRun.h"

#include "analysis/DriftEngine.h"
#include "analysis/DriftReport.h"

namespace custody {

DriftTimeline computeDriftTimeline(const QString &workspacePath, const QList<VersionRef> &versions,
                                   const QString &feature, const BackgroundJob::Context &job)
{
    DriftTimeline out;
    DriftOptions options;
    options.classConditional = false; // one feature's marginal drift is all the timeline draws
    options.keepSamples = false;
    const qsizetype pairs = versions.size() - 1;
    for (qsizetype i = 1; i < versions.size() && out.ok; ++i) {
        DriftEngine engine(options);
        engine.setCancelFlag(job.cancel);
        const QString pair = versions[i - 1].toString() + QStringLiteral(" → ") + versions[i].toString();
        engine.setProgress([reporter = job.progress, pair, i, pairs](const Progress &p) {
            reporter(Progress{pair + QStringLiteral(": ") + p.phase,
                              (i - 1) * 1000 + (p.total > 0 ? p.done * 1000 / p.total : 0), pairs * 1000});
        });
        DriftReport report;
        if (!engine.run(workspacePath, versions[i - 1], versions[i], &report, &out.error)) {
            out.ok = false;
            out.cancelled = job.cancelled();
            break;
        }
        DriftTimelineChart::Step step;
        step.version = versions[i].toString();
        if (const int f = report.featureIndex(feature); f >= 0) {
            const FeatureDrift &fd = report.features[size_t(f)];
            step.tested = fd.tested;
            step.effect = fd.effect;
            step.pAdjusted = fd.pAdjusted;
            step.drifted = fd.drifted;
        }
        out.steps.push_back(step);
    }
    return out;
}

} // namespace custody
