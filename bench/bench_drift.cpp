// The full drift report on rows x cols numeric features against a baseline of the same size, from column
// arrays in memory and (with --workspace) end to end from a workspace. Run through bench/bench_drift_scipy.py,
// which times SciPy's ks_2samp loop on the same data and compares the p-values; or alone:
//   build/bench/bench_drift [--rows 1000000] [--cols 50] [--classes 10] [--workspace DIR] [--json]
// Data: column j of the baseline is bellSample(1000 + j), of the batch bellSample(2000 + j) shifted by 0.005
// for j < 5 and by 0.05 for 5 <= j < 10 (the rest undrifted); labels are row % classes.
#include "analysis/DriftEngine.h"
#include "sampling/SplitMix64.h"
#include "storage/Ingest.h"
#include "workflow/IngestVersion.h"
#include "storage/Workspace.h"
#include "workflow/OpenWorkspace.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>

#include <charconv>
#include <cstdio>

using namespace custody;

namespace {

float shiftOf(int col)
{
    return col < 5 ? 0.005f : col < 10 ? 0.05f : 0.0f;
}

std::shared_ptr<DriftSample> generate(const QString &version, qint64 rows, int cols, int classes, bool batch)
{
    auto s = std::make_shared<DriftSample>();
    s->version = version;
    for (int c = 0; c < cols; ++c) {
        DriftSample::Column col;
        col.name = QStringLiteral("f%1").arg(c);
        col.numbers = bellSample(uint64_t((batch ? 2000 : 1000) + c), rows, batch ? shiftOf(c) : 0.0f, 1.0f, false);
        s->columns.push_back(std::move(col));
        s->schema.columns.append(Column{QStringLiteral("f%1").arg(c), ColumnKind::Number});
    }
    for (int k = 0; k < classes; ++k)
        s->labelNames.append(QStringLiteral("c%1").arg(k));
    s->labels.resize(size_t(rows));
    s->ids.reserve(rows);
    for (qint64 r = 0; r < rows; ++r) {
        s->labels[size_t(r)] = int32_t(r % classes);
        s->ids.append(QString::number(r));
    }
    return s;
}

bool writeCsv(const QString &path, const DriftSample &s)
{
    FILE *f = std::fopen(QFile::encodeName(path).constData(), "wb");
    if (!f)
        return false;
    std::string line = "id,label";
    for (const DriftSample::Column &c : s.columns)
        line += "," + c.name.toStdString();
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), f);
    char buf[32];
    for (qint64 r = 0; r < s.rows(); ++r) {
        line = std::to_string(r) + ",c" + std::to_string(s.labels[size_t(r)]);
        for (const DriftSample::Column &c : s.columns) {
            // Shortest text that reads back as the same float32.
            const auto res = std::to_chars(buf, buf + sizeof buf, c.numbers[size_t(r)]);
            line += ',';
            line.append(buf, size_t(res.ptr - buf));
        }
        line += '\n';
        std::fwrite(line.data(), 1, line.size(), f);
    }
    return std::fclose(f) == 0;
}

