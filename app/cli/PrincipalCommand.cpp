#include "Cli.h"
#include "TerminalText.h"

#include "identity/PublicKey.h"
#include "ledger/SignOff.h"
#include "storage/Workspace.h"

namespace custody::cli {

int runPrincipal(const Context &ctx)
{
    QCommandLineParser parser;
    parser.addOption(workspaceOption());
    addSigningOptions(parser);
    parser.addOption(QCommandLineOption(QStringLiteral("roles"), QStringLiteral("Comma-separated: admin, curator, approver, analyst."),
                                        QStringLiteral("LIST")));
    parser.addPositionalArgument(QStringLiteral("ACTION"), QStringLiteral("add NAME PUBKEYFILE --roles LIST | revoke NAME | roles NAME --roles LIST"));
    const QString synopsis = QStringLiteral("add -w DIR --as ADMINKEY NAME PUBKEYFILE --roles LIST | revoke -w DIR --as ADMINKEY NAME "
                                            "| roles -w DIR --as ADMINKEY NAME --roles LIST");
    if (const int rc = ctx.parse(parser, QStringLiteral("principal"), synopsis); rc != Continue)
        return rc;
    const QStringList pos = parser.positionalArguments();
    const QString action = pos.value(0);
    const QStringList roles = parser.value(QStringLiteral("roles")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    const bool shapeOk = (action == QLatin1String("add") && pos.size() == 3 && !roles.isEmpty())
        || (action == QLatin1String("revoke") && pos.size() == 2) || (action == QLatin1String("roles") && pos.size() == 2 && !roles.isEmpty());
    if (!shapeOk)
        return ctx.fail(QStringLiteral("usage: custody-cli principal %1").arg(synopsis));
    QString error;
    std::optional<PublicKey> key;
    if (action == QLatin1String("add") && !(key = PublicKey::fromPemFile(pos[2], &error)))
        return ctx.fail(error);
    const auto ws = ctx.openWorkspace(parser, false);
    if (!ws)
        return UsageOrIoError;
    const auto admin = loadSigningKey(ctx, parser);
    if (!admin)
        return UsageOrIoError;
    SignOff signOff(*ws);
    bool ok = false;
    if (action == QLatin1String("add"))
        ok = signOff.addPrincipal(*admin, pos[1], *key, roles, &error);
    else if (action == QLatin1String("revoke"))
        ok = signOff.revokePrincipal(*admin, pos[1], &error);
    else
        ok = signOff.changeRoles(*admin, pos[1], roles, &error);
    if (!ok)
        return failStep(ctx, Error::fromStep(error, signOff.lastRefusal()));
    ctx.out << (action == QLatin1String("add") ? "Added " : action == QLatin1String("revoke") ? "Revoked " : "Changed the roles of ")
            << printable(pos[1]) << (key ? QStringLiteral(" (key id %1)").arg(key->keyId()) : QString()) << "\n";
    return Clean;
}

} // namespace custody::cli
