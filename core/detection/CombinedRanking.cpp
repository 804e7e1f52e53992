#include "sampling/DriftSample.h"
#include "detection/Detectors.h"
#include "detection/ScanContext.h"

#include <QHash>

#include <algorithm>
#include <cmath>

namespace custody {

void CombinedRanking::combine(const ScanContext &c, const std::vector<DetectorOutput> &outputs, ScanResult *result)
{
    const size_t rows = size_t(c.batch->rows());
    result->suspicion.assign(rows, NAN);
    for (int row : c.candidates) {
        float first = 0, second = 0;
        for (const DetectorOutput &o : outputs) {
            const float e = o.evidence[size_t(row)];
            if (!std::isfinite(e))
                continue;
            if (e > first)
                second = first, first = e;
            else if (e > second)
                second = e;
        }
        result->suspicion[size_t(row)] = first + 0.5f * second;
    }
    QHash<int, QList<const Finding *>> byRow;
    for (const DetectorOutput &o : outputs)
        for (const Finding &f : o.findings)
            byRow[f.row] << &f;
    result->findings.clear();
    result->ranking.clear();
    for (auto it = byRow.begin(); it != byRow.end(); ++it) {
        Suspicion s;
        s.row = it.key();
        s.record = c.recordId(s.row);
        s.score = double(result->suspicion[size_t(s.row)]);
        QList<const Finding *> list = it.value();
        std::sort(list.begin(), list.end(), [&](const Finding *a, const Finding *b) {
            return -std::log10(std::max(a->pValue, 1e-6)) > -std::log10(std::max(b->pValue, 1e-6));
        });
        for (const Finding *f : list)
            s.detectors << f->detector;
        result->ranking << s;
    }
    std::sort(result->ranking.begin(), result->ranking.end(), [](const Suspicion &a, const Suspicion &b) {
        return a.score != b.score ? a.score > b.score : a.row < b.row;
    });
    for (const Suspicion &s : result->ranking)
        for (const QString &d : s.detectors)
            for (const Finding *f : byRow.value(s.row))
                if (f->detector == d) {
                    result->findings << *f;
                    break;
                }
}

} // namespace custody
