#include "Cli.h"
#include "TerminalText.h"

#include "analysis/DriftEngine.h"
#include "ledger/Ledger.h"
#include "storage/Workspace.h"
#include "workflow/DriftRecording.h"

#include <QJsonDocument>

#include <algorithm>
#include <cmath>

namespace custody::cli {

namespace {

constexpr int kDriftFound = 3;     // --fail-on-drift: the dataset-level verdict is drift
constexpr int kDriftUnchecked = 4; // --fail-on-drift: no feature tested, or a column no test covers
constexpr int kShownFeatures = 30;
constexpr int kShownCells = 20;

QString fmt(double v, int precision = 4)
{
    if (std::isnan(v))
        return QStringLiteral("-");
    if (std::isinf(v))
        return QStringLiteral("inf");
    if (v != 0 && std::fabs(v) < 1e-3)
        return QString::number(v, 'e', 2);
    return QString::number(v, 'f', precision);
}

QString share(double v)
{
    return QString::number(100 * v, 'f', 1) + QLatin1Char('%');
}

void printShift(QTextStream &out, const TextGramShift &s)
{
    out << QStringLiteral("  %1 %2 -> %3  z %4  p_adjusted %5  %6")
               .arg(cell(QStringLiteral("'") + printable(s.gram) + QStringLiteral("'"), -28), cell(share(s.baselineShare), 6),
                    cell(share(s.batchShare), -6), cell(fmt(s.z, 1), 6), cell(fmt(s.pAdjusted), 10),
                    s.drifted ? QStringLiteral("DRIFT") : QStringLiteral("ok"));
    if (!s.records.isEmpty())
        out << "  e.g. " << printable(s.records.join(QStringLiteral(", ")));
    out << "\n";
}

void printText(QTextStream &out, const TextColumnDrift &t, bool byClass)
{
    out << "\nText '" << printable(t.column) << "': " << t.driftedGrams << " of " << t.testedGrams << " n-grams moved; ";
    if (t.domain.computed)
        out << "a classifier tells the batch from the baseline with AUC " << fmt(t.domain.auc, 3) << " (p = " << fmt(t.domain.pValue) << "): "
            << (t.domain.drifted ? "drifted" : "stable") << "\n";
    else
        out << "no classifier test (" << printable(t.domain.note) << ")\n";
    if (t.domain.drifted && !t.domain.batchWords.isEmpty())
        out << "  words that mark the batch: " << printable(t.domain.batchWords.join(QStringLiteral(", "))) << "\n";
    out << "  n-grams that moved most (baseline -> batch share of documents):\n";
    for (const TextGramShift &s : t.movedMost)
        printShift(out, s);
    if (byClass && !t.byClass.empty()) {
        out << "  by class:\n";
        for (const TextGramShift &s : t.byClass) {
            out << "  [" << printable(s.label) << "]";
            printShift(out, s);
        }
    }
}

void printHuman(QTextStream &out, const DriftReport &r, bool byClass)
{
    out << "Drift of " << printable(r.batch) << " against " << printable(r.baseline) << ": " << r.driftedFeatures << " of " << r.testedFeatures
        << " features drifted (" << fmt(100 * r.driftShare, 1) << "%, threshold " << fmt(100 * r.options.driftShareThreshold, 1)
        << "%): " << (r.datasetDrift ? "DATASET DRIFT" : "no dataset drift");
    if (!r.untested.isEmpty()) // a verdict never passes over a column in silence
        out << "; not tested: " << printable(r.untested.join(QStringLiteral("; ")));
    out << "\n";
    if (!r.integrity.problems.isEmpty()) {
        out << "\nIntegrity:\n";
        for (const QString &p : r.integrity.problems)
            out << "  - " << printable(p) << "\n";
        for (const QString &e : r.integrity.conflictingWithBaselineExamples.mid(0, 5))
            out << "      " << printable(e) << "\n";
    }
    if (r.labels.tested)
        out << "\nLabels: chi2 = " << fmt(r.labels.statistic, 2) << " (dof " << r.labels.dof << "), p = " << fmt(r.labels.pValue)
            << ", JS distance = " << fmt(r.labels.jensenShannon) << ", PSI = " << fmt(r.labels.psi) << ": "
            << (r.labels.drifted ? "drifted" : "stable") << "\n";
    if (r.representation.computed)
        out << "Embeddings: MMD^2 = " << fmt(r.representation.mmd2, 6) << ", p = " << fmt(r.representation.pValue) << " ("
            << r.representation.permutations << " permutations, " << r.representation.nBaseline << " vs " << r.representation.nBatch
            << " rows): " << (r.representation.drifted ? "drifted" : "stable") << "\n";
    else if (!r.representation.note.isEmpty())
        out << "Embeddings: not compared (" << printable(r.representation.note) << ")\n";

    out << "\nFeatures, most severe first:\n";
    out << QStringLiteral("  %1 %2 %3 %4 %5 %6 %7  %8\n")
               .arg(QStringLiteral("feature"), -24).arg(QStringLiteral("test"), -13).arg(QStringLiteral("statistic"), 10)
               .arg(QStringLiteral("p_value"), 10).arg(QStringLiteral("p_adjusted"), 10).arg(QStringLiteral("psi"), 8)
               .arg(QStringLiteral("effect"), 7).arg(QStringLiteral("verdict"));
    const std::vector<int> order = r.featuresBySeverity();
    int shown = 0;
    for (int i : order) {
        if (++shown > kShownFeatures)
            break;
        const FeatureDrift &f = r.features[size_t(i)];
        QString test = f.tested ? driftTestName(f.test) : QStringLiteral("-");
        if (f.tested && f.test == DriftTest::KolmogorovSmirnov)
            test += f.exact ? QStringLiteral(" exact") : QStringLiteral(" asymp");
        out << QStringLiteral("  %1 %2 %3 %4 %5 %6 %7  %8\n")
                   .arg(cell(printable(f.name), -24), cell(test, -13), cell(fmt(f.statistic), 10), cell(fmt(f.pValue), 10),
                        cell(fmt(f.pAdjusted), 10), cell(fmt(f.psi, 3), 8), cell(fmt(f.effect, 3), 7),
                        f.drifted ? QStringLiteral("DRIFT") : f.tested ? QStringLiteral("ok") : printable(f.note));
    }
    if (int(order.size()) > kShownFeatures)
        out << "  ... and " << order.size() - kShownFeatures << " more (use --json for all)\n";
    for (const TextColumnDrift &t : r.text)
        printText(out, t, byClass);
    if (byClass) {
        out << "\nBy class, largest effect first:\n";
        int cells = 0;
        for (const ClassDrift &c : r.byClass) {
            if (++cells > kShownCells)
                break;
            out << QStringLiteral("  %1 %2 effect %3  p_adjusted %4  %5\n")
                       .arg(cell(printable(r.features[size_t(c.feature)].name), -24), cell(QStringLiteral("label ") + printable(c.label), -16),
                            fmt(c.effect, 3), cell(fmt(c.pAdjusted), 10), c.drifted ? QStringLiteral("DRIFT") : QStringLiteral("ok"));
        }
        if (r.byClass.empty())
            out << "  (no class has enough records on both sides)\n";
    }
}

bool parseOptions(const Context &ctx, const QCommandLineParser &parser, DriftOptions *o)
{
    bool ok = true;
    const auto bad = [&](const char *option, const char *wanted) {
        ctx.fail(QStringLiteral("--%1 '%2': %3").arg(QLatin1String(option), parser.value(QLatin1String(option)), QLatin1String(wanted)));
        return false;
    };
    if (parser.isSet(QStringLiteral("alpha")) && (!((o->alpha = parser.value(QStringLiteral("alpha")).toDouble(&ok)) > 0) || !ok || o->alpha >= 1))
        return bad("alpha", "needs a number between 0 and 1 (exclusive)");
    if (parser.isSet(QStringLiteral("threshold"))
        && (!((o->driftShareThreshold = parser.value(QStringLiteral("threshold")).toDouble(&ok)) > 0) || !ok || o->driftShareThreshold > 1))
        return bad("threshold", "needs a share above 0 and at most 1");
    if (parser.isSet(QStringLiteral("permutations"))
        && ((o->permutations = parser.value(QStringLiteral("permutations")).toInt(&ok)) < 0 || !ok || o->permutations > kMaxPermutations))
        return bad("permutations", "needs a count from 0 to 10000");
    for (const QString &spec : parser.values(QStringLiteral("test"))) {
        const qsizetype eq = spec.lastIndexOf(QLatin1Char('='));
        DriftTest t;
        if (eq <= 0 || !driftTestFromName(spec.mid(eq + 1), &t)) {
            ctx.fail(QStringLiteral("--test '%1': takes FEATURE=TEST with TEST one of ks, chi2, wasserstein, psi, jensenshannon").arg(spec));
            return false;
        }
        o->featureTests.insert(spec.left(eq), t);
    }
    o->classConditional = parser.isSet(QStringLiteral("by-class"));
    return true;
}

} // namespace

int runDrift(const Context &ctx)
{
    const QString synopsis = QStringLiteral("-w DIR NAME@BASE NAME@NEW [--json] [--by-class] [--fail-on-drift] [--alpha A] [--threshold S] "
                                            "[--test FEATURE=TEST]... [--permutations N] [--as KEY] [--no-record]");
    QCommandLineParser parser;
    parser.addOption(workspaceOption());
    parser.addOption(jsonOption());
    parser.addOption(QCommandLineOption(QStringLiteral("by-class"), QStringLiteral("Test every feature inside every class too.")));
    parser.addOption(QCommandLineOption(QStringLiteral("fail-on-drift"), QStringLiteral("Exit 3 when the dataset-level verdict is drift, 4 when a column could not be tested.")));
    parser.addOption(QCommandLineOption(QStringLiteral("no-record"), QStringLiteral("Do not record the run in the ledger (read-only).")));
    parser.addOption(QCommandLineOption(QStringLiteral("alpha"), QStringLiteral("Significance level for adjusted p-values (0.05)."), QStringLiteral("A")));
    parser.addOption(QCommandLineOption(QStringLiteral("threshold"), QStringLiteral("Share of drifted features that makes dataset drift (0.5)."), QStringLiteral("T")));
    parser.addOption(QCommandLineOption(QStringLiteral("test"), QStringLiteral("Override a feature's test: FEATURE=ks|chi2|wasserstein|psi|jensenshannon."), QStringLiteral("F=T")));
    parser.addOption(QCommandLineOption(QStringLiteral("permutations"), QStringLiteral("MMD permutations for embeddings (200, at most 10000)."), QStringLiteral("N")));
    addSigningOptions(parser, false);
    parser.addPositionalArgument(QStringLiteral("NAME@BASE"), QStringLiteral("The known-good baseline version."));
    parser.addPositionalArgument(QStringLiteral("NAME@NEW"), QStringLiteral("The batch to compare against it."));
    if (const int rc = ctx.parse(parser, QStringLiteral("drift"), synopsis); rc != Continue)
        return rc;
    const QStringList pos = parser.positionalArguments();
    const auto base = VersionRef::parse(pos.value(0));
    const auto batch = VersionRef::parse(pos.value(1));
    if (pos.size() != 2 || !base || !batch)
        return ctx.fail(QStringLiteral("drift takes two versions as NAME@LABEL (usage: custody-cli drift %1)").arg(synopsis));
    DriftOptions options;
    if (!parseOptions(ctx, parser, &options))
        return UsageOrIoError;

    const bool record = !parser.isSet(QStringLiteral("no-record"));
    const auto ws = ctx.openWorkspace(parser, !record);
    if (!ws)
        return UsageOrIoError;
    QString error;
    const auto a = ws->version(*base, &error);
    if (!a)
        return ctx.fail(error);
    const auto b = ws->version(*batch, &error);
    if (!b)
        return ctx.fail(error);
    // Ask for the key before the work, so a wrong passphrase costs nothing.
    std::optional<SigningKey> signer;
    if (record && !scanRecordingKey(ctx, parser, *ws, &signer))
        return UsageOrIoError;

    DriftEngine engine(options);
    engine.setCancelFlag(&interrupted);
    const bool showProgress = ctx.progressWanted();
    int lastPercent = -1;
    QString lastPhase;
    engine.setProgress([&](const Progress &p) {
        const int percent = p.total > 0 ? int(100 * p.done / p.total) : 0;
        if (showProgress && (percent != lastPercent || p.phase != lastPhase)) {
            ctx.err << "\r" << printable(p.phase) << ": " << percent << "%   ";
            ctx.err.flush();
            lastPercent = percent;
            lastPhase = p.phase;
        }
    });
    DriftReport report;
    const bool ok = engine.run(*ws, *a, *b, &report, &error);
    if (showProgress) {
        ctx.err << "\r\033[K";
        ctx.err.flush();
    }
    if (!ok)
        return ctx.fail(error);

    QString recorded;
    if (record) {
        LedgerEvent event;
        Error recordError;
        if (!recordDriftRun(*ws, report, signer ? &*signer : nullptr, &event, &recordError))
            return failStep(ctx, recordError);
        recorded = QStringLiteral("Recorded as ledger event %1 (scan.recorded, result %2)").arg(event.seq).arg(report.resultDigest().left(16));
    }
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonObject json = report.toJson(options.classConditional);
        json.insert(QStringLiteral("result_digest"), report.resultDigest());
        ctx.out << QJsonDocument(json).toJson(QJsonDocument::Indented);
    } else {
        printHuman(ctx.out, report, options.classConditional);
        if (!recorded.isEmpty())
            ctx.out << "\n" << recorded << "\n";
    }
    ctx.out.flush();
    if (!parser.isSet(QStringLiteral("fail-on-drift")))
        return Clean;
    if (report.datasetDrift)
        return kDriftFound;
    // A gate never passes on a check that did not happen: no feature tested, or a column no test covers.
    if (report.testedFeatures == 0 || !report.untested.isEmpty()) {
        ctx.err << "--fail-on-drift: drift cannot be ruled out: "
                << (report.untested.isEmpty() ? QStringLiteral("no feature could be tested")
                                              : QStringLiteral("not tested: ") + printable(report.untested.join(QStringLiteral("; "))))
                << "\n";
        return kDriftUnchecked;
    }
    return Clean;
}

} // namespace custody::cli
