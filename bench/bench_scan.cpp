// Detection quality and speed of the poisoning detectors on Fashion-MNIST (issue 5), run and reported, never a
// timed test. For each seed, poison rate and trigger it plants poison with the demo's generator, scans the
// batch against the clean baseline in memory (no workspace: the same ScanEngine::scan the workspace path
// calls after reading) and scores every detector and the combined ranking against the ground truth:
//   - backdoor recall when flagging 1.5 x the planted count (ranking the batch's new records by score),
//   - precision and recall of each detector's actual findings per attack kind,
//   - the false-positive rate on a clean batch (no poison at all).
// --export DIR writes one configuration's arrays (.npy) for bench/bench_scan_sklearn.py, the NumPy and
// scikit-learn reference run on the same data and the same representation.
//
//   build/bench/bench_scan [--seeds 1,2,3] [--rates 0.01,0.05,0.10] [--triggers patch,checker]
//                          [--fashion-mnist DIR] [--export DIR [--repeat N]] [--json FILE]
#include "sampling/DriftSample.h"
#include "demo/DetectionQuality.h"
#include "demo/FashionMnist.h"
#include "demo/ImageSample.h"
#include "demo/PoisonGenerator.h"
#include "detection/NearestNeighbours.h"
#include "detection/Pca.h"
#include "detection/ScanEngine.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace custody;

namespace {

void writeNpy(const QString &path, const char *descr, const std::vector<int64_t> &shape, const void *data, size_t bytes)
{
    QByteArray header = "{'descr': '";
    header += descr;
    header += "', 'fortran_order': False, 'shape': (";
    for (size_t i = 0; i < shape.size(); ++i)
        header += QByteArray::number(qint64(shape[i])) + (shape.size() == 1 || i + 1 < shape.size() ? "," : "");
    header += "), }";
    while ((header.size() + 11) % 64 != 0)
        header += ' ';
    header += '\n';
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write("\x93NUMPY\x01\x00", 8);
    const quint16 len = quint16(header.size());
    f.write(reinterpret_cast<const char *>(&len), 2);
    f.write(header);
    f.write(static_cast<const char *>(data), qint64(bytes));
}

} // namespace

