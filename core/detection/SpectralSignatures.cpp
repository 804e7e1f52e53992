#include "sampling/DriftSample.h"
#include "job/Cancel.h"
#include "detection/Detectors.h"
#include "detection/Pca.h"
#include "detection/ScanContext.h"

#include <algorithm>
#include <cmath>

namespace custody {

QString SpectralSignatures::name() const
{
    return DetectorName::Spectral;
}

QJsonObject SpectralSignatures::parameters(const ScanContext &c) const
{
    return {{QStringLiteral("expected_poison_fraction"), c.options.expectedPoisonFraction},
            {QStringLiteral("budget_factor"), 1.5},
            {QStringLiteral("alpha"), c.options.alpha}};
}

bool SpectralSignatures::run(const ScanContext &c, DetectorOutput *out, QString *error)
{
    out->reset(name(), c.batch->rows());
    out->summary.parameters = parameters(c);
    CalibratedScores scores;
    scores.candidateScore.assign(c.candidates.size(), NAN);
    scores.gate.assign(c.candidates.size(), 0);
    scores.nullScores.resize(size_t(c.classes()));
    for (int k = 0; k < c.classes(); ++k) {
        if (c.cancelled()) {
            *error = cancelledMessage();
            return false;
        }
        const std::vector<int> rows = c.batchRowsOf(k);
        if (rows.size() < 3)
            continue;
        const Eigen::MatrixXf x = ScanContext::rowsOf(c.batchRep, rows);
        const Eigen::RowVectorXf centre = x.colwise().mean();
        const Eigen::VectorXf v = topDirection(x, centre);
        const auto score = [&](const Eigen::RowVectorXf &r) {
            const float p = (r - centre).dot(v.transpose());
            return p * p;
        };
        std::vector<std::pair<float, int>> ranked; // (score, candidate) of this class
        for (int row : rows) {
            const int cand = c.candidateIndexOf[size_t(row)];
            if (cand < 0)
                continue;
            const float s = score(c.batchRep.row(row));
            scores.candidateScore[size_t(cand)] = s;
            ranked.emplace_back(s, cand);
        }
        for (int ref : c.nullRows[size_t(k)])
            scores.nullScores[size_t(k)].push_back(score(c.referenceRep().row(ref)));
        // The budget: the top 1.5 x expected fraction of the class, among its candidates.
        const size_t budget = size_t(std::ceil(1.5 * c.options.expectedPoisonFraction * double(rows.size())));
        std::sort(ranked.begin(), ranked.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
        for (size_t i = 0; i < ranked.size() && i < budget; ++i)
            scores.gate[size_t(ranked[i].second)] = 1;
    }
    flagCalibrated(
        c, scores,
        [&](int cand, double s, double t, double) {
            const QString label = c.labelName(c.batchLabel[size_t(c.candidates[size_t(cand)])]);
            return QStringLiteral("Stands out along the strongest direction of variation of class '%1' "
                                  "(spectral signature %2, %3x the level %4 of the clean records).")
                .arg(label, QString::number(s, 'g', 3), QString::number(s / std::max(t, 1e-12), 'f', 1), QString::number(t, 'g', 3));
        },
        {}, out);
    out->summary.ran = true;
    out->summary.note = QStringLiteral("%1 records scored in %2 classes").arg(formatCount(out->summary.scored)).arg(c.classes());
    return true;
}

} // namespace custody
