#pragma once

#include <QString>

#include <functional>

namespace custody {

// How far a long job is: the phase a person reads ("Reading batch", "Training probe network") and done of
// total units (total 0: not known). Every long job in the core reports this one type, so a front end shows any
// of them with one progress bar or one line of a terminal.
struct Progress
{
    QString phase;
    qint64 done = 0;
    qint64 total = 0;
};

// Called from the thread that runs the job.
using ProgressFn = std::function<void(const Progress &)>;

} // namespace custody
