#include "Cli.h"
#include "TerminalText.h"

#include "ledger/SignOff.h"
#include "storage/Workspace.h"

namespace custody::cli {

int runDecide(const Context &ctx)
{
    QCommandLineParser parser;
    parser.addOption(QCommandLineOption(QStringLiteral("note"), QStringLiteral("Why, in a sentence."), QStringLiteral("TEXT")));
    parser.addPositionalArgument(QStringLiteral("NAME@LABEL"), QStringLiteral("The batch."));
    parser.addPositionalArgument(QStringLiteral("RECORD"), QStringLiteral("The record id."));
    parser.addPositionalArgument(QStringLiteral("DECISION"), QStringLiteral("keep, exclude, relabel:NEWLABEL or clear."));
    const QString synopsis = QStringLiteral("-w DIR --as KEY NAME@LABEL RECORD keep|exclude|relabel:NEWLABEL|clear [--note TEXT]");
    SignedStep step;
    if (const int rc = openSignedStep(ctx, parser, QStringLiteral("decide"), synopsis, &step, 3); rc != Continue)
        return rc;
    const QStringList pos = parser.positionalArguments();
    const QString action = pos[2].section(QLatin1Char(':'), 0, 0);
    const QString label = pos[2].section(QLatin1Char(':'), 1);
    QString error;
    SignOff signOff(*step.workspace);
    if (!signOff.decide(*step.key, *VersionRef::parse(step.version), pos[1], action, label,
                                         parser.value(QStringLiteral("note")), &error))
        return failStep(ctx, Error::fromStep(error, signOff.lastRefusal()));
    ctx.out << printable(step.version) << " record " << printable(pos[1]) << ": " << printable(pos[2]) << "\n";
    return Clean;
}

} // namespace custody::cli
