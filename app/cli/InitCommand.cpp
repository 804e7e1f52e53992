#include "Cli.h"

#include "storage/Workspace.h"

namespace custody::cli {

int runInit(const Context &ctx)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("Folder for the new workspace."));
    if (const int rc = ctx.parse(parser, QStringLiteral("init"), QStringLiteral("DIR")); rc != Continue)
        return rc;
    if (parser.positionalArguments().size() != 1)
        return ctx.fail(QStringLiteral("init takes exactly one folder (usage: custody-cli init DIR)"));
    QString error;
    const auto ws = Workspace::create(parser.positionalArguments().first(), &error);
    if (!ws)
        return ctx.fail(error);
    ctx.out << "Created workspace " << ws->path() << "\n";
    return Clean;
}

} // namespace custody::cli
