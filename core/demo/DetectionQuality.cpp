#include "demo/DetectionQuality.h"

#include "detection/ScanResult.h"

#include <QJsonArray>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace custody {

namespace {

struct Truth
{
    QHash<QString, QString> kindOf; // id -> backdoor | flipped_label | conflicting_copy
    QHash<QString, int> planted;
};

Truth truthOf(const QJsonObject &groundTruth)
{
    Truth t;
    for (const QJsonValue &v : groundTruth.value(QStringLiteral("records")).toArray()) {
        const QJsonObject o = v.toObject();
        const QString kind = o.value(QStringLiteral("kind")).toString();
        t.kindOf.insert(o.value(QStringLiteral("id")).toString(), kind);
        ++t.planted[kind];
    }
    return t;
}

// Recall of backdoors when the top `budget` candidates by `score` are taken; ties broken by row.
double backdoorsInTop(const ScanResult &r, const std::vector<float> &score, const Truth &t, size_t budget)
{
    const int planted = t.planted.value(QStringLiteral("backdoor"));
    if (planted == 0)
        return NAN;
    std::vector<std::pair<float, int>> ranked;
    for (size_t i = 0; i < score.size() && i < r.change.size(); ++i)
        if (r.change[i] != uint8_t(RecordChange::Unchanged))
            ranked.emplace_back(std::isfinite(score[i]) ? score[i] : -INFINITY, int(i));
    budget = std::min(budget, ranked.size());
    std::partial_sort(ranked.begin(), ranked.begin() + qsizetype(budget), ranked.end(),
                      [](const auto &a, const auto &b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
    int hit = 0;
    for (size_t i = 0; i < budget; ++i)
        hit += t.kindOf.value(r.ids.value(ranked[i].second)) == QLatin1String("backdoor");
    return double(hit) / planted;
}

DetectorQuality measure(const ScanResult &r, const Truth &t, const QString &name, const std::vector<float> &score,
                        const QSet<int> &flaggedRows, size_t budget, int cleanCandidates)
{
    DetectorQuality q;
    q.detector = name;
    QHash<QString, int> found;
    int truePositives = 0, falsePositives = 0;
    for (int row : flaggedRows) {
        const QString kind = t.kindOf.value(r.ids.value(row));
        if (kind.isEmpty())
            ++falsePositives;
        else
            ++truePositives, ++found[kind];
    }
    const auto recall = [&](const char *kind) {
        const int planted = t.planted.value(QLatin1String(kind));
        return planted ? double(found.value(QLatin1String(kind))) / planted : NAN;
    };
    q.backdoorAtBudget = backdoorsInTop(r, score, t, budget);
    q.flagged = int(flaggedRows.size());
    q.precision = flaggedRows.isEmpty() ? NAN : double(truePositives) / double(flaggedRows.size());
    q.backdoorRecall = recall("backdoor");
    q.flippedRecall = recall("flipped_label");
    q.copyRecall = recall("conflicting_copy");
    q.falsePositiveRate = cleanCandidates > 0 ? double(falsePositives) / cleanCandidates : NAN;
    return q;
}

QJsonValue number(double v)
{
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue();
}

} // namespace

const DetectorQuality *ScanQuality::find(const QString &detector) const
{
    for (const DetectorQuality &q : detectors)
        if (q.detector == detector)
            return &q;
    return nullptr;
}

QJsonObject ScanQuality::toJson() const
{
    QJsonObject out;
    for (const DetectorQuality &q : detectors)
        out.insert(q.detector, QJsonObject{{QStringLiteral("backdoor_recall_at_1_5x"), number(q.backdoorAtBudget)},
                                           {QStringLiteral("flagged"), q.flagged},
                                           {QStringLiteral("precision"), number(q.precision)},
                                           {QStringLiteral("backdoor_recall"), number(q.backdoorRecall)},
                                           {QStringLiteral("flipped_recall"), number(q.flippedRecall)},
                                           {QStringLiteral("copy_recall"), number(q.copyRecall)},
                                           {QStringLiteral("false_positive_rate"), number(q.falsePositiveRate)}});
    return out;
}

ScanQuality measureScanQuality(const ScanResult &r, const QJsonObject &groundTruth)
{
    const Truth t = truthOf(groundTruth);
    ScanQuality out;
    out.planted = t.planted;
    for (uint8_t c : r.change)
        out.candidates += c != uint8_t(RecordChange::Unchanged);
    out.cleanCandidates = out.candidates - int(t.kindOf.size());
    const size_t backdoorBudget = size_t(std::ceil(1.5 * t.planted.value(QStringLiteral("backdoor"))));
    for (int d = 0; d < r.detectorOrder.size() && size_t(d) < r.detectorScores.size(); ++d) {
        QSet<int> flagged;
        for (const Finding &f : r.findings)
            if (f.detector == r.detectorOrder[d])
                flagged.insert(f.row);
        out.detectors.append(measure(r, t, r.detectorOrder[d], r.detectorScores[size_t(d)], flagged, backdoorBudget, out.cleanCandidates));
    }
    QSet<int> any;
    for (const Suspicion &s : r.ranking)
        any.insert(s.row);
    out.detectors.append(measure(r, t, QStringLiteral("combined"), r.suspicion, any, size_t(std::ceil(1.5 * double(t.kindOf.size()))),
                                 out.cleanCandidates));
    return out;
}

} // namespace custody
