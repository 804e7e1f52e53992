#include "sampling/DriftSample.h"
#include "job/Cancel.h"
#include "detection/Detectors.h"
#include "detection/ScanContext.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <QHash>

namespace custody {

namespace {

// Statistical detectors form groups; exact evidence (relabels, copies) says nothing about a trigger.
bool groupsRecords(const QString &detector)
{
    return detector != DetectorName::Delta && detector != DetectorName::Duplicates && detector != DetectorName::Trigger;
}

Eigen::MatrixXf gatherAll(const FeatureView &view, const std::vector<int> &rows)
{
    Eigen::MatrixXf x;
    view.gather(rows.data(), int(rows.size()), &x);
    return x;
}

// Per feature: the value the group repeats most often (a stamped trigger repeats exact values) and how much
// more often the group holds it than records in general do: share_g * ln(share_g / share_all), large only
// where most of the group agrees on a value that is rare everywhere (a zero where the group's records happen
// to be background is common in other classes too, and scores low).
struct Repetition
{
    Eigen::VectorXf value;  // the group's modal value
    Eigen::VectorXd effect;
    Eigen::VectorXf restMean; // the class's mean, for bright/dark
};

constexpr float kSame = 1.0f / 512.0f; // values this close are the same (half a grey level)

Repetition repetition(const Eigen::MatrixXf &group, const Eigen::MatrixXf &rest, const Eigen::MatrixXf &everyone)
{
    const Eigen::Index d = group.cols();
    Repetition r;
    r.value.resize(d);
    r.effect.resize(d);
    r.restMean = rest.colwise().mean().transpose();
    std::vector<float> v(size_t(group.rows()));
    for (Eigen::Index j = 0; j < d; ++j) {
        for (Eigen::Index i = 0; i < group.rows(); ++i)
            v[size_t(i)] = group(i, j);
        std::sort(v.begin(), v.end());
        float mode = v.front();
        size_t best = 0;
        for (size_t i = 0; i < v.size();) {
            size_t e = i;
            while (e < v.size() && v[e] - v[i] <= kSame)
                ++e;
            if (e - i > best)
                best = e - i, mode = v[i];
            i = e;
        }
        const double shareGroup = double(best) / double(v.size());
        const double shareAll = double(((everyone.col(j).array() - mode).abs() <= kSame).count())
                                / double(std::max<Eigen::Index>(1, everyone.rows()));
        r.value(j) = mode;
        r.effect(j) = shareGroup * std::log((shareGroup + 1e-3) / (shareAll + 1e-3));
    }
    return r;
}

QString describeImageMask(const TriggerMask &mask, const std::vector<int> &strong, bool bright)
{
    int x0 = mask.width, y0 = mask.height, x1 = -1, y1 = -1;
    for (int p : strong) {
        x0 = std::min(x0, p % mask.width), x1 = std::max(x1, p % mask.width);
        y0 = std::min(y0, p / mask.width), y1 = std::max(y1, p / mask.width);
    }
    const int boxW = x1 - x0 + 1, boxH = y1 - y0 + 1;
    const QString tone = bright ? QStringLiteral("bright") : QStringLiteral("dark");
    const QString where = QStringLiteral("rows %1-%2, columns %3-%4").arg(y0).arg(y1).arg(x0).arg(x1);
    if (double(strong.size()) >= 0.5 * boxW * boxH)
        return QStringLiteral("%1 flagged records of class '%2' share a %3 %4x%5 patch at %6 (%7 pixels).")
            .arg(QString::number(mask.groupSize), mask.label, tone, QString::number(boxW), QString::number(boxH), where,
                 QString::number(strong.size()));
    return QStringLiteral("%1 flagged records of class '%2' share %3 pixels at %4 (%5 pixels stand out).")
        .arg(QString::number(mask.groupSize), mask.label, tone, where, QString::number(strong.size()));
}

} // namespace

QList<TriggerMask> TriggerLocaliser::localise(const ScanContext &c, const QList<Finding> &findings)
{
    QList<TriggerMask> masks;
    std::vector<std::set<int>> groups(size_t(c.classes()));
    for (const Finding &f : findings)
        if (groupsRecords(f.detector) && c.batchLabel[size_t(f.row)] >= 0)
            groups[size_t(c.batchLabel[size_t(f.row)])].insert(f.row);
    const FeatureView &view = *c.batchView;
    // Reference records of every class, for how common a value is in general.
    std::vector<int> allNull;
    for (const auto &rows : c.nullRows)
        allNull.insert(allNull.end(), rows.begin(), rows.end());
    if (allNull.empty())
        return masks;
    const Eigen::MatrixXf everyone = gatherAll(c.referenceView(), allNull);
    for (int k = 0; k < c.classes(); ++k) {
        const std::vector<int> group(groups[size_t(k)].begin(), groups[size_t(k)].end());
        if (group.size() < 10 || c.cancelled())
            continue;
        // The rest of the class: its reference records (the baseline's), or its unflagged batch records.
        std::vector<int> rest;
        if (c.hasBaseline())
            rest = c.nullRows[size_t(k)];
        else
            for (int r : c.batchRowsOf(k))
                if (!groups[size_t(k)].count(r))
                    rest.push_back(r);
        if (rest.size() < 5)
            continue;
        const Repetition rep = repetition(gatherAll(view, group), gatherAll(c.referenceView(), rest), everyone);
        // Signed: positive where the repeated value is above the class's usual value (bright), negative below.
        Eigen::VectorXd effect = rep.effect;
        for (Eigen::Index j = 0; j < effect.size(); ++j)
            if (rep.value(j) < rep.restMean(j))
                effect(j) = -effect(j);
        const double top = effect.cwiseAbs().maxCoeff();
        if (!(top >= 2.0)) // e.g. 80% of the group on a value 12x rarer in general
            continue;
        std::vector<int> strong;
        for (Eigen::Index j = 0; j < effect.size(); ++j)
            if (std::abs(effect(j)) >= 0.5 * top)
                strong.push_back(int(j));
        if (double(strong.size()) > 0.1 * double(effect.size()) && effect.size() > 20)
            continue; // the whole record differs: no localised trigger
        TriggerMask mask;
        mask.label = c.labelName(k);
        mask.detector = QStringLiteral("combined");
        mask.groupSize = int(group.size());
        mask.features = strong;
        for (int j : strong) {
            mask.groupMean.push_back(rep.value(j));
            mask.restMean.push_back(rep.restMean(j));
        }
        std::vector<int> order(strong);
        std::sort(order.begin(), order.end(), [&](int a, int b) { return std::abs(effect(a)) > std::abs(effect(b)); });
        for (size_t i = 0; i < order.size() && i < 8; ++i)
            mask.topFeatures << view.featureName(order[i]);
        const int imageColumn = view.imageColumn();
        double signSum = 0;
        for (int j : strong)
            signSum += effect(j);
        if (imageColumn >= 0) {
            const DriftSample::Column &col = c.batch->columns[size_t(imageColumn)];
            const int ch = std::max(1, col.channels), offset = view.imageOffset();
            mask.column = col.name;
            mask.width = col.width;
            mask.height = col.height;
            mask.weights.assign(size_t(col.width * col.height), 0.0f);
            for (int p = 0; p < col.width * col.height; ++p) {
                float best = 0;
                for (int cc = 0; cc < ch; ++cc) {
                    const float v = float(effect(offset + p * ch + cc));
                    if (std::abs(v) > std::abs(best))
                        best = v;
                }
                mask.weights[size_t(p)] = best;
            }
            // The trigger is the connected region (8-neighbours) of strong pixels around the strongest one;
            // scattered pixels elsewhere come from what the group's records are made of, not from a stamp.
            const float cut = float(0.5 * top);
            int seed = 0;
            for (int p = 1; p < col.width * col.height; ++p)
                if (std::abs(mask.weights[size_t(p)]) > std::abs(mask.weights[size_t(seed)]))
                    seed = p;
            std::vector<int> strongPixels{seed}, seen(size_t(col.width * col.height), 0);
            seen[size_t(seed)] = 1;
            for (size_t i = 0; i < strongPixels.size(); ++i) {
                const int px = strongPixels[i] % col.width, py = strongPixels[i] / col.width;
                for (int dy = -1; dy <= 1; ++dy)
                    for (int dx = -1; dx <= 1; ++dx) {
                        const int nx = px + dx, ny = py + dy;
                        if (nx < 0 || ny < 0 || nx >= col.width || ny >= col.height)
                            continue;
                        const int q = ny * col.width + nx;
                        if (!seen[size_t(q)] && std::abs(mask.weights[size_t(q)]) >= cut
                            && (mask.weights[size_t(q)] > 0) == (mask.weights[size_t(seed)] > 0)) {
                            seen[size_t(q)] = 1;
                            strongPixels.push_back(q);
                        }
                    }
            }
            std::sort(strongPixels.begin(), strongPixels.end());
            // Match on the region only (first channel's features stand for the pixel when folded).
            mask.features.clear();
            mask.groupMean.clear();
            mask.restMean.clear();
            for (int p : strongPixels)
                for (int cc = 0; cc < ch; ++cc) {
                    const int j = offset + p * ch + cc;
                    mask.features.push_back(j);
                    mask.groupMean.push_back(rep.value(j));
                    mask.restMean.push_back(rep.restMean(j));
                }
            signSum = mask.weights[size_t(seed)];
            mask.description = describeImageMask(mask, strongPixels, signSum > 0);
        } else {
            mask.weights.assign(size_t(effect.size()), 0.0f);
            for (Eigen::Index j = 0; j < effect.size(); ++j)
                mask.weights[size_t(j)] = float(effect(j));
            mask.description = QStringLiteral("%1 flagged records of class '%2' share unusual values of %3.")
                                   .arg(QString::number(mask.groupSize), mask.label, mask.topFeatures.mid(0, 3).join(QStringLiteral(", ")));
        }
        masks << mask;
    }
    return masks;
}

bool TriggerMatch::run(const ScanContext &c, const QList<TriggerMask> &masks, DetectorOutput *out, QString *error)
{
    out->reset(DetectorName::Trigger, c.batch->rows());
    out->summary.parameters = {{QStringLiteral("alpha"), c.options.alpha},
                               {QStringLiteral("score"), QStringLiteral("share of the mask's features at the group's repeated value")}};
    CalibratedScores scores;
    scores.candidateScore.assign(c.candidates.size(), NAN);
    scores.nullScores.resize(size_t(c.classes()));
    QHash<int, const TriggerMask *> maskOf;
    for (const TriggerMask &m : masks)
        maskOf.insert(int(c.labelNames.indexOf(m.label)), &m);
    Eigen::MatrixXf x;
    // The share of the mask's features at the group's repeated value, plus a little for being near it, so
    // that scores have few ties for the calibration.
    const auto match = [](const TriggerMask &m, const Eigen::MatrixXf &rows, Eigen::Index i) {
        double same = 0, near = 0;
        for (size_t j = 0; j < m.features.size(); ++j) {
            const double off = std::abs(double(rows(i, m.features[j])) - m.groupMean[j]);
            same += off <= kSame;
            near += std::max(0.0, 1.0 - off / std::max(0.05, double(std::abs(m.groupMean[j] - m.restMean[j]))));
        }
        const double n = double(std::max<size_t>(1, m.features.size()));
        return float(same / n + 0.01 * near / n);
    };
    for (auto it = maskOf.constBegin(); it != maskOf.constEnd(); ++it) {
        const int k = it.key();
        if (k < 0 || it.value()->features.empty())
            continue;
        if (c.cancelled()) {
            *error = cancelledMessage();
            return false;
        }
        std::vector<int> rows;
        for (int row : c.batchRowsOf(k))
            if (c.candidateIndexOf[size_t(row)] >= 0)
                rows.push_back(row);
        for (size_t first = 0; first < rows.size(); first += 2048) {
            const int count = int(std::min<size_t>(2048, rows.size() - first));
            c.batchView->gather(rows.data() + first, count, &x);
            for (int i = 0; i < count; ++i)
                scores.candidateScore[size_t(c.candidateIndexOf[size_t(rows[first + size_t(i)])])] = match(*it.value(), x, i);
        }
        const std::vector<int> &null = c.nullRows[size_t(k)];
        for (size_t first = 0; first < null.size(); first += 2048) {
            const int count = int(std::min<size_t>(2048, null.size() - first));
            c.referenceView().gather(null.data() + first, count, &x);
            for (int i = 0; i < count; ++i)
                scores.nullScores[size_t(k)].push_back(match(*it.value(), x, i));
        }
    }
    flagCalibrated(
        c, scores,
        [&](int cand, double s, double t, double p) {
            const int label = c.batchLabel[size_t(c.candidates[size_t(cand)])];
            const TriggerMask *m = maskOf.value(label);
            return QStringLiteral("Carries the trigger found in class '%1' (%2): it matches the flagged group on the "
                                  "mask's %3 features at %4 (clean records stay below %5; p = %6).")
                .arg(c.labelName(label), m ? m->topFeatures.mid(0, 2).join(QStringLiteral(", ")) : QString(),
                     QString::number(m ? int(m->features.size()) : 0), QString::number(s, 'f', 2), QString::number(t, 'f', 2),
                     QString::number(p, 'g', 2));
        },
        {}, out);
    out->summary.ran = true;
    out->summary.note = masks.isEmpty() ? QStringLiteral("no trigger was localised")
                                        : QStringLiteral("%1 records matched against %2 masks")
                                              .arg(formatCount(out->summary.scored))
                                              .arg(masks.size());
    return true;
}

} // namespace custody
