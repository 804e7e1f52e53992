#include "analysis/DriftSample.h"
#include "detection/Detectors.h"
#include "detection/ScanContext.h"

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <unordered_set>

namespace custody {

namespace {

struct Gaussian
{
    Eigen::RowVectorXd mean;
    Eigen::MatrixXd cov;
};

Gaussian estimate(const Eigen::MatrixXf &x)
{
    Gaussian g;
    const Eigen::MatrixXd xd = x.cast<double>();
    g.mean = xd.colwise().mean();
    const Eigen::MatrixXd c = xd.rowwise() - g.mean;
    g.cov = (c.transpose() * c) / std::max<double>(1, double(x.rows()) - 1);
    return g;
}

// Ridge so that dead (constant) dimensions of a representation do not make the covariance singular.
void shrink(Gaussian &g)
{
    const double d = double(g.cov.rows());
    g.cov.diagonal().array() += 1e-3 * g.cov.trace() / std::max(1.0, d) + 1e-9;
}

// Without a known-good baseline: trim the most outlying 1.5 x expected fraction, re-estimate, a few times
// (concentration steps in the manner of the minimum covariance determinant).
Gaussian trimmedEstimate(const Eigen::MatrixXf &x, double trimFraction)
{
    Gaussian g = estimate(x);
    shrink(g);
    const Eigen::Index keep = std::max<Eigen::Index>(Eigen::Index(x.cols()) + 2,
                                                     Eigen::Index(double(x.rows()) * (1.0 - trimFraction)));
    if (keep >= x.rows())
        return g;
    for (int step = 0; step < 4; ++step) {
        const Eigen::LLT<Eigen::MatrixXd> llt(g.cov);
        const Eigen::MatrixXd z = llt.matrixL().solve((x.cast<double>().rowwise() - g.mean).transpose());
        const Eigen::VectorXd d2 = z.colwise().squaredNorm();
        std::vector<Eigen::Index> order(size_t(x.rows()));
        for (Eigen::Index i = 0; i < x.rows(); ++i)
            order[size_t(i)] = i;
        std::nth_element(order.begin(), order.begin() + keep, order.end(),
                         [&](Eigen::Index a, Eigen::Index b) { return d2(a) < d2(b); });
        Eigen::MatrixXf kept(keep, x.cols());
        for (Eigen::Index i = 0; i < keep; ++i)
            kept.row(i) = x.row(order[size_t(i)]);
        g = estimate(kept);
        shrink(g);
    }
    return g;
}

} // namespace

QString RobustCovarianceScore::name() const
{
    return DetectorName::RobustCovariance;
}

QJsonObject RobustCovarianceScore::parameters(const ScanContext &c) const
{
    return {{QStringLiteral("que_alpha"), kQueAlpha},
            {QStringLiteral("covariance"), c.hasBaseline() ? QStringLiteral("baseline class (held out from calibration)")
                                                            : QStringLiteral("trimmed class")},
            {QStringLiteral("alpha"), c.options.alpha}};
}

bool RobustCovarianceScore::run(const ScanContext &c, DetectorOutput *out, QString *error)
{
    out->reset(name(), c.batch->rows());
    out->summary.parameters = parameters(c);
    CalibratedScores scores;
    scores.candidateScore.assign(c.candidates.size(), NAN);
    scores.nullScores.resize(size_t(c.classes()));
    const int dims = int(c.batchRep.cols());
    const auto gatherRows = [&](const Eigen::MatrixXf &rep, const std::vector<int> &rows) {
        Eigen::MatrixXf x(Eigen::Index(rows.size()), dims);
        for (size_t i = 0; i < rows.size(); ++i)
            x.row(Eigen::Index(i)) = rep.row(rows[i]);
        return x;
    };
    for (int k = 0; k < c.classes(); ++k) {
        if (c.cancelled()) {
            *error = QStringLiteral("cancelled");
            return false;
        }
        const std::vector<int> classRows = c.batchRowsOf(k);
        std::vector<int> candRows;
        for (int row : classRows)
            if (c.candidateIndexOf[size_t(row)] >= 0)
                candRows.push_back(row);
        if (candRows.empty() || classRows.size() < size_t(dims) + 2)
            continue;
        Gaussian g;
        if (c.hasBaseline()) {
            // Estimate on the baseline's class minus the records kept for calibration, so the null is honest.
            const std::unordered_set<int> held(c.nullRows[size_t(k)].begin(), c.nullRows[size_t(k)].end());
            std::vector<int> fitRows;
            for (size_t r = 0; r < c.baselineLabel.size(); ++r)
                if (c.baselineLabel[r] == k && !held.count(int(r)))
                    fitRows.push_back(int(r));
            if (fitRows.size() < size_t(2 * dims + 2)) // too few left: use the whole class
                for (int r : c.nullRows[size_t(k)])
                    fitRows.push_back(r);
            if (fitRows.size() < size_t(dims + 2))
                continue;
            g = estimate(gatherRows(c.baselineRep, fitRows));
            shrink(g);
        } else {
            g = trimmedEstimate(gatherRows(c.batchRep, classRows), 1.5 * c.options.expectedPoisonFraction);
        }
        const Eigen::LLT<Eigen::MatrixXd> llt(g.cov);
        if (llt.info() != Eigen::Success)
            continue;
        const auto whiten = [&](const Eigen::MatrixXf &x) -> Eigen::MatrixXd {
            return llt.matrixL().solve((x.cast<double>().rowwise() - g.mean).transpose()).transpose();
        };
        const Eigen::MatrixXd zc = whiten(gatherRows(c.batchRep, candRows));
        // Quantum-entropy scoring: Q = exp(a (S - I) / (|S| - 1)) / tr, S the whitened candidates' covariance.
        Eigen::MatrixXd q = Eigen::MatrixXd::Identity(dims, dims) / double(dims);
        if (zc.rows() > 2) {
            const Eigen::MatrixXd s = (zc.transpose() * zc) / double(zc.rows());
            Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(s);
            const double top = solver.eigenvalues().maxCoeff();
            if (top > 1.0 + 1e-6) {
                const Eigen::VectorXd w = (kQueAlpha * (solver.eigenvalues().array() - 1.0) / (top - 1.0)).exp();
                q = solver.eigenvectors() * w.asDiagonal() * solver.eigenvectors().transpose();
                q /= q.trace();
            }
        }
        const auto score = [&](const Eigen::MatrixXd &z) -> Eigen::VectorXd {
            return ((z * q).cwiseProduct(z)).rowwise().sum() * double(dims);
        };
        const Eigen::VectorXd sc = score(zc);
        for (size_t i = 0; i < candRows.size(); ++i)
            scores.candidateScore[size_t(c.candidateIndexOf[size_t(candRows[i])])] = float(sc(Eigen::Index(i)));
        const Eigen::VectorXd sn = score(whiten(gatherRows(c.referenceRep(), c.nullRows[size_t(k)])));
        for (Eigen::Index i = 0; i < sn.size(); ++i)
            scores.nullScores[size_t(k)].push_back(float(sn(i)));
    }
    flagCalibrated(
        c, scores,
        [&](int cand, double s, double t, double p) {
            const QString label = c.labelName(c.batchLabel[size_t(c.candidates[size_t(cand)])]);
            return QStringLiteral("Unlike the known-good records of class '%1' once their usual variation is "
                                  "removed (whitened score %2, %3x the clean level %4; p = %5).")
                .arg(label)
                .arg(s, 0, 'g', 3)
                .arg(s / std::max(t, 1e-12), 0, 'f', 1)
                .arg(t, 0, 'g', 3)
                .arg(p, 0, 'g', 2);
        },
        {}, out);
    out->summary.ran = true;
    out->summary.note = QStringLiteral("%1 records scored").arg(formatCount(out->summary.scored));
    return true;
}

} // namespace custody