// What Custody answered, for bench_scan_sklearn.py to check the reference agrees before comparing speed: the
// spectral signature of every candidate (NaN on other rows) and the k = 10 nearest baseline records
// of every candidate, overall, from the search the scan's neighbour phase runs (same references, same
// representation), as indices and Euclidean distances.
void exportAnswers(const QString &out, const ScanResult &r, const DemoBatch &batch, const Eigen::MatrixXf &baselineRep,
                   const Eigen::MatrixXf &batchRep)
{
    std::vector<int> candidates;
    for (size_t i = 0; i < r.change.size(); ++i)
        if (r.change[i] != uint8_t(RecordChange::Unchanged))
            candidates.push_back(int(i));
    // The scan keeps each score relative to its class's calibrated threshold; the raw spectral signature comes
    // from the detector's own steps (SpectralSignatures.cpp): class mean, topDirection, squared projection.
    std::vector<float> spectral(size_t(batchRep.rows()), NAN);
    for (int label = 0; label < 256; ++label) {
        std::vector<int> rows;
        for (size_t i = 0; i < batch.incoming.count(); ++i)
            if (batch.incoming.labels[i] == label)
                rows.push_back(int(i));
        if (rows.size() < 3)
            continue;
        Eigen::MatrixXf x(Eigen::Index(rows.size()), batchRep.cols());
        for (size_t i = 0; i < rows.size(); ++i)
            x.row(Eigen::Index(i)) = batchRep.row(rows[i]);
        const Eigen::RowVectorXf centre = x.colwise().mean();
        const Eigen::VectorXf v = topDirection(x, centre);
        for (int row : rows)
            if (r.change[size_t(row)] != uint8_t(RecordChange::Unchanged)) {
                const float p = (batchRep.row(row) - centre).dot(v.transpose());
                spectral[size_t(row)] = p * p;
            }
    }
    writeNpy(out + QStringLiteral("/custody_spectral_scores.npy"), "<f4", {int64_t(spectral.size())}, spectral.data(), spectral.size() * 4);
    Eigen::MatrixXf queries(Eigen::Index(candidates.size()), batchRep.cols());
    std::vector<int> queryLabels, baseLabels(batch.baseline.labels.begin(), batch.baseline.labels.end());
    for (size_t i = 0; i < candidates.size(); ++i) {
        queries.row(Eigen::Index(i)) = batchRep.row(candidates[i]);
        queryLabels.push_back(batch.incoming.labels[size_t(candidates[i])]);
    }
    constexpr int k = 10;
    std::vector<NearestNeighbours::Result> found;
    NearestNeighbours::search(baselineRep, baseLabels, queries, queryLabels, std::vector<int>(candidates.size(), -1), k, &found);
    std::vector<int64_t> index;
    std::vector<float> distance;
    for (const NearestNeighbours::Result &f : found) {
        const auto hits = f.nearest(k);
        for (int j = 0; j < k; ++j) {
            index.push_back(j < int(hits.size()) ? hits[size_t(j)].ref : -1);
            distance.push_back(j < int(hits.size()) ? hits[size_t(j)].distance : NAN);
        }
    }
    writeNpy(out + QStringLiteral("/custody_knn_indices.npy"), "<i8", {int64_t(found.size()), k}, index.data(), index.size() * 8);
    writeNpy(out + QStringLiteral("/custody_knn_distances.npy"), "<f4", {int64_t(found.size()), k}, distance.data(), distance.size() * 4);
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addOptions({{QStringLiteral("seeds"), QStringLiteral("seeds"), QStringLiteral("list"), QStringLiteral("1,2,3")},
                  {QStringLiteral("rates"), QStringLiteral("rates"), QStringLiteral("list"), QStringLiteral("0.01,0.05,0.10")},
                  {QStringLiteral("triggers"), QStringLiteral("triggers"), QStringLiteral("list"), QStringLiteral("patch,checker")},
                  {QStringLiteral("fashion-mnist"), QStringLiteral("dir"), QStringLiteral("dir"), DemoOptions().fashionMnistDir},
                  {QStringLiteral("export"), QStringLiteral("export one configuration for the sklearn reference"), QStringLiteral("dir")},
                  {QStringLiteral("json"), QStringLiteral("write every figure as JSON"), QStringLiteral("file")},
                  {QStringLiteral("repeat"), QStringLiteral("with --export: time N more scans, keep the best per phase"), QStringLiteral("N"),
                   QStringLiteral("3")}});
    p.process(app);
    const QString dir = p.value(QStringLiteral("fashion-mnist"));
    ImageSet train;
    QString error;
    if (!loadIdxImageSet(dir + QStringLiteral("/train-images-idx3-ubyte.gz"), dir + QStringLiteral("/train-labels-idx1-ubyte.gz"), &train, &error)) {
        std::fprintf(stderr, "bench_scan: %s\n", qPrintable(error));
        return 2;
    }
    QJsonArray all;
    const auto run = [&](quint32 seed, double rate, const QString &trigger, bool clean) -> bool {
        DemoOptions o;
        o.seed = seed;
        o.backdoorRate = rate;
        o.trigger = trigger;
        if (clean)
            o.backdoorRate = 0, o.flippedLabels = 0, o.conflictingCopies = 0;
        DemoBatch batch;
        if (!PoisonGenerator(o).generate(train, &batch, &error))
            return false;
        auto base = imageSetSample(batch.baseline, QStringLiteral("fashion@v1"), 10);
        auto incoming = imageSetSample(batch.incoming, QStringLiteral("fashion@v2"), 10);
        ScanOptions so;
        so.seed = seed;
        ScanEngine engine(so);
        Eigen::MatrixXf batchRep, baselineRep;
        const bool exporting = p.isSet(QStringLiteral("export")) && !clean && all.isEmpty();
        if (exporting)
            engine.setRepresentationSink([&](const Eigen::MatrixXf &b, const Eigen::MatrixXf &a) { batchRep = b, baselineRep = a; });
        ScanResult r;
        if (!engine.scan(incoming, base, &r, &error))
            return false;
        QJsonObject row{{QStringLiteral("seed"), qint64(seed)}, {QStringLiteral("rate"), rate},
                        {QStringLiteral("trigger"), trigger}, {QStringLiteral("clean"), clean},
                        {QStringLiteral("seconds"), r.seconds}, {QStringLiteral("representation"), r.representationDetail}};
        const ScanQuality quality = measureScanQuality(r, batch.groundTruth);
        int planted = 0;
        for (int n : quality.planted)
            planted += n;
        std::printf("\n== seed %u, %s, backdoor rate %.2f%s: %d candidates (%d planted), %.1f s\n   %s\n", seed,
                    qPrintable(trigger), rate, clean ? " (CLEAN batch)" : "", quality.candidates, planted, r.seconds,
                    qPrintable(r.representationDetail));
        QStringList phases;
        for (const auto &t : r.timings)
            phases << QStringLiteral("%1 %2").arg(t.first).arg(t.second, 0, 'f', 2);
        std::printf("   time: %s\n", qPrintable(phases.join(QStringLiteral(", "))));
        std::printf("   %-22s %8s %8s %8s %8s %8s %8s\n", "detector", "bd@1.5x", "flagged", "prec", "bd-rec", "flip-rec", "copy-rec");
        for (const DetectorQuality &q : quality.detectors)
            std::printf("   %-22s %8.3f %8d %8.3f %8.3f %8.3f %8.3f   FPR %.4f\n", qPrintable(q.detector), q.backdoorAtBudget, q.flagged,
                        q.precision, q.backdoorRecall, q.flippedRecall, q.copyRecall, q.falsePositiveRate);
        for (const TriggerMask &m : r.masks)
            std::printf("   mask: %s\n", qPrintable(m.description));
        row.insert(QStringLiteral("detectors"), quality.toJson());
        all.append(row);
        if (exporting) {
            const QString out = p.value(QStringLiteral("export"));
            QDir().mkpath(out);
            const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> br = batchRep, ar = baselineRep;
            writeNpy(out + QStringLiteral("/batch_rep.npy"), "<f4", {int64_t(br.rows()), int64_t(br.cols())}, br.data(), size_t(br.size()) * 4);
            writeNpy(out + QStringLiteral("/baseline_rep.npy"), "<f4", {int64_t(ar.rows()), int64_t(ar.cols())}, ar.data(), size_t(ar.size()) * 4);
            // Custody's phase times for the speed table: best of --repeat further scans of the same data after
            // this first one (the warm-up), as the reference takes its best of --repeat. Each repeat must give
            // the same findings (the scan is deterministic), or the times are of different work.
            QJsonObject ours;
            for (const auto &t : r.timings)
                ours.insert(t.first, t.second);
            for (int i = 0; i < p.value(QStringLiteral("repeat")).toInt(); ++i) {
                ScanResult again;
                if (!ScanEngine(so).scan(incoming, base, &again, &error))
                    return false;
                if (again.resultDigest() != r.resultDigest()) {
                    error = QStringLiteral("a repeated scan gave other findings");
                    return false;
                }
                for (const auto &t : again.timings)
                    ours.insert(t.first, std::min(ours.value(t.first).toDouble(INFINITY), t.second));
            }
            QFile timing(out + QStringLiteral("/custody_timings.json"));
            timing.open(QIODevice::WriteOnly);
            timing.write(QJsonDocument(ours).toJson());
            writeNpy(out + QStringLiteral("/baseline_pixels.npy"), "|u1", {int64_t(batch.baseline.count()), 784}, batch.baseline.pixels.data(), batch.baseline.pixels.size());
            writeNpy(out + QStringLiteral("/baseline_labels.npy"), "|u1", {int64_t(batch.baseline.count())}, batch.baseline.labels.data(), batch.baseline.labels.size());
            writeNpy(out + QStringLiteral("/batch_pixels.npy"), "|u1", {int64_t(batch.incoming.count()), 784}, batch.incoming.pixels.data(), batch.incoming.pixels.size());
            writeNpy(out + QStringLiteral("/batch_labels.npy"), "|u1", {int64_t(batch.incoming.count())}, batch.incoming.labels.data(), batch.incoming.labels.size());
            QHash<QString, QString> kindOf;
            for (const QJsonValue &v : batch.groundTruth.value(QStringLiteral("records")).toArray())
                kindOf.insert(v.toObject().value(QStringLiteral("id")).toString(), v.toObject().value(QStringLiteral("kind")).toString());
            std::vector<uint8_t> kind(batch.incoming.count(), 0);
            for (size_t i = 0; i < kind.size(); ++i) {
                const QString k = kindOf.value(QString::number(i));
                kind[i] = r.change[i] == uint8_t(RecordChange::Unchanged) ? 255 : k == QLatin1String("backdoor") ? 1 : k == QLatin1String("flipped_label") ? 2 : k == QLatin1String("conflicting_copy") ? 3 : 0;
            }
            writeNpy(out + QStringLiteral("/batch_kind.npy"), "|u1", {int64_t(kind.size())}, kind.data(), kind.size());
            exportAnswers(out, r, batch, baselineRep, batchRep);
            std::printf("   exported to %s\n", qPrintable(out));
        }
        return true;
    };
    const QStringList seeds = p.value(QStringLiteral("seeds")).split(QLatin1Char(','));
    for (const QString &trigger : p.value(QStringLiteral("triggers")).split(QLatin1Char(',')))
        for (const QString &rate : p.value(QStringLiteral("rates")).split(QLatin1Char(',')))
            for (const QString &seed : seeds)
                if (!run(seed.toUInt(), rate.toDouble(), trigger, false)) {
                    std::fprintf(stderr, "bench_scan: %s\n", qPrintable(error));
                    return 1;
                }
    for (const QString &seed : seeds)
        if (!run(seed.toUInt(), 0, QStringLiteral("patch"), true)) {
            std::fprintf(stderr, "bench_scan: %s\n", qPrintable(error));
            return 1;
        }
    if (p.isSet(QStringLiteral("json"))) {
        QFile f(p.value(QStringLiteral("json")));
        f.open(QIODevice::WriteOnly);
        f.write(QJsonDocument(all).toJson());
    }
    return 0;
}
