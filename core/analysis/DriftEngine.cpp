#include "analysis/DriftEngine.h"
#include "analysis/TextDrift.h"
#include "analysis/TextFeatures.h"
#include "job/BlasThreads.h"
#include "job/Cancel.h"

#include "analysis/CategoricalTests.h"
#include "analysis/DriftFeaturePlan.h"
#include "analysis/DriftIntegrity.h"
#include "analysis/FeatureDriftTests.h"
#include "analysis/MaximumMeanDiscrepancy.h"
#include "analysis/MultipleTesting.h"
#include "analysis/PopulationStability.h"
#include "storage/Workspace.h"

#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>
#include <numeric>

namespace custody {

namespace {

constexpr int kBlock = 64; // features per parallel block: progress and cancel granularity

bool hasPValueTest(DriftTest t)
{
    return t == DriftTest::KolmogorovSmirnov || t == DriftTest::ChiSquare;
}

LabelDrift labelDrift(const DriftSample &baseline, const DriftSample &batch, double alpha)
{
    LabelDrift l;
    QStringList names = baseline.labelNames;
    for (const QString &n : batch.labelNames)
        if (!names.contains(n))
            names.append(n);
    l.counts.categories = names;
    l.counts.baseline.assign(size_t(names.size()), 0);
    l.counts.batch.assign(size_t(names.size()), 0);
    for (const auto &[sample, counts] : {std::pair{&baseline, &l.counts.baseline}, std::pair{&batch, &l.counts.batch}}) {
        std::vector<int> toUnion;
        for (const QString &n : sample->labelNames)
            toUnion.push_back(int(names.indexOf(n)));
        for (int32_t code : sample->labels)
            if (code >= 0)
                ++(*counts)[size_t(toUnion[size_t(code)])];
    }
    FeatureDriftTests::markMovedBins(&l.counts);
    const int64_t na = std::accumulate(l.counts.baseline.begin(), l.counts.baseline.end(), int64_t(0));
    const int64_t nb = std::accumulate(l.counts.batch.begin(), l.counts.batch.end(), int64_t(0));
    if (na == 0 || nb == 0)
        return l;
    l.tested = true;
    const auto chi = CategoricalTests::chiSquare(l.counts.baseline, l.counts.batch);
    l.statistic = chi.statistic;
    l.pValue = chi.pValue;
    l.dof = chi.dof;
    l.jensenShannon = CategoricalTests::jensenShannonDistance(l.counts.baseline, l.counts.batch);
    l.psi = PopulationStability::fromCounts(l.counts.baseline, l.counts.batch);
    l.drifted = l.pValue < alpha;
    return l;
}

RepresentationDrift representationDrift(const DriftSample &baseline, const DriftSample &batch, const DriftOptions &options,
                                        const std::atomic_bool *cancel)
{
    RepresentationDrift r;
    if (baseline.embeddingDims <= 0 && batch.embeddingDims <= 0)
        return r;
    if (baseline.embeddingDims != batch.embeddingDims) {
        r.note = QStringLiteral("embeddings of different dimensions (%1 and %2)").arg(baseline.embeddingDims).arg(batch.embeddingDims);
        return r;
    }
    const int dims = batch.embeddingDims;
    const auto rowsWith = [dims](const DriftSample &s) {
        std::vector<float> out;
        for (int64_t r = 0; r < s.rows(); ++r)
            if (s.hasEmbedding[size_t(r)])
                out.insert(out.end(), s.embeddings.begin() + r * dims, s.embeddings.begin() + (r + 1) * dims);
        return out;
    };
    const std::vector<float> x = rowsWith(baseline), y = rowsWith(batch);
    if (int64_t(x.size()) / dims < 2 || int64_t(y.size()) / dims < 2) {
        r.note = QStringLiteral("fewer than two embeddings on one side");
        return r;
    }
    MaximumMeanDiscrepancy::Options o;
    o.permutations = options.permutations;
    o.maxPerSample = options.mmdMaxPerSample;
    o.seed = options.seed;
    o.cancel = cancel;
    const auto m = MaximumMeanDiscrepancy::test(x, y, dims, o);
    r.computed = true;
    r.dims = dims;
    r.mmd2 = m.mmd2;
    r.pValue = m.pValue;
    r.bandwidth = m.bandwidth;
    r.permutations = m.permutations;
    r.nBaseline = m.n1;
    r.nBatch = m.n2;
    r.drifted = m.pValue < options.alpha;
    return r;
}

// Per image column and class, the cells drawn as an image.
std::vector<ClassImageMap> classMaps(const DriftReport &report, const QStringList &classes, const std::vector<ClassDrift> &cells,
                                     const DriftSample &batch)
{
    std::vector<ClassImageMap> maps;
    const size_t k = size_t(classes.size());
    for (size_t f = 0; f < report.features.size(); ++f) {
        const FeatureDrift &feature = report.features[f];
        if (feature.pixel < 0)
            continue;
        const DriftSample::Column &c = batch.columns[size_t(feature.batchColumn)];
        if (maps.empty() || maps.back().column != c.name || feature.pixel == 0) {
            for (const QString &label : classes) {
                ClassImageMap m;
                m.column = c.name;
                m.label = label;
                m.width = c.width;
                m.height = c.height;
                m.channels = c.channels;
                m.effect.assign(size_t(c.pixelCount()), 0.0f);
                m.pAdjusted.assign(size_t(c.pixelCount()), NAN);
                m.features.assign(size_t(c.pixelCount()), -1);
                maps.push_back(std::move(m));
            }
        }
        for (size_t j = 0; j < k; ++j) {
            ClassImageMap &m = maps[maps.size() - k + j];
            const ClassDrift &cell = cells[f * k + j];
            m.features[size_t(feature.pixel)] = int(f);
            m.effect[size_t(feature.pixel)] = std::isnan(cell.effect) ? 0.0f : float(cell.effect);
            m.pAdjusted[size_t(feature.pixel)] = float(cell.pAdjusted);
        }
    }
    return maps;
}

} // namespace

DriftEngine::DriftEngine(DriftOptions options) : m_options(std::move(options)) { }

bool DriftEngine::cancelled(QString *error) const
{
    if (m_cancel && m_cancel->load()) {
        *error = cancelledMessage();
        return true;
    }
    return false;
}

void DriftEngine::report(const QString &phase, qint64 done, qint64 total) const
{
    if (m_progress)
        m_progress(Progress{phase, done, total});
}

bool DriftEngine::run(const QString &workspaceDir, const VersionRef &baseline, const VersionRef &batch, DriftReport *out,
                      QString *error)
{
    // Reading records needs no ledger: a read-only open without its lifecycle (no migration, no checkpoint step).
    auto ws = Workspace::open(workspaceDir, nullptr, error, Workspace::Access::ReadOnly);
    if (!ws)
        return false;
    const auto a = ws->version(baseline, error);
    if (!a)
        return false;
    const auto b = ws->version(batch, error);
    if (!b)
        return false;
    return run(*ws, *a, *b, out, error);
}

bool DriftEngine::run(Workspace &workspace, const DatasetVersion &baseline, const DatasetVersion &batch, DriftReport *out,
                      QString *error)
{
    auto a = std::make_shared<DriftSample>();
    const QString readBaseline = QStringLiteral("Reading baseline");
    if (!DriftSample::load(workspace, baseline, a.get(), error, [&](qint64 d, qint64 t) { report(readBaseline, d, t); }, m_cancel))
        return false;
    auto b = std::make_shared<DriftSample>();
    const QString readBatch = QStringLiteral("Reading batch");
    if (!DriftSample::load(workspace, batch, b.get(), error, [&](qint64 d, qint64 t) { report(readBatch, d, t); }, m_cancel))
        return false;
    return compare(std::move(a), std::move(b), out, error);
}

bool DriftEngine::compare(std::shared_ptr<const DriftSample> baseline, std::shared_ptr<const DriftSample> batch,
                          DriftReport *out, QString *error)
{
    useSingleThreadedBlas(); // the same bits on any core count (job/BlasThreads.h)
    report(QStringLiteral("Reading text"), 0, 1);
    std::vector<TextColumnDrift> text;
    const std::shared_ptr<const DriftSample> baselineRows = baseline, batchRows = batch;
    const auto textDrift = [&](const QString &column, const TextVocabulary &vocabulary, const TextCorpus &a, const TextCorpus &b) {
        report(QStringLiteral("Text drift"), 0, 1);
        text.emplace_back();
        return textColumnDrift(column, vocabulary, a, b, *baselineRows, *batchRows, m_options, &text.back(), m_cancel);
    };
    if (!addTextFeatures(&baseline, &batch, m_cancel, textDrift)) {
        *error = cancelledMessage();
        return false;
    }
    DriftReport r;
    r.text = std::move(text);
    r.baseline = baseline->version;
    r.batch = batch->version;
    r.options = m_options;
    if (cancelled(error))
        return false;
    report(QStringLiteral("Checking integrity"), 0, 1);
    r.integrity = DriftIntegrity::check(*baseline, *batch, m_options);
    r.labels = labelDrift(*baseline, *batch, m_options.alpha);

    DriftFeaturePlan plan(*baseline, *batch, m_options);
    if (const QString problem = plan.overrideProblem(); !problem.isEmpty()) {
        *error = problem;
        return false;
    }
    for (const QString &s : plan.skipped()) {
        r.integrity.problems.append(QStringLiteral("not tested: ") + s);
        r.untested.append(s);
    }
    const int total = int(plan.features().size());
    const QString testing = QStringLiteral("Testing features");
    for (int first = 0; first < total; first += kBlock) {
        if (cancelled(error))
            return false;
        report(testing, first, total);
        std::vector<int> block(size_t(std::min(kBlock, total - first)));
        std::iota(block.begin(), block.end(), first);
        QtConcurrent::blockingMap(block, [&plan](int f) { plan.computeFeature(f); });
    }
    report(testing, total, total);
    r.features = std::move(plan.features());

    // Benjamini-Hochberg over the features' p-values, and separately over the class cells'.
    std::vector<double> p;
    for (const FeatureDrift &f : r.features)
        p.push_back(f.tested && hasPValueTest(f.test) ? f.pValue : NAN);
    const std::vector<double> adjusted = MultipleTesting::benjaminiHochberg(p);
    for (size_t i = 0; i < r.features.size(); ++i) {
        FeatureDrift &f = r.features[i];
        f.pAdjusted = adjusted[i];
        if (f.tested && hasPValueTest(f.test))
            f.drifted = f.pAdjusted < m_options.alpha;
        r.testedFeatures += f.tested ? 1 : 0;
        r.driftedFeatures += f.drifted ? 1 : 0;
    }
    // A feature with no values on one side is untested too, and a verdict names what it did not test.
    QStringList empty;
    for (const FeatureDrift &f : r.features)
        if (!f.tested && f.note.startsWith(QLatin1String("no values")))
            empty << f.name + QStringLiteral(": ") + f.note;
    constexpr qsizetype kNamed = 20; // an image column has a feature per pixel
    if (empty.size() > kNamed)
        empty = QStringList{QStringLiteral("%1 features with no values on one side (%2, ...)")
                                .arg(QString::number(empty.size()), empty.mid(0, 3).join(QStringLiteral("; ")))};
    r.untested << empty;
    r.driftShare = r.testedFeatures > 0 ? double(r.driftedFeatures) / r.testedFeatures : 0.0;
    r.datasetDrift = r.testedFeatures > 0 && r.driftShare >= m_options.driftShareThreshold;

    std::vector<ClassDrift> &cells = plan.cells();
    p.clear();
    for (const ClassDrift &c : cells)
        p.push_back(hasPValueTest(c.test) ? c.pValue : NAN);
    const std::vector<double> cellAdjusted = MultipleTesting::benjaminiHochberg(p);
    for (size_t i = 0; i < cells.size(); ++i) {
        cells[i].pAdjusted = cellAdjusted[i];
        if (hasPValueTest(cells[i].test))
            cells[i].drifted = cells[i].pAdjusted < m_options.alpha;
    }
    r.classMaps = classMaps(r, plan.classes(), cells, *batch);
    for (const ClassDrift &c : cells)
        if (c.test != DriftTest::Auto)
            r.byClass.push_back(c);
    std::stable_sort(r.byClass.begin(), r.byClass.end(), [](const ClassDrift &x, const ClassDrift &y) {
        const double ex = std::isnan(x.effect) ? -1 : x.effect, ey = std::isnan(y.effect) ? -1 : y.effect;
        return ex > ey;
    });

    if (cancelled(error))
        return false;
    report(QStringLiteral("Embeddings"), 0, 1);
    r.representation = representationDrift(*baseline, *batch, m_options, m_cancel);
    if (cancelled(error))
        return false;
    if (m_options.keepSamples) {
        r.baselineSample = std::move(baseline);
        r.batchSample = std::move(batch);
    }
    *out = std::move(r);
    return true;
}

} // namespace custody
