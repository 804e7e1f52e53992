#include "Cli.h"
#include "TerminalText.h"

#include "ledger/SignOff.h"
#include "storage/Workspace.h"

namespace custody::cli {

int runVeto(const Context &ctx)
{
    QCommandLineParser parser;
    parser.addOption(QCommandLineOption(QStringLiteral("reason"), QStringLiteral("Why the batch must not be released."), QStringLiteral("TEXT")));
    parser.addPositionalArgument(QStringLiteral("NAME@LABEL"), QStringLiteral("The submitted batch."));
    SignedStep step;
    if (const int rc = openSignedStep(ctx, parser, QStringLiteral("veto"), QStringLiteral("-w DIR --as KEY NAME@LABEL --reason TEXT"), &step); rc != Continue)
        return rc;
    QString error;
    SignOff signOff(*step.workspace);
    if (!signOff.veto(*step.key, *VersionRef::parse(step.version), parser.value(QStringLiteral("reason")), &error))
        return failStep(ctx, Error::fromStep(error, signOff.lastRefusal()));
    ctx.out << "Vetoed " << printable(step.version) << ": it cannot be released until it is submitted again\n";
    return Clean;
}

} // namespace custody::cli