QJsonArray featuresJson(const DriftReport &r)
{
    QJsonArray out;
    for (const FeatureDrift &f : r.features)
        out.append(QJsonObject{{QStringLiteral("name"), f.name}, {QStringLiteral("statistic"), f.statistic},
                               {QStringLiteral("p_value"), f.pValue}});
    return out;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addOption({QStringLiteral("rows"), QStringLiteral("Rows per version."), QStringLiteral("N"), QStringLiteral("1000000")});
    p.addOption({QStringLiteral("cols"), QStringLiteral("Numeric features."), QStringLiteral("N"), QStringLiteral("50")});
    p.addOption({QStringLiteral("classes"), QStringLiteral("Labels."), QStringLiteral("N"), QStringLiteral("10")});
    p.addOption({QStringLiteral("workspace"), QStringLiteral("Also time the run end to end from this workspace (built once)."), QStringLiteral("DIR")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print timings and p-values as JSON.")});
    p.process(app);
    const qint64 rows = p.value(QStringLiteral("rows")).toLongLong();
    const int cols = p.value(QStringLiteral("cols")).toInt(), classes = p.value(QStringLiteral("classes")).toInt();

    QElapsedTimer t;
    t.start();
    const auto base = generate(QStringLiteral("bench@base"), rows, cols, classes, false);
    const auto batch = generate(QStringLiteral("bench@new"), rows, cols, classes, true);
    const double generateSeconds = t.nsecsElapsed() / 1e9;

    QJsonObject out{{QStringLiteral("rows"), rows}, {QStringLiteral("cols"), cols}, {QStringLiteral("classes"), classes},
                    {QStringLiteral("threads"), QThread::idealThreadCount()}, {QStringLiteral("generate_seconds"), generateSeconds}};
    QString error;
    DriftReport report;
    for (const bool byClass : {false, true}) {
        DriftOptions options;
        options.classConditional = byClass;
        t.restart();
        if (!DriftEngine(options).compare(base, batch, &report, &error)) {
            std::fprintf(stderr, "drift failed: %s\n", qPrintable(error));
            return 1;
        }
        out.insert(byClass ? QStringLiteral("memory_by_class_seconds") : QStringLiteral("memory_seconds"), t.nsecsElapsed() / 1e9);
        if (!byClass)
            out.insert(QStringLiteral("features"), featuresJson(report));
        else
            out.insert(QStringLiteral("drifted_features"), report.driftedFeatures);
    }

    if (p.isSet(QStringLiteral("workspace"))) {
        const QString dir = p.value(QStringLiteral("workspace"));
        if (!Workspace::looksLikeWorkspace(dir)) {
            auto ws = createWorkspace(dir, &error);
            if (!ws) {
                std::fprintf(stderr, "%s\n", qPrintable(error));
                return 1;
            }
            for (const auto &[label, sample] : {std::pair{QStringLiteral("base"), base}, std::pair{QStringLiteral("new"), batch}}) {
                const QString csv = dir + QStringLiteral("/../bench-drift-") + label + QStringLiteral(".csv");
                std::fprintf(stderr, "writing and ingesting %s\n", qPrintable(csv));
                IngestRequest req;
                req.dataset = QStringLiteral("bench");
                req.version = label;
                req.paths = {csv};
                req.reader.idColumn = QStringLiteral("id");
                req.reader.labelColumn = QStringLiteral("label");
                IngestResult result;
                if (!writeCsv(csv, *sample) || !ingestVersion(*ws, req, &result, &error)) {
                    std::fprintf(stderr, "ingest failed: %s\n", qPrintable(error));
                    return 1;
                }
                QFile::remove(csv);
            }
        }
        DriftOptions options;
        options.classConditional = false;
        DriftEngine engine(options);
        QElapsedTimer phase;
        QString lastPhase;
        QJsonObject phases;
        engine.setProgress([&](const Progress &pr) {
            if (pr.phase != lastPhase) {
                if (!lastPhase.isEmpty())
                    phases.insert(lastPhase, phase.nsecsElapsed() / 1e9);
                lastPhase = pr.phase;
                phase.restart();
            }
        });
        t.restart();
        phase.start();
        DriftReport fromWorkspace;
        if (!engine.run(dir, *VersionRef::parse(QStringLiteral("bench@base")), *VersionRef::parse(QStringLiteral("bench@new")),
                        &fromWorkspace, &error)) {
            std::fprintf(stderr, "drift failed: %s\n", qPrintable(error));
            return 1;
        }
        phases.insert(lastPhase, phase.nsecsElapsed() / 1e9);
        out.insert(QStringLiteral("workspace_seconds"), t.nsecsElapsed() / 1e9);
        out.insert(QStringLiteral("workspace_phases"), phases);
        bool same = fromWorkspace.features.size() == report.features.size();
        for (size_t i = 0; same && i < report.features.size(); ++i)
            same = fromWorkspace.features[i].pValue == report.features[i].pValue;
        out.insert(QStringLiteral("workspace_same_p_values"), same);
    }

    if (p.isSet(QStringLiteral("json"))) {
        std::printf("%s", QJsonDocument(out).toJson(QJsonDocument::Indented).constData());
    } else {
        std::printf("%lld rows x %d features vs the same, %d threads\n", rows, cols, QThread::idealThreadCount());
        std::printf("  generate both samples      %.2f s\n", generateSeconds);
        std::printf("  drift report (in memory)   %.3f s\n", out.value(QStringLiteral("memory_seconds")).toDouble());
        std::printf("  + class-conditional (%d)    %.3f s\n", classes, out.value(QStringLiteral("memory_by_class_seconds")).toDouble());
        if (out.contains(QStringLiteral("workspace_seconds")))
            std::printf("  from the workspace         %.2f s (same p-values: %s)\n", out.value(QStringLiteral("workspace_seconds")).toDouble(),
                        out.value(QStringLiteral("workspace_same_p_values")).toBool() ? "yes" : "NO");
    }
    return 0;
}
