#include "Cli.h"
#include "TerminalText.h"

#include "detection/ScanEngine.h"
#include "workflow/ScanStore.h"
#include "workflow/DefaultBaseline.h"
#include "ledger/Ledger.h"
#include "storage/Workspace.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace custody::cli {

namespace {

constexpr int kShownRecords = 25;

void printSummary(QTextStream &out, const ScanResult &r)
{
    out << "Scan of " << printable(r.version) << (r.baseline.isEmpty() ? QStringLiteral(" (no baseline)") : QStringLiteral(" against ") + printable(r.baseline))
        << ": " << r.ranking.size() << " records flagged\n";
    out << "Representation: " << printable(r.representationDetail) << "\n\n";
    out << QStringLiteral("  %1 %2 %3  %4\n").arg(QStringLiteral("detector"), -22).arg(QStringLiteral("scored"), 8)
               .arg(QStringLiteral("flagged"), 8).arg(QStringLiteral("note"));
    for (const DetectorSummary &s : r.summaries)
        out << QStringLiteral("  %1 %2 %3  %4\n").arg(cell(printable(s.detector), -22), cell(QString::number(s.scored), 8),
                                                     cell(QString::number(s.flagged), 8), printable(s.note));
    for (const TriggerMask &m : r.masks)
        out << "\nTrigger: " << printable(m.description) << "\n";
    for (const TriggerPhrase &p : r.phrases) // phrases come from the data: escaped
        out << "\nTrigger phrase (" << printable(p.column) << "): " << printable(p.description) << "\n";
    if (r.ranking.isEmpty())
        return;
    out << "\nMost suspicious first:\n";
    int shown = 0;
    for (const Suspicion &s : r.ranking) {
        if (++shown > kShownRecords) {
            out << "  ... and " << r.ranking.size() - kShownRecords << " more (custody-cli findings, or --json)\n";
            break;
        }
        out << QStringLiteral("  %1  score %2  [%3]\n").arg(cell(printable(s.record), -10), cell(QString::number(s.score, 'f', 2), 5),
                                                           printable(s.detectors.join(QStringLiteral(", "))));
        for (const Finding &f : r.findingsFor(s.row))
            out << "      " << printable(f.detector) << ": " << printable(f.reason) << "\n";
    }
}

bool parseScanOptions(const Context &ctx, const QCommandLineParser &parser, ScanOptions *o)
{
    bool ok = true;
    if (parser.isSet(QStringLiteral("detectors"))) {
        o->detectors = parser.value(QStringLiteral("detectors")).split(QLatin1Char(','), Qt::SkipEmptyParts);
        // An empty list means "all" inside the engine: '--detectors ,,' must not quietly become every detector.
        if (o->detectors.isEmpty()) {
            ctx.fail(QStringLiteral("--detectors needs at least one detector (known: %1)").arg(DetectorName::all().join(QStringLiteral(", "))));
            return false;
        }
        o->detectors.removeDuplicates();
    }
    for (const QString &d : o->detectors)
        if (!DetectorName::all().contains(d)) {
            ctx.fail(QStringLiteral("unknown detector '%1' (known: %2)").arg(d, DetectorName::all().join(QStringLiteral(", "))));
            return false;
        }
    if (parser.isSet(QStringLiteral("representation")))
        o->representation = parser.value(QStringLiteral("representation"));
    if (!QStringList{QStringLiteral("auto"), QStringLiteral("embeddings"), QStringLiteral("probe"), QStringLiteral("pca")}.contains(o->representation)) {
        ctx.fail(QStringLiteral("--representation takes auto, embeddings, probe or pca"));
        return false;
    }
    if (parser.isSet(QStringLiteral("alpha")))
        o->alpha = parser.value(QStringLiteral("alpha")).toDouble(&ok);
    if (ok && parser.isSet(QStringLiteral("expected-fraction")))
        o->expectedPoisonFraction = parser.value(QStringLiteral("expected-fraction")).toDouble(&ok);
    if (ok && parser.isSet(QStringLiteral("seed")))
        o->seed = parser.value(QStringLiteral("seed")).toULongLong(&ok);
    if (!ok || !(o->alpha > 0 && o->alpha < 1) || !(o->expectedPoisonFraction > 0 && o->expectedPoisonFraction < 1)) {
        ctx.fail(QStringLiteral("--alpha and --expected-fraction need numbers in (0, 1), --seed a whole number"));
        return false;
    }
    return true;
}

} // namespace

