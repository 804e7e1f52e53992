#include "sampling/DriftSample.h"
#include "detection/Detectors.h"
#include "detection/ScanContext.h"

#include <QJsonArray>

#include <cmath>
#include <functional>
#include <map>

namespace custody {

namespace {

double meanDistance(const std::vector<NearestNeighbours::Hit> &hits)
{
    if (hits.empty())
        return NAN;
    double s = 0;
    for (const auto &h : hits)
        s += h.distance;
    return s / double(hits.size());
}

// log(distance to the own label's nearest / distance to other labels' nearest): > 0 when other labels are
// nearer. Continuous, so that the calibration has no ties to trip on.
float disagreement(const NearestNeighbours::Result &r)
{
    const double same = meanDistance(r.same), other = meanDistance(r.other);
    if (std::isnan(same) || std::isnan(other))
        return NAN;
    return float(std::log((same + 1e-6) / (other + 1e-6)));
}

// One score per candidate and per calibration record, from their neighbour lists.
CalibratedScores neighbourScores(const ScanContext &c, const std::function<float(const NearestNeighbours::Result &)> &score)
{
    CalibratedScores scores;
    scores.candidateScore.resize(c.candidates.size());
    scores.nullScores.resize(size_t(c.classes()));
    for (size_t i = 0; i < c.candidates.size(); ++i)
        scores.candidateScore[i] = score(c.candidateNeighbours[i]);
    for (int k = 0; k < c.classes(); ++k)
        for (int ref : c.nullRows[size_t(k)])
            scores.nullScores[size_t(k)].push_back(score(c.nullNeighbours[size_t(c.nullIndexOf[size_t(ref)])]));
    return scores;
}

} // namespace

QJsonArray neighboursJson(const ScanContext &c, const std::vector<NearestNeighbours::Hit> &hits)
{
    QJsonArray a;
    for (const auto &h : hits)
        a.append(QJsonObject{{QStringLiteral("id"), c.referenceId(h.ref)},
                             {QStringLiteral("label"), c.labelName(c.referenceLabel()[size_t(h.ref)])},
                             {QStringLiteral("distance"), double(h.distance)}});
    return a;
}

QString LabelConsistency::name() const
{
    return DetectorName::LabelConsistency;
}

QJsonObject LabelConsistency::parameters(const ScanContext &c) const
{
    return {{QStringLiteral("neighbours"), c.options.neighbours}, {QStringLiteral("alpha"), c.options.alpha},
            {QStringLiteral("score"), QStringLiteral("log(mean distance to own label / to other labels)")}};
}

bool LabelConsistency::run(const ScanContext &c, DetectorOutput *out, QString *)
{
    out->reset(name(), c.batch->rows());
    out->summary.parameters = parameters(c);
    const CalibratedScores scores = neighbourScores(c, disagreement);
    const int k = c.options.neighbours;
    // The suggestion is the majority label of the k nearest; empty when it is the record's own.
    const auto suggestion = [&](int cand, int *votes) {
        std::map<int, int> count;
        for (const auto &h : c.candidateNeighbours[size_t(cand)].nearest(k))
            ++count[c.referenceLabel()[size_t(h.ref)]];
        int best = -1;
        *votes = 0;
        for (const auto &[label, n] : count)
            if (n > *votes)
                best = label, *votes = n;
        return best;
    };
    flagCalibrated(
        c, scores,
        [&](int cand, double s, double, double p) {
            const int row = c.candidates[size_t(cand)];
            int votes = 0;
            const int best = suggestion(cand, &votes);
            const QString own = c.labelName(c.batchLabel[size_t(row)]);
            return QStringLiteral("Labelled '%1' but its %2 nearest known-good neighbours are mostly '%3' (%4 of %2); "
                                  "records labelled '%1' are %5x further away (p = %6).")
                .arg(own, QString::number(k), c.labelName(best), QString::number(votes), QString::number(std::exp(s), 'f', 1),
                     QString::number(p, 'g', 2)); // one call: a label holding "%3" is not filled in later
        },
        [&](int cand) {
            int votes = 0;
            const int best = suggestion(cand, &votes);
            return QJsonObject{{QStringLiteral("neighbours"), neighboursJson(c, c.candidateNeighbours[size_t(cand)].nearest(k))},
                               {QStringLiteral("suggested_label"), c.labelName(best)},
                               {QStringLiteral("votes"), votes}};
        },
        out);
    for (Finding &f : out->findings) {
        const QString s = f.evidence.value(QStringLiteral("suggested_label")).toString();
        if (s != f.label)
            f.suggestedLabel = s;
    }
    out->summary.ran = true;
    out->summary.note = QStringLiteral("%1 records compared with their %2 nearest %3 records")
                            .arg(formatCount(out->summary.scored))
                            .arg(k)
                            .arg(c.hasBaseline() ? QStringLiteral("baseline") : QStringLiteral("batch"));
    return true;
}

QString OutlierDetector::name() const
{
    return DetectorName::Outliers;
}

QJsonObject OutlierDetector::parameters(const ScanContext &c) const
{
    return {{QStringLiteral("neighbours"), c.options.neighbours}, {QStringLiteral("alpha"), c.options.alpha},
            {QStringLiteral("score"), QStringLiteral("mean distance to the k nearest records of the same class")}};
}

bool OutlierDetector::run(const ScanContext &c, DetectorOutput *out, QString *)
{
    out->reset(name(), c.batch->rows());
    out->summary.parameters = parameters(c);
    const CalibratedScores scores = neighbourScores(c, [](const NearestNeighbours::Result &r) { return float(meanDistance(r.same)); });
    flagCalibrated(
        c, scores,
        [&](int cand, double s, double t, double p) {
            const QString own = c.labelName(c.batchLabel[size_t(c.candidates[size_t(cand)])]);
            return QStringLiteral("Far from every known-good record of class '%1': its %2 nearest are %3x further "
                                  "than the level %4 that bounds the class (p = %5).")
                .arg(own, QString::number(c.options.neighbours), QString::number(s / std::max(t, 1e-12), 'f', 1),
                     QString::number(t, 'g', 3), QString::number(p, 'g', 2));
        },
        [&](int cand) {
            return QJsonObject{{QStringLiteral("neighbours"), neighboursJson(c, c.candidateNeighbours[size_t(cand)].same)}};
        },
        out);
    out->summary.ran = true;
    out->summary.note = QStringLiteral("%1 records scored").arg(formatCount(out->summary.scored));
    return true;
}

} // namespace custody
