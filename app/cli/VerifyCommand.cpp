#include "Cli.h"
#include "TerminalText.h"

#include "workflow/Verifier.h"
#include "storage/Workspace.h"

#include <QJsonDocument>

namespace custody::cli {

int runVerify(const Context &ctx)
{
    QCommandLineParser parser;
    parser.addOption(workspaceOption());
    parser.addOption(jsonOption());
    parser.addOption(QCommandLineOption(QStringLiteral("checkpoint"), QStringLiteral("A signed checkpoint the ledger must extend."),
                                        QStringLiteral("FILE")));
    if (const int rc = ctx.parse(parser, QStringLiteral("verify"), QStringLiteral("-w DIR [--checkpoint FILE] [--json]"), 0); rc != Continue)
        return rc;
    const auto ws = ctx.openWorkspace(parser, true);
    if (!ws)
        return UsageOrIoError;
    VerifyReport report;
    QString error;
    VerifyOptions options;
    options.checkpointFile = parser.value(QStringLiteral("checkpoint"));
    if (!Verifier::run(*ws, &report, &error, {}, &interrupted, options))
        return ctx.fail(error);
    if (parser.isSet(QStringLiteral("json"))) {
        ctx.out << QJsonDocument(report.toJson()).toJson(QJsonDocument::Indented);
        return report.ok() ? Clean : ProblemsFound;
    }
    for (const VerifyProblem &p : report.problems)
        ctx.out << "MISMATCH " << printable(p.subject) << ": " << printable(p.message) << "\n";
    for (const QString &w : report.warnings)
        ctx.out << "warning: " << printable(w) << "\n";
    ctx.out << (report.ok() ? "OK" : "FAILED") << ": " << report.versionsChecked << " versions, "
            << report.recordsChecked << " records, " << report.objectsChecked << " objects, " << report.eventsChecked
            << " ledger events (" << report.signedEvents << " signed) checked, "
            << report.problems.size() << " problems\n";
    return report.ok() ? Clean : ProblemsFound;
}

} // namespace custody::cli
