#include "detection/Detector.h"

#include "detection/ScanContext.h"

#include <QLocale>

#include <algorithm>
#include <cmath>

namespace custody {

void DetectorOutput::reset(const QString &detector, int64_t rows)
{
    summary = DetectorSummary();
    summary.detector = detector;
    findings.clear();
    score.assign(size_t(rows), NAN);
    evidence.assign(size_t(rows), NAN);
}

double ClassThreshold::pValue(float s) const
{
    const auto atOrAbove = null.end() - std::lower_bound(null.begin(), null.end(), s);
    return double(1 + atOrAbove) / double(1 + null.size());
}

ClassThreshold calibrate(std::vector<float> null, double alpha, bool selfNull)
{
    ClassThreshold t;
    null.erase(std::remove_if(null.begin(), null.end(), [](float v) { return !std::isfinite(v); }), null.end());
    std::sort(null.begin(), null.end());
    t.null = std::move(null);
    const int64_t n = int64_t(t.null.size());
    if (n == 0)
        return t; // nothing to compare with: never flags
    // At most j null scores may lie at or above the threshold for p <= alpha.
    const int64_t j = int64_t(std::floor(alpha * double(n + 1))) - 1;
    t.threshold = j >= 0 && j < n ? std::nextafter(t.null[size_t(n - 1 - j)], INFINITY)
                                  : std::nextafter(t.null.back(), INFINITY);
    if (selfNull && n >= 4) {
        const float q1 = t.null[size_t(n / 4)], q3 = t.null[size_t((3 * n) / 4)];
        t.threshold = std::max(t.threshold, q3 + 3.0f * (q3 - q1));
    }
    return t;
}

std::vector<ClassThreshold> flagCalibrated(const ScanContext &c, const CalibratedScores &scores,
                                           const ReasonFn &reason, const EvidenceFn &evidence,
                                           DetectorOutput *out)
{
    std::vector<ClassThreshold> thresholds;
    for (int k = 0; k < c.classes(); ++k)
        thresholds.push_back(calibrate(k < int(scores.nullScores.size()) ? scores.nullScores[size_t(k)]
                                                                          : std::vector<float>(),
                                       c.options.alpha, !c.hasBaseline()));
    for (size_t i = 0; i < c.candidates.size(); ++i) {
        const float s = scores.candidateScore[i];
        const int row = c.candidates[i];
        const int label = c.batchLabel[size_t(row)];
        if (!std::isfinite(s) || label < 0)
            continue;
        ++out->summary.scored;
        const ClassThreshold &t = thresholds[size_t(label)];
        const double p = t.pValue(s);
        // Per row, the score relative to its class's threshold (>= 1 flags): comparable across classes, unlike
        // raw scores. Evidence grows past the null's resolution with how far beyond the threshold it lies.
        // Capped: a null of zeros puts the threshold just above 0, where the ratio would overflow.
        const double relative = std::isfinite(t.threshold) && t.threshold > 0 ? std::min(1e6, double(s) / double(t.threshold)) : double(s);
        out->score[size_t(row)] = float(relative);
        out->evidence[size_t(row)] = float(-std::log10(p) + (s >= t.threshold ? std::log10(std::max(1.0, relative)) : 0.0));
        if (s < t.threshold || (!scores.gate.empty() && !scores.gate[i]))
            continue;
        Finding f;
        f.record = c.recordId(row);
        f.row = row;
        f.detector = out->summary.detector;
        f.label = c.labelName(label);
        f.score = s;
        f.threshold = t.threshold;
        f.pValue = p;
        f.reason = reason(int(i), s, t.threshold, p);
        if (evidence)
            f.evidence = evidence(int(i));
        out->findings << f;
    }
    out->summary.flagged = out->findings.size();
    return thresholds;
}

QString formatCount(int64_t n)
{
    return QLocale(QLocale::English).toString(qlonglong(n));
}

} // namespace custody
