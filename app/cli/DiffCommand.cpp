#include "Cli.h"
#include "TerminalText.h"

#include "storage/Delta.h"
#include "storage/Workspace.h"

#include <QJsonDocument>

namespace custody::cli {

namespace {
// "U+0063 U+0061 U+0066 U+00E9": what tells two ids apart that print the same.
QString codePoints(const QString &id)
{
    QStringList points;
    for (const char32_t c : id.toUcs4())
        points.append(QStringLiteral("U+") + QStringLiteral("%1").arg(uint(c), 4, 16, QLatin1Char('0')).toUpper());
    return points.join(QLatin1Char(' '));
}

void printList(QTextStream &out, const char *title, const QStringList &ids)
{
    out << title << ": " << ids.size() << "\n";
    const int shown = 20;
    for (int i = 0; i < ids.size() && i < shown; ++i)
        out << "  " << printable(ids[i]) << "\n";
    if (ids.size() > shown)
        out << "  … and " << ids.size() - shown << " more (use --json for all)\n";
}
} // namespace

int runDiff(const Context &ctx)
{
    QCommandLineParser parser;
    parser.addOption(workspaceOption());
    parser.addOption(jsonOption());
    parser.addPositionalArgument(QStringLiteral("NAME@A"), QStringLiteral("The older version."));
    parser.addPositionalArgument(QStringLiteral("NAME@B"), QStringLiteral("The newer version."));
    if (const int rc = ctx.parse(parser, QStringLiteral("diff"), QStringLiteral("-w DIR NAME@A NAME@B [--json]")); rc != Continue)
        return rc;
    const QStringList pos = parser.positionalArguments();
    const auto refA = VersionRef::parse(pos.value(0));
    const auto refB = VersionRef::parse(pos.value(1));
    if (pos.size() != 2 || !refA || !refB)
        return ctx.fail(QStringLiteral("diff takes two versions as NAME@LABEL (usage: custody-cli diff -w DIR NAME@A NAME@B)"));
    const auto ws = ctx.openWorkspace(parser, true);
    if (!ws)
        return UsageOrIoError;
    QString error;
    const auto a = ws->version(*refA, &error);
    if (!a)
        return ctx.fail(error);
    const auto b = ws->version(*refB, &error);
    if (!b)
        return ctx.fail(error);
    Delta delta;
    if (!computeDelta(*ws, *a, *b, &delta, &error))
        return ctx.fail(error);
    // Conflicting duplicates are a data problem a pipeline may gate on; ordinary changes are not.
    const int exit = delta.conflictingDuplicateGroups() > 0 ? ProblemsFound : Clean;
    if (parser.isSet(QStringLiteral("json"))) {
        ctx.out << QJsonDocument(delta.toJson()).toJson(QJsonDocument::Indented);
        return exit;
    }
    ctx.out << printable(refA->toString()) << " -> " << printable(refB->toString()) << "\n";
    printList(ctx.out, "added", delta.added);
    printList(ctx.out, "removed", delta.removed);
    printList(ctx.out, "modified", delta.modified);
    printList(ctx.out, "relabelled", delta.relabelled);
    ctx.out << "duplicate groups in " << printable(refB->toString()) << ": " << delta.duplicates.size() << " ("
            << delta.conflictingDuplicateGroups() << " with conflicting labels)\n";
    int shown = 0;
    for (const DuplicateGroup &g : delta.duplicates) {
        if (!g.conflictingLabels || ++shown > 20)
            continue;
        QStringList members;
        for (int i = 0; i < g.ids.size(); ++i)
            members.append(g.ids[i] + QLatin1Char('=') + g.labels[i]);
        ctx.out << "  conflicting: " << printable(members.join(QStringLiteral(", "))) << "\n";
    }
    if (!delta.normalisationTwins.isEmpty()) {
        // Shown with escapes for anything outside printable ASCII, since the two differ only in their bytes.
        ctx.out << "ids re-encoded (removed and added, but the same text after Unicode normalisation): "
                << delta.normalisationTwins.size() << "\n";
        for (int i = 0; i < delta.normalisationTwins.size() && i < 20; ++i)
            ctx.out << "  " << printable(delta.normalisationTwins[i].first) << " -> " << printable(delta.normalisationTwins[i].second)
                    << "  (" << codePoints(delta.normalisationTwins[i].first) << " -> " << codePoints(delta.normalisationTwins[i].second) << ")\n";
    }
    return exit;
}

} // namespace custody::cli
