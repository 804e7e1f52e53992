#include "Cli.h"
#include "TerminalText.h"

#include "ledger/SignOff.h"
#include "storage/Workspace.h"

namespace custody::cli {

int runApprove(const Context &ctx)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("NAME@LABEL"), QStringLiteral("The submitted batch."));
    SignedStep step;
    if (const int rc = openSignedStep(ctx, parser, QStringLiteral("approve"), QStringLiteral("-w DIR --as KEY NAME@LABEL"), &step); rc != Continue)
        return rc;
    SignOff signOff(*step.workspace);
    QString error;
    if (!signOff.approve(*step.key, *VersionRef::parse(step.version), &error))
        return failStep(ctx, Error::fromStep(error, signOff.lastRefusal()));
    const BatchSummary s = signOff.summary(*VersionRef::parse(step.version));
    ctx.out << "Approved " << printable(step.version) << " (" << s.approvals.size() << " of " << s.approvalsRequired << " approvals)\n";
    return Clean;
}

} // namespace custody::cli
