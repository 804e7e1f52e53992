#include "detection/ScanEngine.h"
#include "job/BlasThreads.h"
#include "storage/Workspace.h"
#include "job/Cancel.h"

#include "sampling/DriftSample.h"
#include "sampling/SplitMix64.h"
#include "detection/Detectors.h"
#include "detection/Pca.h"
#include "detection/Representation.h"
#include "detection/ScanContext.h"
#include "detection/TriggerPhrases.h"

#include <QElapsedTimer>
#include <QHash>

#include <cmath>
#include <memory>

namespace custody {

namespace {

std::vector<int> unifiedLabels(const DriftSample &s, QStringList *names)
{
    std::vector<int> codes(s.labels.size(), -1);
    QHash<QString, int> index;
    for (int i = 0; i < names->size(); ++i)
        index.insert(names->at(i), i);
    for (size_t r = 0; r < s.labels.size(); ++r) {
        const int32_t l = s.labels[r];
        if (l < 0)
            continue;
        const QString &name = s.labelNames[l];
        auto it = index.find(name);
        if (it == index.end()) {
            it = index.insert(name, int(names->size()));
            names->append(name);
        }
        codes[r] = it.value();
    }
    return codes;
}

std::unique_ptr<Detector> makeDetector(const QString &name)
{
    if (name == DetectorName::Delta)
        return std::make_unique<DeltaSignals>();
    if (name == DetectorName::Duplicates)
        return std::make_unique<DuplicateDetector>();
    if (name == DetectorName::Spectral)
        return std::make_unique<SpectralSignatures>();
    if (name == DetectorName::RobustCovariance)
        return std::make_unique<RobustCovarianceScore>();
    if (name == DetectorName::ActivationClustering)
        return std::make_unique<ActivationClustering>();
    if (name == DetectorName::LabelConsistency)
        return std::make_unique<LabelConsistency>();
    if (name == DetectorName::Outliers)
        return std::make_unique<OutlierDetector>();
    return nullptr;
}

} // namespace

ScanEngine::ScanEngine(ScanOptions options) : m_options(std::move(options)) { }

bool ScanEngine::cancelled(QString *error) const
{
    if (m_cancel && m_cancel->load()) {
        *error = cancelledMessage();
        return true;
    }
    return false;
}

void ScanEngine::report(const QString &phase, qint64 done, qint64 total) const
{
    if (m_progress)
        m_progress(Progress{phase, done, total});
}

QString ScanEngine::baselineProblem(Workspace &workspace, const DatasetVersion &batch, const DatasetVersion &baseline)
{
    // Only records new or changed since the baseline can be findings: the version itself, or one derived from
    // it, as the known-good reference makes every scan come out clean.
    if (baseline.id == batch.id)
        return QStringLiteral("%1 cannot be its own baseline: nothing would be new, so nothing could be flagged").arg(batch.ref.toString());
    QString error;
    qint64 parent = baseline.parentId;
    for (int depth = 0; parent != 0 && depth < 10000; ++depth) {
        if (parent == batch.id)
            return QStringLiteral("%1 is derived from %2, so it cannot be %2's known-good baseline: choose an earlier version")
                .arg(baseline.ref.toString(), batch.ref.toString());
        const auto up = workspace.versionById(parent, &error);
        if (!up)
            break;
        parent = up->parentId;
    }
    return QString();
}

bool ScanEngine::run(Workspace &workspace, const DatasetVersion &batch, const DatasetVersion *baseline,
                     ScanResult *result, QString *error)
{
    if (baseline) {
        if (const QString problem = baselineProblem(workspace, batch, *baseline); !problem.isEmpty()) {
            *error = problem;
            return false;
        }
    }
    auto b = std::make_shared<DriftSample>();
    if (!DriftSample::load(workspace, batch, b.get(), error,
                           [&](qint64 d, qint64 t) { report(QStringLiteral("Reading %1").arg(batch.ref.toString()), d, t); },
                           m_cancel))
        return false;
    std::shared_ptr<DriftSample> a;
    if (baseline) {
        a = std::make_shared<DriftSample>();
        if (!DriftSample::load(workspace, *baseline, a.get(), error,
                               [&](qint64 d, qint64 t) { report(QStringLiteral("Reading %1").arg(baseline->ref.toString()), d, t); },
                               m_cancel))
            return false;
    }
    return scan(b, a, result, error);
}

bool ScanEngine::scan(std::shared_ptr<const DriftSample> batch, std::shared_ptr<const DriftSample> baseline,
                      ScanResult *result, QString *error)
{
    useSingleThreadedBlas(); // the same bits on any core count (job/BlasThreads.h)
    for (const QString &d : m_options.detectors)
        if (!DetectorName::all().contains(d)) {
            *error = QStringLiteral("unknown detector '%1' (known: %2)").arg(d, DetectorName::all().join(QStringLiteral(", ")));
            return false;
        }
    QElapsedTimer timer;
    timer.start();
    ScanContext c;
    c.batch = batch.get();
    c.baseline = baseline.get();
    c.options = m_options;
    c.cancel = m_cancel;
    const int64_t n = batch->rows();
    if (n == 0) {
        *error = QStringLiteral("%1 has no records to scan").arg(batch->version);
        return false;
    }
    // Labels, and how each batch record relates to the baseline.
    if (baseline)
        c.baselineLabel = unifiedLabels(*baseline, &c.labelNames);
    c.batchLabel = unifiedLabels(*batch, &c.labelNames);
    c.change.assign(size_t(n), RecordChange::New);
    c.baselineRowOf.assign(size_t(n), -1);
    if (baseline) {
        QHash<QString, int> rowOf;
        for (int r = 0; r < int(baseline->rows()); ++r)
            rowOf.insert(baseline->ids[r], r);
        const bool hashes = batch->contentHashes.size() == size_t(n)
                            && baseline->contentHashes.size() == size_t(baseline->rows());
        for (int r = 0; r < int(n); ++r) {
            const auto it = rowOf.constFind(batch->ids[r]);
            if (it == rowOf.constEnd())
                continue;
            c.baselineRowOf[size_t(r)] = it.value();
            const bool sameContent = hashes && batch->contentHashes[size_t(r)] == baseline->contentHashes[size_t(it.value())];
            const bool sameLabel = c.batchLabel[size_t(r)] == c.baselineLabel[size_t(it.value())];
            c.change[size_t(r)] = !sameContent ? RecordChange::Modified
                                  : sameLabel  ? RecordChange::Unchanged
                                               : RecordChange::Relabelled;
        }
    }
    c.candidateIndexOf.assign(size_t(n), -1);
    for (int r = 0; r < int(n); ++r)
        if (c.change[size_t(r)] != RecordChange::Unchanged) {
            c.candidateIndexOf[size_t(r)] = int(c.candidates.size());
            c.candidates.push_back(r);
        }
    const qint64 textStart = timer.elapsed();
    if (!prepareTextColumns(c, error, [&](const QString &phase) { report(phase, 0, 1); }))
        return false;
    const double textSeconds = double(timer.elapsed() - textStart) / 1000.0;
    const DriftSample &reference = baseline ? *baseline : *batch;
    c.batchView = std::make_unique<FeatureView>(*batch, reference);
    if (baseline)
        c.baselineView = std::make_unique<FeatureView>(*baseline, reference);
    for (const ScanTextColumn &t : c.text) {
        c.batchView->addText(t.batchColumn, t.batchRep);
        if (baseline)
            c.baselineView->addText(t.baselineColumn, t.baselineRep);
    }

    QList<QPair<QString, double>> timings;
    qint64 mark = timer.elapsed();
    const auto lap = [&](const QString &phase) {
        const qint64 now = timer.elapsed();
        timings << qMakePair(phase, double(now - mark) / 1000.0);
        mark = now;
    };
    lap(QStringLiteral("prepare"));
    if (!c.text.empty()) // tokens, TF-IDF and LSA of the text columns, before the timer's first lap
        timings << qMakePair(QStringLiteral("text representation"), textSeconds);
    RepresentationChoice choice;
    if (!buildRepresentation(c, &choice, error, [&](const QString &phase, qint64 d, qint64 t) { report(phase, d, t); }))
        return false;
    if (cancelled(error))
        return false;
    if (choice.kind != QLatin1String("embeddings"))
        for (const ScanTextColumn &t : c.text)
            choice.detail += QStringLiteral("; text ") + t.describe();
    lap(QStringLiteral("representation"));
    if (m_sink)
        m_sink(c.batchRep, c.baselineRep);

    // Calibration records: a seeded sample of each class of the reference set.
    const std::vector<int> &refLabels = c.referenceLabel();
    c.nullRows.assign(size_t(c.classes()), {});
    {
        std::vector<int> order(refLabels.size());
        for (size_t i = 0; i < order.size(); ++i)
            order[i] = int(i);
        SplitMix64 rng(m_options.seed ^ 0x5ca1ab1eULL);
        for (size_t i = order.size(); i > 1; --i)
            std::swap(order[i - 1], order[size_t(rng.below(i))]);
        for (int r : order) {
            const int l = refLabels[size_t(r)];
            if (l >= 0 && int(c.nullRows[size_t(l)].size()) < m_options.calibrationPerClass)
                c.nullRows[size_t(l)].push_back(r);
        }
    }
    c.nullIndexOf.assign(refLabels.size(), -1);
    std::vector<int> nullAll;
    for (const auto &rows : c.nullRows)
        for (int r : rows) {
            c.nullIndexOf[size_t(r)] = int(nullAll.size());
            nullAll.push_back(r);
        }

    // Neighbours of candidates and calibration records among the reference records.
    const bool needNeighbours = m_options.wants(DetectorName::LabelConsistency) || m_options.wants(DetectorName::Outliers)
                                || m_options.wants(DetectorName::Duplicates);
    if (needNeighbours) {
        report(QStringLiteral("Finding neighbours"), 0, 2);
        const int dims = int(c.batchRep.cols());
        Eigen::MatrixXf queries(Eigen::Index(c.candidates.size()), dims);
        std::vector<int> qLabels, self;
        for (size_t i = 0; i < c.candidates.size(); ++i) {
            queries.row(Eigen::Index(i)) = c.batchRep.row(c.candidates[i]);
            qLabels.push_back(c.batchLabel[size_t(c.candidates[i])]);
            self.push_back(baseline ? -1 : c.candidates[i]);
        }
        if (!NearestNeighbours::search(c.referenceRep(), refLabels, queries, qLabels, self, m_options.neighbours,
                                       &c.candidateNeighbours, m_cancel)) {
            *error = cancelledMessage();
            return false;
        }
        report(QStringLiteral("Finding neighbours"), 1, 2);
        Eigen::MatrixXf nullQueries(Eigen::Index(nullAll.size()), dims);
        qLabels.clear();
        for (size_t i = 0; i < nullAll.size(); ++i) {
            nullQueries.row(Eigen::Index(i)) = c.referenceRep().row(nullAll[i]);
            qLabels.push_back(refLabels[size_t(nullAll[i])]);
        }
        if (!NearestNeighbours::search(c.referenceRep(), refLabels, nullQueries, qLabels, nullAll,
                                       m_options.neighbours, &c.nullNeighbours, m_cancel)) {
            *error = cancelledMessage();
            return false;
        }
    }

    lap(QStringLiteral("neighbours"));

    // The detectors, in the order of DetectorName::all().
    std::vector<DetectorOutput> outputs;
    ScanResult r;
    const QStringList order = DetectorName::all();
    for (int i = 0; i < order.size(); ++i) {
        const QString &name = order[i];
        if (!m_options.wants(name) || name == DetectorName::Trigger)
            continue;
        const bool textOnly = name == DetectorName::Phrases || name == DetectorName::Characters;
        if (textOnly && c.text.empty())
            continue; // nothing to look at: no summary, so a scan without text reads as before
        report(QStringLiteral("Detector: %1").arg(name), i, order.size());
        DetectorOutput out;
        bool ran = false;
        if (name == DetectorName::Phrases) {
            r.phrases = TriggerPhrases::find(c);
            ran = TriggerPhrases::match(c, r.phrases, &out, error);
        } else if (name == DetectorName::Characters) {
            ran = HiddenCharacters::run(c, &out, error);
        } else {
            ran = makeDetector(name)->run(c, &out, error);
        }
        if (!ran)
            return false;
        r.summaries << out.summary;
        lap(name);
        outputs.push_back(std::move(out));
        if (cancelled(error))
            return false;
    }
    report(QStringLiteral("Ranking"), 0, 1);
    CombinedRanking::combine(c, outputs, &r);
    r.masks = TriggerLocaliser::localise(c, r.findings);
    if (m_options.wants(DetectorName::Trigger)) {
        // A second pass: every candidate that carries a localised trigger, then the ranking again.
        DetectorOutput out;
        if (!TriggerMatch::run(c, r.masks, &out, error))
            return false;
        r.summaries << out.summary;
        outputs.push_back(std::move(out));
        CombinedRanking::combine(c, outputs, &r);
    }
    if (cancelled(error))
        return false;
    lap(QStringLiteral("ranking and trigger masks"));

    // What the desktop needs per row: the 2-D PCA projection and the reduced representation for t-SNE.
    const Pca plane = Pca::fit(c.batchRep, 10);
    const Eigen::MatrixXf reduced = plane.transform(c.batchRep);
    r.reducedDims = int(reduced.cols());
    r.reduced.resize(size_t(reduced.size()));
    Eigen::Map<Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(r.reduced.data(), reduced.rows(),
                                                                                       reduced.cols()) = reduced;
    r.projectionX.assign(size_t(n), 0.0f);
    r.projectionY.assign(size_t(n), 0.0f);
    for (int64_t i = 0; i < n; ++i) {
        if (reduced.cols() > 0)
            r.projectionX[size_t(i)] = reduced(i, 0);
        if (reduced.cols() > 1)
            r.projectionY[size_t(i)] = reduced(i, 1);
    }
    r.version = batch->version;
    r.baseline = baseline ? baseline->version : QString();
    r.configuration = m_options.toJson();
    r.representation = choice.kind;
    r.representationDetail = choice.detail;
    r.ids = batch->ids;
    for (int64_t i = 0; i < n; ++i)
        r.labels << (c.batchLabel[size_t(i)] >= 0 ? c.labelNames[c.batchLabel[size_t(i)]] : QString());
    r.change.resize(size_t(n));
    for (int64_t i = 0; i < n; ++i)
        r.change[size_t(i)] = uint8_t(c.change[size_t(i)]);
    for (const DetectorOutput &o : outputs) {
        r.detectorOrder << o.summary.detector;
        r.detectorScores.push_back(o.score);
    }
    lap(QStringLiteral("projection"));
    r.timings = timings;
    r.seconds = double(timer.elapsed()) / 1000.0;
    *result = std::move(r);
    return true;
}

} // namespace custody
