#include "sampling/DriftSample.h"
#include "job/Cancel.h"
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
    const auto gatherRows = &ScanContext::rowsOf;
    for (int k = 0; k < c.classes(); ++k) {
        if (c.cancelled()) {
            *error = cancelledMessage();
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
        std::vector<int> nullRows = c.nullRows[size_t(k)];
        if (c.hasBaseline()) {
            // Estimate on the baseline's class minus the records kept for calibration, so the null is honest.
            const std::unordered_set<int> held(c.nullRows[size_t(k)].begin(), c.nullRows[size_t(k)].end());
            std::vector<int> fitRows;
            for (size_t r = 0; r < c.baselineLabel.size(); ++r)
                if (c.baselineLabel[r] == k && !held.count(int(r)))
                    fitRows.push_back(int(r));
            if (fitRows.size() < size_t(2 * dims + 2)) {
                // Too few left: fit on every other calibration record and calibrate on the rest, so that the
                // null is still scored out of sample (in-sample scores are smaller and would flag new records).
                fitRows.clear();
                nullRows.clear();
                for (size_t i = 0; i < c.nullRows[size_t(k)].size(); ++i)
                    (i % 2 ? nullRows : fitRows).push_back(c.nullRows[size_t(k)][i]);
            }
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
        // Quantum-entropy scoring: Q = exp(a (S - e) / (|S| - e)) / tr, S the whitened candidates' covariance.
        // e is the Marchenko-Pastur edge (1 + sqrt(d/n))^2 rather than 1: below it a direction's spread is what
        // n clean records show by chance. Q is cross-fitted: each half of the candidates is scored with the Q of
        // the other half, so that no record is scored along a direction its own spread picked (the null is
        // scored out of sample too; in-sample scores would flag clean new records).
        const auto queOf = [&](const Eigen::MatrixXd &z) -> Eigen::MatrixXd {
            Eigen::MatrixXd q = Eigen::MatrixXd::Identity(dims, dims) / double(dims);
            if (z.rows() <= 2)
                return q;
            const Eigen::MatrixXd s = (z.transpose() * z) / double(z.rows());
            Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(s);
            const double top = solver.eigenvalues().maxCoeff();
            const double edge = std::pow(1.0 + std::sqrt(double(dims) / double(z.rows())), 2.0);
            if (top > edge * 1.1) {
                const Eigen::VectorXd w = (kQueAlpha * (solver.eigenvalues().array() - edge).max(0.0) / (top - edge)).exp();
                q = solver.eigenvectors() * w.asDiagonal() * solver.eigenvectors().transpose();
                q /= q.trace();
            }
            return q;
        };
        const auto half = [](const Eigen::MatrixXd &z, int parity) {
            Eigen::MatrixXd h((z.rows() + 1 - parity) / 2, z.cols());
            for (Eigen::Index i = parity, j = 0; i < z.rows(); i += 2, ++j)
                h.row(j) = z.row(i);
            return h;
        };
        const Eigen::MatrixXd q[2] = {queOf(half(zc, 1)), queOf(half(zc, 0))}; // q[p] scores rows of parity p
        const auto score = [&](const Eigen::MatrixXd &z) -> Eigen::VectorXd {
            Eigen::VectorXd out(z.rows());
            for (Eigen::Index i = 0; i < z.rows(); ++i)
                out(i) = z.row(i).dot(z.row(i) * q[i % 2]) * double(dims);
            return out;
        };
        const Eigen::VectorXd sc = score(zc);
        for (size_t i = 0; i < candRows.size(); ++i)
            scores.candidateScore[size_t(c.candidateIndexOf[size_t(candRows[i])])] = float(sc(Eigen::Index(i)));
        const Eigen::VectorXd sn = score(whiten(gatherRows(c.referenceRep(), nullRows)));
        for (Eigen::Index i = 0; i < sn.size(); ++i)
            scores.nullScores[size_t(k)].push_back(float(sn(i)));
    }
    flagCalibrated(
        c, scores,
        [&](int cand, double s, double t, double p) {
            const QString label = c.labelName(c.batchLabel[size_t(c.candidates[size_t(cand)])]);
            return QStringLiteral("Unlike the known-good records of class '%1' once their usual variation is "
                                  "removed (whitened score %2, %3x the clean level %4; p = %5).")
                .arg(label, QString::number(s, 'g', 3), QString::number(s / std::max(t, 1e-12), 'f', 1), QString::number(t, 'g', 3),
                     QString::number(p, 'g', 2));
        },
        {}, out);
    out->summary.ran = true;
    out->summary.note = QStringLiteral("%1 records scored").arg(formatCount(out->summary.scored));
    return true;
}

} // namespace custody
