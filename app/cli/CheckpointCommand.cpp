#include "Cli.h"

#include "storage/Workspace.h"
#include "workflow/Checkpoints.h"

namespace custody::cli {

int runCheckpoint(const Context &ctx)
{
    QCommandLineParser parser;
    parser.addOption(workspaceOption());
    addSigningOptions(parser);
    if (const int rc = ctx.parse(parser, QStringLiteral("checkpoint"), QStringLiteral("-w DIR --as KEY"), 0); rc != Continue)
        return rc;
    const auto ws = ctx.openWorkspace(parser, true);
    if (!ws)
        return UsageOrIoError;
    const auto key = loadSigningKey(ctx, parser);
    if (!key)
        return UsageOrIoError;
    Error error;
    const auto note = signCheckpoint(*ws, *key, &error);
    if (!note)
        return failStep(ctx, error);
    ctx.out << QString::fromUtf8(*note);
    return Clean;
}

} // namespace custody::cli
