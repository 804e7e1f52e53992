#include "Cli.h"
#include "TerminalText.h"

#include "demo/DemoWorkspace.h"

namespace custody::cli {

int runDemo(const Context &ctx)
{
    QCommandLineParser parser;
    DemoOptions options;
    auto opt = [&](const char *name, const QString &help, const char *value) {
        parser.addOption(QCommandLineOption(QString::fromLatin1(name), help, QString::fromLatin1(value)));
    };
    opt("seed", QStringLiteral("Random seed (default %1).").arg(options.seed), "N");
    opt("rate", QStringLiteral("Backdoor share of the target class in v2 (default %1).").arg(options.backdoorRate), "R");
    opt("trigger", QStringLiteral("Trigger shape: patch, cross or checker (default %1).").arg(options.trigger), "T");
    opt("target-class", QStringLiteral("Label the backdoor records get (default %1).").arg(options.targetClass), "C");
    opt("source", QStringLiteral("Folder with the Fashion-MNIST IDX files (default %1).").arg(options.fashionMnistDir), "DIR");
    parser.addOption(QCommandLineOption(QStringLiteral("no-scan"), QStringLiteral("Do not scan fashion@v2 (the desktop and 'custody-cli scan' can later).")));
    parser.addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("Folder for the demo workspace."));
    const QString synopsis = QStringLiteral("DIR [--seed N] [--rate R] [--trigger patch|cross|checker] [--target-class C] [--source DIR] [--no-scan]");
    if (const int rc = ctx.parse(parser, QStringLiteral("demo"), synopsis); rc != Continue)
        return rc;
    if (parser.positionalArguments().size() != 1)
        return ctx.fail(QStringLiteral("demo takes one folder (usage: custody-cli demo %1)").arg(synopsis));
    bool ok = true;
    const auto bad = [&](const char *option, const char *wanted) {
        return ctx.fail(QStringLiteral("--%1 '%2': %3").arg(QLatin1String(option), parser.value(QLatin1String(option)), QLatin1String(wanted)));
    };
    if (parser.isSet(QStringLiteral("seed")) && ((options.seed = parser.value(QStringLiteral("seed")).toUInt(&ok)), !ok))
        return bad("seed", "needs a whole number from 0 to 4294967295");
    if (parser.isSet(QStringLiteral("rate"))) {
        options.backdoorRate = parser.value(QStringLiteral("rate")).toDouble(&ok);
        if (!ok || !(options.backdoorRate >= 0 && options.backdoorRate <= 0.5))
            return bad("rate", "needs a share from 0 to 0.5");
    }
    if (parser.isSet(QStringLiteral("target-class"))) {
        options.targetClass = parser.value(QStringLiteral("target-class")).toInt(&ok);
        if (!ok || options.targetClass < 0 || options.targetClass > 9)
            return bad("target-class", "needs a Fashion-MNIST class, 0 to 9");
    }
    if (parser.isSet(QStringLiteral("trigger")))
        options.trigger = parser.value(QStringLiteral("trigger"));
    if (parser.isSet(QStringLiteral("source")))
        options.fashionMnistDir = parser.value(QStringLiteral("source"));
    options.scan = !parser.isSet(QStringLiteral("no-scan"));

    QString error;
    QString lastPhase;
    const bool showProgress = ctx.progressWanted();
    const auto progress = [&](const Progress &p) {
        if (showProgress && p.phase != lastPhase) {
            ctx.err << "\r\033[K" << printable(p.phase);
            ctx.err.flush();
            lastPhase = p.phase;
        }
    };
    const QString dir = parser.positionalArguments().first();
    const bool built = buildDemoWorkspace(dir, options, &error, progress, &interrupted);
    if (showProgress)
        ctx.err << "\r\033[K";
    if (!built)
        return ctx.fail(error);
    ctx.out << "Demo workspace ready in " << printable(dir) << " (fashion@v1, fashion@v2; ground truth in " << printable(dir)
            << "/demo-data/ground-truth.json" << (options.scan ? QStringLiteral("; fashion@v2 scanned: custody-cli findings -w %1 fashion@v2").arg(printable(dir)) : QString()) << ")\n";
    return Clean;
}

} // namespace custody::cli
