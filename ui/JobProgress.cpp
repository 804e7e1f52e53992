#include "JobProgress.h"

#include <QElapsedTimer>
#include <QLocale>

#include <memory>

namespace custody {

JobProgress::JobProgress(QObject *parent) : QObject(parent) { }

ProgressFn JobProgress::reporter()
{
    struct State
    {
        QElapsedTimer clock;
        QString phase;
    };
    auto state = std::make_shared<State>();
    return [this, state](const Progress &p) {
        const bool newPhase = p.phase != state->phase;
        if (!newPhase && state->clock.isValid() && state->clock.elapsed() < kIntervalMs && p.done != p.total)
            return;
        state->phase = p.phase;
        state->clock.start();
        // Emitted from the worker thread: the connection to GUI-thread receivers is queued.
        Q_EMIT progressed(p.phase, p.done, p.total);
    };
}

QString JobProgress::describe(const QString &phase, qint64 done, qint64 total)
{
    if (total <= 0)
        return phase + QStringLiteral("…");
    // Totals are bytes for some sources and records for others: a share reads the same for both.
    return tr("%1 — %2%").arg(phase).arg(qBound(qint64(0), done * 100 / total, qint64(100)));
}

} // namespace custody
