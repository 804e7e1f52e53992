#include "BuildInfo.h"
#include "Cli.h"
#include "TerminalText.h"

#include <QCoreApplication>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <functional>

using namespace custody::cli;

namespace {

struct Command
{
    const char *name;
    int (*run)(const Context &);
    const char *summary;
};

const Command kCommands[] = {
    {"init", runInit, "init DIR                      create a workspace"},
    {"ingest", runIngest, "ingest -w DIR --dataset N --version L PATH...  store a new dataset version"},
    {"versions", runVersions, "versions -w DIR [--json]      list dataset versions"},
    {"show", runShow, "show -w DIR NAME@LABEL [--json]  a version's manifest and files"},
    {"diff", runDiff, "diff -w DIR NAME@A NAME@B [--json]  what changed between two versions"},
    {"verify", runVerify, "verify -w DIR [--checkpoint FILE] [--json]  recompute every hash, digest and signature"},
    {"demo", runDemo, "demo DIR [--seed N] [--rate R] [--trigger T]  build the Fashion-MNIST demo workspace"},
    {"key", runKey, "key create|list|export-public|import ...  your signing keys (kept outside workspaces)"},
    {"principal", runPrincipal, "principal add|revoke|roles -w DIR --as ADMINKEY ...  who may act, with which roles"},
    {"decide", runDecide, "decide -w DIR --as KEY NAME@LABEL RECORD keep|exclude|relabel:L  a review decision"},
    {"submit", runSubmit, "submit -w DIR --as KEY NAME@LABEL  submit a batch for approval"},
    {"approve", runApprove, "approve -w DIR --as KEY NAME@LABEL  approve a submitted batch"},
    {"veto", runVeto, "veto -w DIR --as KEY NAME@LABEL --reason TEXT  block a batch"},
    {"release", runRelease, "release -w DIR --as KEY NAME@LABEL --to LABEL  create the curated, approved version"},
    {"rollback", runRollback, "rollback -w DIR --as KEY NAME@LABEL --reason TEXT  trust an earlier version again"},
    {"log", runLog, "log -w DIR [--json]           the ledger's events"},
    {"checkpoint", runCheckpoint, "checkpoint -w DIR --as KEY     print a signed checkpoint of the ledger"},
    {"drift", runDrift, "drift -w DIR NAME@BASE NAME@NEW [--json] [--by-class] [--fail-on-drift]  compare a batch with its baseline"},
    {"scan", runScan, "scan -w DIR NAME@NEW [--baseline NAME@BASE] [--detectors LIST] [--json]  run the poisoning detectors"},
    {"findings", runFindings, "findings -w DIR NAME@NEW [--json] [--detector D] [--min-score S]  the latest scan's findings"},
    {"export", runExport, "export attestation -w DIR NAME@LABEL  print a release's signed attestation"},
};

// SIGINT, SIGTERM and SIGHUP all ask a long command to stop cleanly: it polls `interrupted`, rolls back and
// removes what it wrote. A second signal ends the process at once (a transaction still rolls back; at most a
// temporary object file is left, which the next ingest clears).
std::atomic_int stoppedBy{0};

void onStopSignal(int signal)
{
    if (interrupted.load()) {
        std::signal(signal, SIG_DFL);
        std::raise(signal);
        return;
    }
    stoppedBy = signal; // before the flag: a worker thread that sees the flag may end the command at once
    interrupted = true;
}

void usage(QTextStream &s)
{
    s << "usage: custody-cli COMMAND [OPTIONS]\n\ncommands:\n";
    for (const Command &c : kCommands)
        s << "  " << c.summary << "\n";
    s << "\nRun 'custody-cli COMMAND --help' for a command's options. Exit codes: 0 clean, 1 problems found, "
         "2 usage or I/O error, 128+N stopped by signal N (130 Ctrl+C, 143 SIGTERM, 129 SIGHUP).\n";
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("custody"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CUSTODY_VERSION));
    for (const int signal : {SIGINT, SIGTERM, SIGHUP})
        std::signal(signal, onStopSignal);
    // Past a file-size limit (ulimit -f) a write then fails with EFBIG, which is reported and rolled back,
    // instead of the signal killing the process without a word.
    std::signal(SIGXFSZ, SIG_IGN);

    QTextStream out(stdout);
    QTextStream err(stderr);
    const QStringList args = app.arguments();
    if (args.size() < 2 || args[1] == QLatin1String("--help") || args[1] == QLatin1String("-h")) {
        usage(args.size() < 2 ? err : out);
        return args.size() < 2 ? UsageOrIoError : Clean;
    }
    if (args[1] == QLatin1String("--version")) {
        out << custody::versionReport(QStringLiteral("custody-cli"));
        return Clean;
    }
    for (const Command &c : kCommands) {
        if (args[1] == QLatin1String(c.name)) {
            const Context ctx{args.mid(2), out, err};
            const int rc = c.run(ctx);
            // Stopped by a signal: the shell's convention, 128 + the signal's number, when the command gave up (a
            // cancelled command rolls back and fails). A result it reached (findings: 1, a drift gate: 3 or 4) is
            // kept even if a signal came after its work was committed (campaign 10).
            return rc == UsageOrIoError && stoppedBy != 0 ? 128 + stoppedBy : rc;
        }
    }
    err << "custody-cli: unknown command '" << printable(args[1]) << "' (run 'custody-cli --help' for the list)\n";
    return UsageOrIoError;
}