int runScan(const Context &ctx)
{
    const QString synopsis = QStringLiteral("-w DIR NAME@NEW [--baseline NAME@BASE | --no-baseline] [--detectors LIST] "
                                            "[--representation R] [--alpha A] [--expected-fraction F] [--seed N] [--json] [--as KEY] [--no-record]");
    QCommandLineParser parser;
    parser.addOption(workspaceOption());
    parser.addOption(jsonOption());
    parser.addOption(QCommandLineOption(QStringLiteral("baseline"), QStringLiteral("The known-good version to compare with (default: the version's parent)."), QStringLiteral("NAME@BASE")));
    parser.addOption(QCommandLineOption(QStringLiteral("no-baseline"), QStringLiteral("Scan the version alone (single-dataset detectors).")));
    parser.addOption(QCommandLineOption(QStringLiteral("detectors"), QStringLiteral("Comma-separated detectors to run (default all: %1).").arg(DetectorName::all().join(QStringLiteral(","))), QStringLiteral("LIST")));
    parser.addOption(QCommandLineOption(QStringLiteral("representation"), QStringLiteral("auto (default), embeddings, probe or pca."), QStringLiteral("R")));
    parser.addOption(QCommandLineOption(QStringLiteral("alpha"), QStringLiteral("Share of clean records each detector may flag (0.001)."), QStringLiteral("A")));
    parser.addOption(QCommandLineOption(QStringLiteral("expected-fraction"), QStringLiteral("Expected poison share of a class, for spectral signatures' budget (0.05)."), QStringLiteral("F")));
    parser.addOption(QCommandLineOption(QStringLiteral("seed"), QStringLiteral("Seed of the probe network and the samplers."), QStringLiteral("N")));
    parser.addOption(QCommandLineOption(QStringLiteral("no-record"), QStringLiteral("Do not record the scan in the workspace (read-only).")));
    addSigningOptions(parser, false);
    parser.addPositionalArgument(QStringLiteral("NAME@NEW"), QStringLiteral("The version to scan."));
    if (const int rc = ctx.parse(parser, QStringLiteral("scan"), synopsis); rc != Continue)
        return rc;
    const auto batchRef = VersionRef::parse(parser.positionalArguments().value(0));
    if (!batchRef || parser.positionalArguments().size() != 1)
        return ctx.fail(QStringLiteral("scan takes one version as NAME@LABEL (usage: custody-cli scan %1)").arg(synopsis));
    ScanOptions options;
    if (!parseScanOptions(ctx, parser, &options))
        return UsageOrIoError;
    const bool record = !parser.isSet(QStringLiteral("no-record"));
    const auto ws = ctx.openWorkspace(parser, !record);
    if (!ws)
        return UsageOrIoError;
    QString error;
    const auto batch = ws->version(*batchRef, &error);
    if (!batch)
        return ctx.fail(error);
    std::optional<DatasetVersion> baseline;
    if (parser.isSet(QStringLiteral("baseline")) && parser.isSet(QStringLiteral("no-baseline")))
        return ctx.fail(QStringLiteral("--baseline and --no-baseline exclude each other"));
    if (parser.isSet(QStringLiteral("baseline"))) {
        const auto baseRef = VersionRef::parse(parser.value(QStringLiteral("baseline")));
        if (!baseRef)
            return ctx.fail(QStringLiteral("--baseline takes NAME@LABEL"));
        if (!(baseline = ws->version(*baseRef, &error)))
            return ctx.fail(error);
    } else if (const auto parent = defaultBaseline(*batch); !parser.isSet(QStringLiteral("no-baseline")) && parent) {
        if (!(baseline = ws->version(*parent, &error)))
            return ctx.fail(error);
    }
    // Ask for the key before the work, so a wrong passphrase costs nothing.
    std::optional<SigningKey> signer;
    if (record && !scanRecordingKey(ctx, parser, *ws, &signer))
        return UsageOrIoError;

    ScanEngine engine(options);
    engine.setCancelFlag(&interrupted);
    const bool showProgress = ctx.progressWanted();
    QString lastLine;
    engine.setProgress([&](const Progress &p) {
        if (!showProgress)
            return;
        const QString line = QStringLiteral("%1: %2%").arg(printable(p.phase)).arg(p.total > 0 ? int(100 * p.done / p.total) : 0);
        if (line != lastLine) {
            ctx.err << "\r\033[K" << line;
            ctx.err.flush();
            lastLine = line;
        }
    });
    ScanResult result;
    const bool ok = engine.run(*ws, *batch, baseline ? &*baseline : nullptr, &result, &error);
    if (showProgress) {
        ctx.err << "\r\033[K";
        ctx.err.flush();
    }
    if (!ok)
        return ctx.fail(error);

    QString recorded;
    qint64 eventSeq = 0;
    if (record) {
        LedgerEvent event;
        Refusal refusal;
        if (!ScanStore(*ws).record(result, signer ? &*signer : nullptr, &event, &error, &refusal))
            return failStep(ctx, Error::fromStep(error, refusal));
        eventSeq = event.seq;
        recorded = QStringLiteral("Recorded as ledger event %1 (scan.recorded, result %2)").arg(event.seq).arg(result.resultDigest().left(16));
    }
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonObject json = result.toJson();
        json.insert(QStringLiteral("result_digest"), result.resultDigest());
        json.insert(QStringLiteral("seconds"), result.seconds);
        if (eventSeq)
            json.insert(QStringLiteral("ledger_event"), eventSeq);
        ctx.out << QJsonDocument(json).toJson(QJsonDocument::Indented);
    } else {
        printSummary(ctx.out, result);
        ctx.out << "\nScanned in " << QString::number(result.seconds, 'f', 1) << " s.";
        if (!recorded.isEmpty())
            ctx.out << " " << recorded << ".";
        ctx.out << "\n";
    }
    ctx.out.flush();
    return result.ranking.isEmpty() ? Clean : ProblemsFound;
}

} // namespace custody::cli
