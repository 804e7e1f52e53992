#include "Cli.h"
#include "TerminalText.h"

#include "ledger/SignOff.h"
#include "storage/Workspace.h"

namespace custody::cli {

int runSubmit(const Context &ctx)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("NAME@LABEL"), QStringLiteral("The batch to submit for approval."));
    SignedStep step;
    if (const int rc = openSignedStep(ctx, parser, QStringLiteral("submit"), QStringLiteral("-w DIR --as KEY NAME@LABEL"), &step); rc != Continue)
        return rc;
    SignOff signOff(*step.workspace);
    QString error;
    if (!signOff.submit(*step.key, *VersionRef::parse(step.version), &error))
        return failStep(ctx, Error::fromStep(error, signOff.lastRefusal()));
    const BatchSummary s = signOff.summary(*VersionRef::parse(step.version));
    ctx.out << "Submitted " << printable(step.version) << " (batch " << s.status.digest.left(16) << ": " << s.keep << " keep, " << s.exclude
            << " exclude, " << s.relabel << " relabel); it needs " << s.approvalsRequired << " approvals\n";
    return Clean;
}

} // namespace custody::cli
