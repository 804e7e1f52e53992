#include "Cli.h"

#include "workflow/Attestation.h"
#include "storage/Workspace.h"

namespace custody::cli {

int runExport(const Context &ctx)
{
    QCommandLineParser parser;
    parser.addOption(workspaceOption());
    parser.addPositionalArgument(QStringLiteral("WHAT"), QStringLiteral("attestation"));
    parser.addPositionalArgument(QStringLiteral("NAME@LABEL"), QStringLiteral("A released version."));
    const QString synopsis = QStringLiteral("attestation -w DIR NAME@LABEL > release.dsse.json");
    if (const int rc = ctx.parse(parser, QStringLiteral("export"), synopsis); rc != Continue)
        return rc;
    const QStringList pos = parser.positionalArguments();
    if (pos.size() != 2 || pos[0] != QLatin1String("attestation") || !VersionRef::parse(pos[1]))
        return ctx.fail(QStringLiteral("usage: custody-cli export %1").arg(synopsis));
    const auto ws = ctx.openWorkspace(parser, true);
    if (!ws)
        return UsageOrIoError;
    QString error;
    const auto attestation = releaseAttestation(*ws, pos[1], &error);
    if (!attestation)
        return ctx.fail(error);
    ctx.out << QString::fromUtf8(*attestation) << "\n";
    return Clean;
}

} // namespace custody::cli
