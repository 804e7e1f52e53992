#include "Cli.h"
#include "TerminalText.h"

#include "storage/Ingest.h"
#include "workflow/IngestVersion.h"
#include "storage/Workspace.h"

namespace custody::cli {

int runIngest(const Context &ctx)
{
    QCommandLineParser parser;
    auto opt = [&](const char *name, const char *help, const char *value) {
        parser.addOption(QCommandLineOption(QString::fromLatin1(name), QString::fromLatin1(help), QString::fromLatin1(value)));
    };
    parser.addOption(workspaceOption());
    opt("dataset", "Dataset name.", "NAME");
    opt("version", "Label of the new version (must not exist yet).", "LABEL");
    opt("parent", "Label of the parent version in the same dataset.", "LABEL");
    opt("format", "csv, tsv, jsonl, npy, idx or images (detected when omitted).", "FORMAT");
    opt("id-column", "Column holding record ids (default: file stem for images, else the row number).", "C");
    opt("label-column", "Column holding labels.", "C");
    opt("labels", "File of labels aligned by row (.npy, IDX, or one label per line).", "FILE");
    opt("embeddings", "A .npy of representation vectors aligned by row.", "FILE.npy");
    opt("source", "Where the data came from (URI).", "URI");
    opt("supplier", "Who supplied it.", "S");
    opt("license", "Its licence.", "L");
    opt("acquired-at", "When it was acquired (ISO 8601).", "TIME");
    opt("note", "A free note kept in the manifest.", "TEXT");
    addSigningOptions(parser, false);
    parser.addPositionalArgument(QStringLiteral("PATH"), QStringLiteral("Source files or an image folder."), QStringLiteral("PATH..."));
    const QString synopsis = QStringLiteral("-w DIR --dataset NAME --version LABEL [--parent LABEL] [--format F] "
                                            "[--id-column C] [--label-column C] [--labels FILE] [--embeddings FILE.npy] "
                                            "[--source URI] [--supplier S] [--license L] [--acquired-at DATE] [--note TEXT] [--as KEY] "
                                            "[--passphrase-file FILE] PATH [PATH...]");
    if (const int rc = ctx.parse(parser, QStringLiteral("ingest"), synopsis); rc != Continue)
        return rc;

    IngestRequest req;
    req.dataset = parser.value(QStringLiteral("dataset"));
    req.version = parser.value(QStringLiteral("version"));
    req.parentLabel = parser.value(QStringLiteral("parent"));
    req.paths = parser.positionalArguments();
    if (req.dataset.isEmpty() || req.version.isEmpty() || req.paths.isEmpty())
        return ctx.fail(QStringLiteral("ingest needs --dataset, --version and at least one PATH (usage: custody-cli ingest %1)").arg(synopsis));
    if (parser.isSet(QStringLiteral("format"))
        && !sourceFormatFromName(parser.value(QStringLiteral("format")), &req.reader.format))
        return ctx.fail(QStringLiteral("unknown format '%1' (csv, tsv, jsonl, npy, idx or images)").arg(parser.value(QStringLiteral("format"))));
    req.reader.idColumn = parser.value(QStringLiteral("id-column"));
    req.reader.labelColumn = parser.value(QStringLiteral("label-column"));
    req.reader.labelsFile = parser.value(QStringLiteral("labels"));
    req.embeddingsFile = parser.value(QStringLiteral("embeddings"));
    req.provenance.source = parser.value(QStringLiteral("source"));
    req.provenance.supplier = parser.value(QStringLiteral("supplier"));
    req.provenance.license = parser.value(QStringLiteral("license"));
    req.provenance.acquiredAt = parser.value(QStringLiteral("acquired-at"));
    req.provenance.note = parser.value(QStringLiteral("note"));

    const auto ws = ctx.openWorkspace(parser, false);
    if (!ws)
        return UsageOrIoError;
    std::optional<SigningKey> signer;
    if (parser.isSet(QStringLiteral("as"))) {
        if (!(signer = loadSigningKey(ctx, parser)))
            return UsageOrIoError;
        req.signer = &*signer;
    }
    const bool showProgress = ctx.progressWanted();
    int lastPercent = -1;
    QString lastPhase;
    const auto progress = [&](const Progress &p) {
        if (!showProgress)
            return;
        const int percent = p.total > 0 ? int(100 * p.done / p.total) : 0;
        if (percent != lastPercent || p.phase != lastPhase) {
            ctx.err << "\r" << printable(p.phase) << ": " << percent << "%   ";
            ctx.err.flush();
            lastPercent = percent;
            lastPhase = p.phase;
        }
    };
    IngestResult result;
    QString error;
    Refusal refusal;
    const bool ok = ingestVersion(*ws, req, &result, &error, progress, &interrupted, &refusal);
    if (showProgress) {
        ctx.err << "\r\033[K";
        ctx.err.flush();
    }
    if (!ok)
        return failStep(ctx, Error::fromStep(error, refusal));
    ctx.out << printable(req.dataset + QLatin1Char('@') + req.version) << ": " << result.recordCount << " records, digest "
            << toHex(result.digest) << "\n";
    for (const QString &skipped : result.skipped) // names from the source: escaped
        ctx.err << "custody-cli: note: " << printable(skipped) << "\n";
    for (const QString &repaired : result.repaired)
        ctx.err << "custody-cli: warning: stored " << printable(repaired) << "; run 'custody-cli verify'\n";
    return Clean;
}

} // namespace custody::cli
