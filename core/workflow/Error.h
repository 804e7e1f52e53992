#pragma once

#include <QString>

namespace custody {

struct Refusal;

// What went wrong in a workflow step, with a kind a front end acts on (an exit code, how to show it) instead of
// matching the message's text. The message is whole and names the problem; the rule is set for Refused.
struct Error
{
    enum class Kind {
        None,
        Refused,   // a named policy rule said no
        Cancelled, // the person or a signal stopped it
        Io,        // the file system or the database failed
        Corrupt,   // stored state does not match what the ledger or a hash says
        Usage,     // the request itself is wrong (unknown decision, missing label)
        NotFound,  // no such version, record, principal or key
        Failed,    // a step of a layer that still reports only text (a bad record, a missing file)
    };

    Kind kind = Kind::None;
    QString message;
    QString rule;

    static Error refused(const Refusal &refusal);
    static Error cancelled(const QString &what = {});
    static Error of(Kind kind, const QString &message) { return Error{kind, message, {}}; }
    // A step that reports a message and, when the policy said no, the refusal (SignOff::lastRefusal()).
    static Error fromStep(const QString &message, const Refusal &refusal);

    bool isError() const { return kind != Kind::None; }
    QString toString() const { return message; }
};

} // namespace custody
