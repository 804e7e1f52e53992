#include "Cli.h"
#include "TerminalText.h"

#include "ledger/SignOff.h"
#include "storage/Workspace.h"
#include "workflow/OpenWorkspace.h"

namespace custody::cli {

namespace {

int adoptCopy(const Context &ctx, const QString &dir, const SigningKey *admin)
{
    if (!Workspace::looksLikeWorkspace(dir))
        return ctx.fail(QStringLiteral("%1 is not a Custody workspace; --adopt-copy gives a copy of one its own identity").arg(dir));
    QString error;
    const auto ws = openCopyForAdoption(dir, &error);
    if (!ws)
        return ctx.fail(error);
    if (!ws->integrityProblem().isEmpty())
        return ctx.fail(QStringLiteral("%1: %2; a copy is adopted only when its ledger checks out").arg(dir, ws->integrityProblem()));
    SignOff signOff(*ws);
    const QString previous = signOff.ledger().workspaceId();
    QString id;
    if (!signOff.adoptCopy(admin, &id, &error))
        return failStep(ctx, Error::fromStep(error, signOff.lastRefusal()));
    ctx.out << "Adopted " << printable(ws->path()) << " as a workspace of its own: identity " << printable(id) << " (was " << printable(previous) << ")\n";
    return Clean;
}

} // namespace

int runInit(const Context &ctx)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("Folder for the new workspace."));
    parser.addOption(QCommandLineOption(QStringLiteral("admin"), QStringLiteral("Make the workspace signed, with this key's owner as admin "
                                                                                "(on an existing unsigned workspace: adopt its history)."),
                                        QStringLiteral("KEYNAME")));
    parser.addOption(QCommandLineOption(QStringLiteral("name"), QStringLiteral("The admin's principal name (default: the key name)."),
                                        QStringLiteral("NAME")));
    parser.addOption(QCommandLineOption(QStringLiteral("approvals"), QStringLiteral("Approvals a release needs (default %1).")
                                                                         .arg(SignOff::kDefaultApprovals), QStringLiteral("K")));
    parser.addOption(QCommandLineOption(QStringLiteral("adopt-copy"),
                                        QStringLiteral("DIR is a copy of a workspace: give it its own identity (signed by the "
                                                       "--admin key in a signed workspace), so that it and the original are "
                                                       "no longer one workspace in two places.")));
    parser.addOption(QCommandLineOption(QStringLiteral("passphrase-file"), QStringLiteral("Read the admin key's passphrase from FILE."),
                                        QStringLiteral("FILE")));
    const QString synopsis = QStringLiteral("DIR [--admin KEYNAME [--approvals K] [--name NAME] [--passphrase-file FILE]] | "
                                            "DIR --adopt-copy [--admin KEYNAME [--passphrase-file FILE]]");
    if (const int rc = ctx.parse(parser, QStringLiteral("init"), synopsis); rc != Continue)
        return rc;
    if (parser.positionalArguments().size() != 1)
        return ctx.fail(QStringLiteral("init takes exactly one folder (usage: custody-cli init %1)").arg(synopsis));
    const QString dir = parser.positionalArguments().first();
    const QString adminKey = parser.value(QStringLiteral("admin"));
    bool ok = true;
    const int approvals = parser.isSet(QStringLiteral("approvals")) ? parser.value(QStringLiteral("approvals")).toInt(&ok)
                                                                     : SignOff::kDefaultApprovals;
    if (!ok || approvals < 1)
        return ctx.fail(QStringLiteral("--approvals must be a whole number of at least 1"));
    std::optional<SigningKey> admin;
    if (!adminKey.isEmpty() && !(admin = loadSigningKey(ctx, adminKey, parser.value(QStringLiteral("passphrase-file")))))
        return UsageOrIoError;
    QString error;
    if (parser.isSet(QStringLiteral("adopt-copy")))
        return adoptCopy(ctx, dir, admin ? &*admin : nullptr);
    const bool adopting = admin && Workspace::looksLikeWorkspace(dir);
    const auto ws = adopting ? openWorkspace(dir, &error) : createWorkspace(dir, &error);
    if (!ws)
        return ctx.fail(error);
    if (admin) {
        const QString name = parser.value(QStringLiteral("name")).isEmpty() ? adminKey : parser.value(QStringLiteral("name"));
        SignOff signOff(*ws);
        if (!signOff.makeSigned(name, *admin, approvals, &error))
            return failStep(ctx, Error::fromStep(error, signOff.lastRefusal()));
        ctx.out << (adopting ? "Adopted workspace " : "Created signed workspace ") << printable(ws->path()) << " with admin " << printable(name)
                << " (releases need " << approvals << " approvals)\n";
        return Clean;
    }
    ctx.out << "Created workspace " << printable(ws->path()) << "\n";
    return Clean;
}

} // namespace custody::cli
