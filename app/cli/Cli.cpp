#include "Cli.h"
#include "TerminalText.h"

#include "identity/KeyStore.h"
#include "identity/PassphraseSource.h"
#include "ledger/SignOff.h"
#include "storage/Workspace.h"
#include "workflow/OpenWorkspace.h"

#include <unistd.h>

namespace custody::cli {

std::atomic_bool interrupted{false};

int Context::fail(const QString &message) const
{
    err << "custody-cli: " << printable(message) << "\n";
    err.flush();
    return UsageOrIoError;
}

int Context::parse(QCommandLineParser &parser, const QString &command, const QString &synopsis,
                   std::optional<int> positionals) const
{
    parser.addHelpOption();
    QStringList argv = args;
    argv.prepend(QStringLiteral("custody-cli ") + command);
    if (!parser.parse(argv)) {
        return fail(parser.errorText() + QStringLiteral(" (usage: custody-cli %1 %2)").arg(command, synopsis));
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << "usage: custody-cli " << command << " " << synopsis << "\n\n" << parser.helpText().section(QLatin1Char('\n'), 2);
        out.flush();
        return Clean;
    }
    const QStringList given = parser.positionalArguments();
    if (positionals && given.size() > *positionals)
        return fail(QStringLiteral("unexpected argument '%1' (usage: custody-cli %2 %3)").arg(given.at(*positionals), command, synopsis));
    if (positionals && given.size() < *positionals)
        return fail(QStringLiteral("missing argument (usage: custody-cli %1 %2)").arg(command, synopsis));
    return Continue;
}

std::unique_ptr<Workspace> Context::openWorkspace(const QCommandLineParser &parser, bool readOnly) const
{
    const QString dir = parser.value(QStringLiteral("workspace"));
    if (dir.isEmpty()) {
        fail(QStringLiteral("no workspace given (use -w DIR)"));
        return nullptr;
    }
    QString error;
    // A workspace from an older Custody is upgraded even by a command that only reads: the migration is
    // forward and transactional, and refusing would leave a person unable to look at their data.
    const bool upgrade = readOnly && Workspace::needsUpgrade(dir);
    auto ws = custody::openWorkspace(dir, &error, readOnly && !upgrade ? Workspace::Access::ReadOnly : Workspace::Access::ReadWrite);
    if (ws && upgrade) {
        err << "custody-cli: upgraded " << printable(dir) << " to workspace schema " << Workspace::kSchemaVersion << "\n";
        err.flush();
    }
    if (!ws) {
        fail(error);
        return nullptr;
    }
    for (const QString &notice : ws->notices())
        err << "custody-cli: note: " << printable(notice) << "\n";
    err.flush();
    if (!ws->integrityProblem().isEmpty()) {
        err << "custody-cli: warning: " << printable(ws->integrityProblem()) << "; the workspace is open read-only\n";
        err.flush();
        if (!readOnly) {
            fail(ws->refusesWritesUntilVerified()
                     ? QStringLiteral("refusing to change the workspace until 'custody-cli verify' comes out clean")
                     : QStringLiteral("refusing to change the workspace (see the warning above)"));
            return nullptr;
        }
    }
    return ws;
}

bool Context::progressWanted() const
{
    return isatty(STDERR_FILENO);
}

QCommandLineOption workspaceOption()
{
    return QCommandLineOption({QStringLiteral("w"), QStringLiteral("workspace")}, QStringLiteral("The workspace folder."),
                              QStringLiteral("DIR"));
}

QCommandLineOption jsonOption()
{
    return QCommandLineOption(QStringLiteral("json"), QStringLiteral("Print one JSON object for machines."));
}

} // namespace custody::cli

namespace custody::cli {

void addSigningOptions(QCommandLineParser &parser, bool required)
{
    parser.addOption(QCommandLineOption(QStringLiteral("as"),
                                        required ? QStringLiteral("Name of your key in the key store (signs the event).")
                                                 : QStringLiteral("Name of your key (required once the workspace is signed)."),
                                        QStringLiteral("KEY")));
    parser.addOption(QCommandLineOption(QStringLiteral("passphrase-file"),
                                        QStringLiteral("Read the key's passphrase from the first line of FILE instead of the terminal."),
                                        QStringLiteral("FILE")));
}

std::optional<SigningKey> loadSigningKey(const Context &ctx, const QString &name, const QString &passphraseFile)
{
    QString error;
    std::optional<QByteArray> passphrase = passphraseFile.isEmpty()
        ? PassphraseSource::readPassphraseFromTerminal(QStringLiteral("Passphrase for key '%1': ").arg(name), false, &error)
        : PassphraseSource::readPassphraseFile(passphraseFile, &error);
    if (!passphrase) {
        ctx.fail(error);
        return std::nullopt;
    }
    auto key = KeyStore().load(name, *passphrase, &error);
    wipeSecret(&*passphrase);
    if (!key)
        ctx.fail(error);
    return key;
}

std::optional<SigningKey> loadSigningKey(const Context &ctx, const QCommandLineParser &parser)
{
    const QString name = parser.value(QStringLiteral("as"));
    if (name.isEmpty()) {
        ctx.fail(QStringLiteral("this command signs: give your key with --as KEY"));
        return std::nullopt;
    }
    return loadSigningKey(ctx, name, parser.value(QStringLiteral("passphrase-file")));
}

SignedStep::~SignedStep() = default;

int openSignedStep(const Context &ctx, QCommandLineParser &parser, const QString &command, const QString &synopsis,
                   SignedStep *step, int positionals)
{
    parser.addOption(workspaceOption());
    addSigningOptions(parser);
    if (const int rc = ctx.parse(parser, command, synopsis, positionals); rc != Continue)
        return rc;
    step->version = parser.positionalArguments().value(0);
    if (!VersionRef::parse(step->version))
        return ctx.fail(QStringLiteral("%1 needs a version as NAME@LABEL (usage: custody-cli %1 %2)").arg(command, synopsis));
    step->workspace = ctx.openWorkspace(parser, false);
    if (!step->workspace)
        return UsageOrIoError;
    step->key = loadSigningKey(ctx, parser);
    return step->key ? Continue : UsageOrIoError;
}

int failStep(const Context &ctx, const Error &error)
{
    ctx.fail(error.message);
    return error.kind == Error::Kind::Refused ? ProblemsFound : UsageOrIoError;
}

bool scanRecordingKey(const Context &ctx, const QCommandLineParser &parser, Workspace &workspace,
                      std::optional<SigningKey> *signer)
{
    const bool signedWorkspace = Ledger(workspace).state().isSigned();
    if (signedWorkspace && !parser.isSet(QStringLiteral("as"))) {
        ctx.fail(QStringLiteral("this workspace is signed: record the scan with --as KEY (a curator's), or pass --no-record"));
        return false;
    }
    if (!parser.isSet(QStringLiteral("as")))
        return true;
    if (!signedWorkspace) {
        ctx.fail(QStringLiteral("this workspace is unsigned: scans are recorded without a key (drop --as)"));
        return false;
    }
    *signer = loadSigningKey(ctx, parser);
    return signer->has_value();
}

} // namespace custody::cli
