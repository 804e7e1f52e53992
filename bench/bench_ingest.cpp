// Ingest throughput: parse + hash + store a generated numeric CSV, beside `sha256sum` of the same file.
// Run: build/bench/bench_ingest [--rows 1000000] [--cols 50] [--dir /tmp/custody-bench]
// Prints MB/s for both, and peak resident memory against the float32 matrix the version keeps.
#include "storage/Ingest.h"
#include "workflow/IngestVersion.h"
#include "storage/Workspace.h"
#include "workflow/OpenWorkspace.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>

#include <sys/resource.h>

#include <charconv>
#include <cstdio>
#include <random>

using namespace custody;

namespace {

bool generateCsv(const QString &path, qint64 rows, int cols)
{
    FILE *f = std::fopen(QFile::encodeName(path).constData(), "wb");
    if (!f)
        return false;
    std::string line;
    line = "id,label";
    for (int c = 0; c < cols; ++c)
        line += ",f" + std::to_string(c);
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), f);
    std::mt19937_64 rng(42);
    std::normal_distribution<double> normal(0.0, 1.0);
    char buf[32];
    for (qint64 r = 0; r < rows; ++r) {
        line.clear();
        line += "r" + std::to_string(r) + ",c" + std::to_string(rng() % 10);
        for (int c = 0; c < cols; ++c) {
            // Six significant digits, the precision typical of exported feature tables.
            const auto res = std::to_chars(buf, buf + sizeof buf, normal(rng) * (c + 1), std::chars_format::general, 6);
            line += ',';
            line.append(buf, size_t(res.ptr - buf));
        }
        line += '\n';
        std::fwrite(line.data(), 1, line.size(), f);
    }
    return std::fclose(f) == 0;
}

double peakRssMiB()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_maxrss) / 1024.0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    qint64 rows = 1000000;
    int cols = 50;
    QString dir = QStringLiteral("/tmp/custody-bench");
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--rows"))
            rows = args[i + 1].toLongLong();
        else if (args[i] == QLatin1String("--cols"))
            cols = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--dir"))
            dir = args[i + 1];
    }
    QDir().mkpath(dir);
    const QString csv = QStringLiteral("%1/bench-%2x%3.csv").arg(dir).arg(rows).arg(cols);
    if (!QFileInfo::exists(csv)) {
        std::printf("generating %s ...\n", qPrintable(csv));
        if (!generateCsv(csv, rows, cols))
            return 2;
    }
    const double mb = double(QFileInfo(csv).size()) / 1e6;
    std::printf("file: %s, %.1f MB, %lld rows x %d numeric columns\n", qPrintable(csv), mb, rows, cols);

    QElapsedTimer t;
    t.start();
    QProcess sha;
    sha.start(QStringLiteral("sha256sum"), {csv});
    sha.waitForFinished(-1);
    const double shaSeconds = t.nsecsElapsed() / 1e9;
    std::printf("sha256sum:            %6.2f s  %7.1f MB/s\n", shaSeconds, mb / shaSeconds);

    const QString wsDir = dir + QStringLiteral("/ws");
    QDir(wsDir).removeRecursively();
    QString error;
    auto ws = createWorkspace(wsDir, &error);
    if (!ws) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 2;
    }
    IngestRequest req;
    req.dataset = QStringLiteral("bench");
    req.version = QStringLiteral("v1");
    req.paths = {csv};
    req.reader.idColumn = QStringLiteral("id");
    req.reader.labelColumn = QStringLiteral("label");
    IngestResult result;
    t.restart();
    QString phase;
    QStringList phases;
    const auto progress = [&](const Progress &p) {
        if (p.phase != phase) {
            phases.append(QStringLiteral("%1 at %2 s").arg(p.phase).arg(t.nsecsElapsed() / 1e9, 0, 'f', 2));
            phase = p.phase;
        }
    };
    if (!ingestVersion(*ws, req, &result, &error, progress)) {
        std::fprintf(stderr, "ingest failed: %s\n", qPrintable(error));
        return 2;
    }
    const double ingestSeconds = t.nsecsElapsed() / 1e9;
    const double matrixMiB = double(rows) * cols * 4 / (1024.0 * 1024.0);
    std::printf("custody ingest:       %6.2f s  %7.1f MB/s  (%lld records, digest %s)\n", ingestSeconds,
                mb / ingestSeconds, result.recordCount, qPrintable(toHex(result.digest).left(16)));
    std::printf("phases: %s\n", qPrintable(phases.join(QStringLiteral(", "))));
    std::printf("ratio ingest/sha256sum throughput: %.2f\n", shaSeconds / ingestSeconds);
    std::printf("peak RSS: %.0f MiB; float32 matrix kept: %.0f MiB; limit (2x): %.0f MiB\n", peakRssMiB(), matrixMiB,
                2 * matrixMiB);
    return 0;
}
