#include "analysis/DriftSample.h"
#include "detection/Detectors.h"
#include "detection/ScanContext.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace custody {

namespace {

// Statistical detectors form groups; exact evidence (relabels, copies) says nothing about a trigger.
bool groupsRecords(const QString &detector)
{
    return detector != DetectorName::Delta && detector != DetectorName::Duplicates;
}

struct Moments
{
    Eigen::VectorXd sum, sq;
    int64_t n = 0;
    void add(const Eigen::MatrixXf &x)
    {
        if (sum.size() == 0)
            sum = sq = Eigen::VectorXd::Zero(x.cols());
        sum += x.cast<double>().colwise().sum().transpose();
        sq += x.cast<double>().array().square().colwise().sum().matrix().transpose();
        n += x.rows();
    }
    Eigen::VectorXd mean() const { return sum / double(std::max<int64_t>(1, n)); }
    Eigen::VectorXd var() const
    {
        const Eigen::VectorXd m = mean();
        return (sq / double(std::max<int64_t>(1, n)) - m.cwiseProduct(m)).cwiseMax(0.0);
    }
};

void accumulate(const FeatureView &view, const std::vector<int> &rows, Moments *m)
{
    Eigen::MatrixXf block;
    for (size_t first = 0; first < rows.size(); first += 2048) {
        const int count = int(std::min<size_t>(2048, rows.size() - first));
        view.gather(rows.data() + first, count, &block);
        m->add(block);
    }
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
            .arg(mask.groupSize).arg(mask.label, tone).arg(boxW).arg(boxH).arg(where).arg(strong.size());
    return QStringLiteral("%1 flagged records of class '%2' share %3 pixels at %4 (%5 pixels stand out).")
        .arg(mask.groupSize).arg(mask.label, tone, where).arg(strong.size());
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
    for (int k = 0; k < c.classes(); ++k) {
        const std::vector<int> group(groups[size_t(k)].begin(), groups[size_t(k)].end());
        if (group.size() < 5 || c.cancelled())
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
        Moments g, r;
        accumulate(view, group, &g);
        accumulate(c.referenceView(), rest, &r);
        // Standardised mean difference: large where the group agrees with itself and differs from the class.
        const Eigen::VectorXd effect = (g.mean() - r.mean()).array() / ((g.var() + r.var()).array() / 2.0 + 1e-4).sqrt();
        const double top = effect.cwiseAbs().maxCoeff();
        if (!(top >= 2.5))
            continue;
        std::vector<int> strong;
        for (Eigen::Index j = 0; j < effect.size(); ++j)
            if (std::abs(effect(j)) >= std::max(1.5, 0.5 * top))
                strong.push_back(int(j));
        if (double(strong.size()) > 0.1 * double(effect.size()) && effect.size() > 20)
            continue; // the whole record differs: no localised trigger
        TriggerMask mask;
        mask.label = c.labelName(k);
        mask.detector = QStringLiteral("combined");
        mask.groupSize = int(group.size());
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
            std::vector<int> strongPixels;
            for (int p = 0; p < col.width * col.height; ++p) {
                float best = 0;
                for (int cc = 0; cc < ch; ++cc) {
                    const float v = float(effect(offset + p * ch + cc));
                    if (std::abs(v) > std::abs(best))
                        best = v;
                }
                mask.weights[size_t(p)] = best;
                if (std::abs(best) >= std::max(1.5, 0.5 * top))
                    strongPixels.push_back(p);
            }
            if (strongPixels.empty())
                continue;
            mask.description = describeImageMask(mask, strongPixels, signSum > 0);
        } else {
            mask.weights.assign(size_t(effect.size()), 0.0f);
            for (Eigen::Index j = 0; j < effect.size(); ++j)
                mask.weights[size_t(j)] = float(effect(j));
            mask.description = QStringLiteral("%1 flagged records of class '%2' share unusual values of %3.")
                                   .arg(mask.groupSize)
                                   .arg(mask.label, mask.topFeatures.mid(0, 3).join(QStringLiteral(", ")));
        }
        masks << mask;
    }
    return masks;
}

} // namespace custody
