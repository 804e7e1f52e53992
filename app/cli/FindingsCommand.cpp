#include "Cli.h"
#include "TerminalText.h"

#include "workflow/ScanStore.h"
#include "ledger/Ledger.h"
#include "storage/Workspace.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>

namespace custody::cli {

int runFindings(const Context &ctx)
{
    const QString synopsis = QStringLiteral("-w DIR NAME@NEW [--json] [--detector D] [--min-score S]");
    QCommandLineParser parser;
    parser.addOption(workspaceOption());
    parser.addOption(jsonOption());
    parser.addOption(QCommandLineOption(QStringLiteral("detector"), QStringLiteral("Only this detector's findings."), QStringLiteral("D")));
    parser.addOption(QCommandLineOption(QStringLiteral("min-score"), QStringLiteral("Only records whose combined suspicion is at least S."), QStringLiteral("S")));
    parser.addPositionalArgument(QStringLiteral("NAME@NEW"), QStringLiteral("The scanned version."));
    if (const int rc = ctx.parse(parser, QStringLiteral("findings"), synopsis); rc != Continue)
        return rc;
    const auto ref = VersionRef::parse(parser.positionalArguments().value(0));
    if (!ref || parser.positionalArguments().size() != 1)
        return ctx.fail(QStringLiteral("findings takes one version as NAME@LABEL (usage: custody-cli findings %1)").arg(synopsis));
    const QString detector = parser.value(QStringLiteral("detector"));
    if (!detector.isEmpty() && !DetectorName::all().contains(detector))
        return ctx.fail(QStringLiteral("unknown detector '%1' (known: %2)").arg(detector, DetectorName::all().join(QStringLiteral(", "))));
    bool ok = true;
    const double minScore = parser.isSet(QStringLiteral("min-score")) ? parser.value(QStringLiteral("min-score")).toDouble(&ok) : -1e300;
    if (!ok)
        return ctx.fail(QStringLiteral("--min-score takes a number"));
    const auto ws = ctx.openWorkspace(parser, true);
    if (!ws)
        return UsageOrIoError;
    QString error;
    if (!ws->version(*ref, &error))
        return ctx.fail(error);
    ScanResult result;
    QList<Decision> decisions; // the review so far, as the ledger proves it, so that a curator sees what is undecided
    if (!ScanStore(*ws).latest(ref->toString(), &result, &error, &decisions))
        return ctx.fail(error);
    QHash<QString, Decision> decided;
    for (const Decision &d : decisions)
        decided.insert(d.recordId, d);

    QJsonArray findings;
    QList<const Finding *> shown;
    QHash<QString, double> suspicion;
    for (const Suspicion &s : result.ranking)
        suspicion.insert(s.record, s.score);
    for (const Finding &f : result.findings) {
        if ((!detector.isEmpty() && f.detector != detector) || suspicion.value(f.record) < minScore)
            continue;
        shown << &f;
        QJsonObject o = f.toJson();
        o.insert(QStringLiteral("suspicion"), suspicion.value(f.record));
        if (decided.contains(f.record)) {
            const Decision &d = decided.value(f.record);
            o.insert(QStringLiteral("decision"), QJsonObject{{QStringLiteral("action"), d.action}, {QStringLiteral("label"), d.label},
                                                             {QStringLiteral("by"), d.actor}, {QStringLiteral("note"), d.note}});
        }
        findings.append(o);
    }
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray summary;
        for (const DetectorSummary &s : result.summaries)
            summary.append(s.toJson());
        ctx.out << QJsonDocument(QJsonObject{{QStringLiteral("version"), result.version},
                                             {QStringLiteral("baseline"), result.baseline},
                                             {QStringLiteral("result_digest"), result.resultDigest()},
                                             {QStringLiteral("summary"), summary},
                                             {QStringLiteral("findings"), findings}})
                       .toJson(QJsonDocument::Indented);
    } else {
        ctx.out << findings.size() << " findings of the latest scan of " << printable(result.version)
                << (result.baseline.isEmpty() ? QString() : QStringLiteral(" against ") + printable(result.baseline)) << "\n";
        for (const Finding *f : shown) {
            const QString decision = decided.contains(f->record)
                                         ? QStringLiteral("  decided: %1").arg(decided.value(f->record).action)
                                         : QStringLiteral("  undecided");
            ctx.out << QStringLiteral("%1 %2 score %3 (threshold %4)%5\n    %6\n")
                           .arg(cell(printable(f->record), -10), cell(printable(f->detector), -22), QString::number(f->score, 'g', 4),
                                QString::number(f->threshold, 'g', 4), printable(decision), printable(f->reason));
        }
    }
    ctx.out.flush();
    return Clean;
}

} // namespace custody::cli
