#pragma once

#include <QString>

#include <atomic>

namespace custody {

// Cooperative cancellation: the front end owns a flag (the person's Cancel, SIGINT) and long work polls it
// between units, stopping with cancelledMessage() as its error. A null flag never cancels.
inline bool isCancelled(const std::atomic_bool *flag)
{
    return flag && flag->load(std::memory_order_relaxed);
}

// The message of work stopped on request: "cancelled", or "<what> cancelled; <consequence>" when given.
QString cancelledMessage(const QString &what = {}, const QString &consequence = {});

} // namespace custody
