#include "Cli.h"

#include "storage/Workspace.h"

#include <unistd.h>

namespace custody::cli {

std::atomic_bool interrupted{false};

int Context::fail(const QString &message) const
{
    err << "custody-cli: " << message << "\n";
    err.flush();
    return UsageOrIoError;
}

int Context::parse(QCommandLineParser &parser, const QString &command, const QString &synopsis) const
{
    parser.addHelpOption();
    QStringList argv = args;
    argv.prepend(QStringLiteral("custody-cli ") + command);
    if (!parser.parse(argv)) {
        return fail(parser.errorText() + QStringLiteral(" (usage: custody-cli %1 %2)").arg(command, synopsis));
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << "usage: custody-cli " << command << " " << synopsis << "\n\n" << parser.helpText().section(QLatin1Char('\n'), 2);
        out.flush();
        return Clean;
    }
    return Continue;
}

std::unique_ptr<Workspace> Context::openWorkspace(const QCommandLineParser &parser, bool readOnly) const
{
    const QString dir = parser.value(QStringLiteral("workspace"));
    if (dir.isEmpty()) {
        fail(QStringLiteral("no workspace given (use -w DIR)"));
        return nullptr;
    }
    QString error;
    auto ws = Workspace::open(dir, &error, readOnly ? Workspace::Access::ReadOnly : Workspace::Access::ReadWrite);
    if (!ws)
        fail(error);
    return ws;
}

bool Context::progressWanted() const
{
    return isatty(STDERR_FILENO);
}

QCommandLineOption workspaceOption()
{
    return QCommandLineOption({QStringLiteral("w"), QStringLiteral("workspace")}, QStringLiteral("The workspace folder."),
                              QStringLiteral("DIR"));
}

QCommandLineOption jsonOption()
{
    return QCommandLineOption(QStringLiteral("json"), QStringLiteral("Print one JSON object for machines."));
}

} // namespace custody::cli
