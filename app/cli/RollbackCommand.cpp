#include "Cli.h"
#include "TerminalText.h"

#include "ledger/SignOff.h"
#include "storage/Workspace.h"

namespace custody::cli {

int runRollback(const Context &ctx)
{
    QCommandLineParser parser;
    parser.addOption(QCommandLineOption(QStringLiteral("reason"), QStringLiteral("Why (the incident)."), QStringLiteral("TEXT")));
    parser.addPositionalArgument(QStringLiteral("NAME@LABEL"), QStringLiteral("The version to trust again."));
    SignedStep step;
    if (const int rc = openSignedStep(ctx, parser, QStringLiteral("rollback"), QStringLiteral("-w DIR --as KEY NAME@LABEL --reason TEXT"), &step);
        rc != Continue)
        return rc;
    QString error;
    SignOff signOff(*step.workspace);
    if (!signOff.rollBack(*step.key, *VersionRef::parse(step.version), parser.value(QStringLiteral("reason")), &error))
        return failStep(ctx, Error::fromStep(error, signOff.lastRefusal()));
    ctx.out << "Rolled " << printable(step.version.section(QLatin1Char('@'), 0, 0)) << " back to " << printable(step.version) << "\n";
    return Clean;
}

} // namespace custody::cli
