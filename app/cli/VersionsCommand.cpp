#include "Cli.h"
#include "TerminalText.h"

#include "storage/Workspace.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace custody::cli {

int runVersions(const Context &ctx)
{
    QCommandLineParser parser;
    parser.addOption(workspaceOption());
    parser.addOption(jsonOption());
    if (const int rc = ctx.parse(parser, QStringLiteral("versions"), QStringLiteral("-w DIR [--json]"), 0); rc != Continue)
        return rc;
    const auto ws = ctx.openWorkspace(parser, true);
    if (!ws)
        return UsageOrIoError;
    QString error;
    const QList<DatasetVersion> versions = ws->versions(&error);
    if (!error.isEmpty())
        return ctx.fail(error);
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray list;
        for (const DatasetVersion &v : versions) {
            QJsonObject o = versionToJson(v);
            o.remove(QStringLiteral("manifest"));
            list.append(o);
        }
        ctx.out << QJsonDocument(QJsonObject{{QStringLiteral("versions"), list}}).toJson(QJsonDocument::Indented);
        return Clean;
    }
    if (versions.isEmpty()) {
        ctx.out << "No dataset versions yet. Add one with 'custody-cli ingest'.\n";
        return Clean;
    }
    ctx.out << qSetFieldWidth(28) << Qt::left << "VERSION" << qSetFieldWidth(12) << "PARENT" << qSetFieldWidth(11)
            << Qt::right << "RECORDS" << qSetFieldWidth(0) << "  " << qSetFieldWidth(18) << Qt::left << "DIGEST"
            << qSetFieldWidth(0) << "CREATED\n";
    for (const DatasetVersion &v : versions) {
        ctx.out << qSetFieldWidth(28) << Qt::left << printable(v.ref.toString()) << qSetFieldWidth(12)
                << (v.parentLabel.isEmpty() ? QStringLiteral("-") : printable(v.parentLabel)) << qSetFieldWidth(11) << Qt::right
                << v.recordCount << qSetFieldWidth(0) << "  " << qSetFieldWidth(18) << Qt::left
                << toHex(v.digest).left(16) << qSetFieldWidth(0) << v.createdAt.toString(Qt::ISODate) << "\n";
    }
    return Clean;
}

} // namespace custody::cli
