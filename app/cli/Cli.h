#pragma once

#include <QCommandLineParser>
#include <QStringList>
#include <QTextStream>

#include <memory>

#include "identity/SigningKey.h"
#include "workflow/Error.h"

#include <optional>

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
    // printed with the command's usage). With `positionals`, any other number of positional arguments is a
    // usage error naming the first extra one, so a mistyped command line is never half-read in silence.
    int parse(QCommandLineParser &parser, const QString &command, const QString &synopsis,
              std::optional<int> positionals = std::nullopt) const;
    std::unique_ptr<Workspace> openWorkspace(const QCommandLineParser &parser, bool readOnly) const;
    bool progressWanted() const; // stderr is a terminal
};

QCommandLineOption workspaceOption();
QCommandLineOption jsonOption();

// --as KEY and --passphrase-file FILE, shared by every command that signs.
void addSigningOptions(QCommandLineParser &parser, bool required = true);
// Loads the key named by --as from the user's key store, reading its passphrase from --passphrase-file or
// the terminal (never from an argument). Prints the reason and returns nullopt when it cannot.
std::optional<SigningKey> loadSigningKey(const Context &ctx, const QCommandLineParser &parser);
std::optional<SigningKey> loadSigningKey(const Context &ctx, const QString &name, const QString &passphraseFile);

// A signed workflow step: -w DIR --as KEY NAME@LABEL, opened read-write with the key loaded.
struct SignedStep
{
    std::unique_ptr<Workspace> workspace;
    std::optional<SigningKey> key;
    QString version; // NAME@LABEL as given
    ~SignedStep();
};
// `positionals` counts NAME@LABEL and whatever follows it.
int openSignedStep(const Context &ctx, QCommandLineParser &parser, const QString &command, const QString &synopsis,
                   SignedStep *step, int positionals = 1);
// The key that records a scan: a curator's --as KEY in a signed workspace, none in an unsigned one (where --as
// is refused). Asked for before the work, so a wrong passphrase costs nothing. False after printing why.
bool scanRecordingKey(const Context &ctx, const QCommandLineParser &parser, Workspace &workspace,
                      std::optional<SigningKey> *signer);
// Prints a refusal or error; exit 1 when the policy refused (the rule is named), 2 otherwise.
int failStep(const Context &ctx, const Error &error);

int runInit(const Context &ctx);
int runIngest(const Context &ctx);
int runVersions(const Context &ctx);
int runShow(const Context &ctx);
int runDiff(const Context &ctx);
int runVerify(const Context &ctx);
int runDemo(const Context &ctx);
int runKey(const Context &ctx);
int runPrincipal(const Context &ctx);
int runDecide(const Context &ctx);
int runSubmit(const Context &ctx);
int runApprove(const Context &ctx);
int runVeto(const Context &ctx);
int runRelease(const Context &ctx);
int runLog(const Context &ctx);
int runCheckpoint(const Context &ctx);
int runExport(const Context &ctx);
int runRollback(const Context &ctx);
int runDrift(const Context &ctx);
int runScan(const Context &ctx);
int runFindings(const Context &ctx);

// Set by SIGINT so long commands stop cleanly (nothing half-written).
extern std::atomic_bool interrupted;

} // namespace custody::cli
