#pragma once

#include <QCommandLineParser>
#include <QStringList>
#include <QTextStream>

#include <memory>

namespace custody {
class Workspace;
}

namespace custody::cli {

// Exit codes a pipeline can gate on.
enum Exit { Continue = -1, Clean = 0, ProblemsFound = 1, UsageOrIoError = 2 };

// What a command needs: its arguments, where to write, and a few shared helpers. Output goes through the
// streams so tests can run the real binary and read them.
struct Context
{
    QStringList args; // after the command name
    QTextStream &out;
    QTextStream &err;

    int fail(const QString &message) const; // one line on stderr, returns UsageOrIoError
    // Parses args with `parser`. Returns Continue, or the exit code to stop with (after --help, or an error
    // printed with the command's usage).
    int parse(QCommandLineParser &parser, const QString &command, const QString &synopsis) const;
    std::unique_ptr<Workspace> openWorkspace(const QCommandLineParser &parser, bool readOnly) const;
    bool progressWanted() const; // stderr is a terminal
};

QCommandLineOption workspaceOption();
QCommandLineOption jsonOption();

int runInit(const Context &ctx);
int runIngest(const Context &ctx);
int runVersions(const Context &ctx);
int runShow(const Context &ctx);
int runDiff(const Context &ctx);
int runVerify(const Context &ctx);
int runDemo(const Context &ctx);

// Set by SIGINT so long commands stop cleanly (nothing half-written).
extern std::atomic_bool interrupted;

} // namespace custody::cli
