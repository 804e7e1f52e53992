#include "Cli.h"
#include "TerminalText.h"

#include "ledger/SignOff.h"
#include "storage/Workspace.h"

namespace custody::cli {

int runRelease(const Context &ctx)
{
    QCommandLineParser parser;
    parser.addOption(QCommandLineOption(QStringLiteral("to"), QStringLiteral("Label of the released version."), QStringLiteral("NEWLABEL")));
    parser.addPositionalArgument(QStringLiteral("NAME@LABEL"), QStringLiteral("The approved batch."));
    const QString synopsis = QStringLiteral("-w DIR --as KEY NAME@LABEL --to NEWLABEL");
    SignedStep step;
    if (const int rc = openSignedStep(ctx, parser, QStringLiteral("release"), synopsis, &step); rc != Continue)
        return rc;
    if (parser.value(QStringLiteral("to")).isEmpty())
        return ctx.fail(QStringLiteral("release needs --to NEWLABEL (usage: custody-cli release %1)").arg(synopsis));
    ReleaseResult result;
    QString error;
    SignOff signOff(*step.workspace);
    if (!signOff.release(*step.key, *VersionRef::parse(step.version), parser.value(QStringLiteral("to")), &result, &error))
        return failStep(ctx, Error::fromStep(error, signOff.lastRefusal()));
    ctx.out << "Released " << printable(result.version) << ": " << result.recordCount << " records, digest " << toHex(result.digest)
            << "\nIts attestation: custody-cli export attestation -w " << parser.value(QStringLiteral("workspace")) << " "
            << result.version << "\n";
    return Clean;
}

} // namespace custody::cli
