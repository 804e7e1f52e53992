#include "Cli.h"

#include "ledger/CheckpointNote.h"
#include "ledger/Ledger.h"
#include "storage/Workspace.h"

namespace custody::cli {

int runCheckpoint(const Context &ctx)
{
    QCommandLineParser parser;
    parser.addOption(workspaceOption());
    addSigningOptions(parser);
    if (const int rc = ctx.parse(parser, QStringLiteral("checkpoint"), QStringLiteral("-w DIR --as KEY")); rc != Continue)
        return rc;
    const auto ws = ctx.openWorkspace(parser, true);
    if (!ws)
        return UsageOrIoError;
    const auto key = loadSigningKey(ctx, parser);
    if (!key)
        return UsageOrIoError;
    Ledger ledger(*ws);
    const auto principal = ledger.state().principalByKey(key->keyId());
    if (!principal)
        return ctx.fail(QStringLiteral("key '%1' is not a registered principal of this workspace; register it "
                                       "(as admin or as a witness with the analyst role) before it signs checkpoints")
                            .arg(parser.value(QStringLiteral("as"))));
    QString error;
    const auto note = CheckpointNote::create(ledger, principal->name, *key, &error);
    if (!note)
        return ctx.fail(error);
    ctx.out << QString::fromUtf8(*note);
    return Clean;
}

} // namespace custody::cli
