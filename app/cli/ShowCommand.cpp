#include "Cli.h"
#include "TerminalText.h"

#include "storage/Workspace.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace custody::cli {

int runShow(const Context &ctx)
{
    QCommandLineParser parser;
    parser.addOption(workspaceOption());
    parser.addOption(jsonOption());
    parser.addPositionalArgument(QStringLiteral("NAME@LABEL"), QStringLiteral("The version to show."));
    if (const int rc = ctx.parse(parser, QStringLiteral("show"), QStringLiteral("-w DIR NAME@LABEL [--json]")); rc != Continue)
        return rc;
    const auto ref = VersionRef::parse(parser.positionalArguments().value(0));
    if (parser.positionalArguments().size() != 1 || !ref)
        return ctx.fail(QStringLiteral("show takes one version as NAME@LABEL (usage: custody-cli show -w DIR NAME@LABEL)"));
    const auto ws = ctx.openWorkspace(parser, true);
    if (!ws)
        return UsageOrIoError;
    QString error;
    const auto v = ws->version(*ref, &error);
    if (!v)
        return ctx.fail(error);
    const QList<VersionFile> files = ws->files(v->id, &error);
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonObject o = versionToJson(*v);
        QJsonArray list;
        for (const VersionFile &f : files)
            list.append(QJsonObject{{QStringLiteral("role"), f.role}, {QStringLiteral("name"), f.name},
                                    {QStringLiteral("sha256"), f.objectHash}, {QStringLiteral("size"), f.size}});
        o.insert(QStringLiteral("files"), list);
        ctx.out << QJsonDocument(o).toJson(QJsonDocument::Indented);
        return Clean;
    }
    const Provenance &p = v->provenance;
    auto line = [&](const char *key, const QString &value) {
        ctx.out << qSetFieldWidth(14) << Qt::left << key << qSetFieldWidth(0) << (value.isEmpty() ? QStringLiteral("-") : printable(value)) << "\n";
    };
    line("version", v->ref.toString());
    line("parent", v->parentLabel.isEmpty() ? QString() : v->ref.dataset + QLatin1Char('@') + v->parentLabel);
    line("records", QString::number(v->recordCount));
    line("digest", toHex(v->digest));
    line("merkle root", toHex(v->merkleRoot));
    line("format", v->format);
    line("source", p.source);
    line("supplier", p.supplier);
    line("license", p.license);
    line("acquired at", p.acquiredAt);
    line("ingested by", p.ingestedBy);
    line("ingested at", p.ingestedAt);
    line("note", p.note);
    QStringList columns;
    for (const Column &c : v->schema.columns)
        columns.append(c.name + QLatin1Char(':') + columnKindName(c.kind));
    const int shown = 12;
    line("schema", columns.mid(0, shown).join(QStringLiteral(", "))
                       + (columns.size() > shown ? QStringLiteral(", … (%1 columns)").arg(columns.size()) : QString()));
    if (v->embeddingDimensions)
        line("embeddings", QStringLiteral("%1 dimensions").arg(v->embeddingDimensions));
    ctx.out << "files         " << files.size() << "\n";
    for (int i = 0; i < files.size() && i < 20; ++i)
        ctx.out << "  " << printable(files[i].role) << "  " << printable(files[i].name) << "  " << files[i].size << " bytes  sha256:"
                << printable(files[i].objectHash) << "\n";
    if (files.size() > 20)
        ctx.out << "  … and " << files.size() - 20 << " more (use --json for all)\n";
    return Clean;
}

} // namespace custody::cli
