#include "detection/TextNearDuplicates.h"

#include "detection/ScanContext.h"
#include "text/MinHash.h"

namespace custody {

std::vector<TextNearMatch> textNearDuplicates(const ScanContext &c, double threshold)
{
    std::vector<TextNearMatch> best(c.candidates.size());
    for (const ScanTextColumn &t : c.text) {
        MinHashSignatures batch, base;
        if (!batch.compute(t.batch, *t.vocabulary, c.options.seed, c.cancel)
            || (c.hasBaseline() && !base.compute(t.baseline, *t.vocabulary, c.options.seed, c.cancel)))
            return {};
        // Where a candidate's twin may be: the reference's records, and (with a baseline) the other candidates.
        MinHashIndex reference, others;
        const MinHashSignatures &refSigs = c.hasBaseline() ? base : batch;
        for (int64_t r = 0; r < refSigs.documents(); ++r)
            if (refSigs.has(r))
                reference.add(int(r), refSigs.of(r));
        if (c.hasBaseline())
            for (int row : c.candidates)
                if (batch.has(row))
                    others.add(row, batch.of(row));
        reference.finish();
        others.finish();
        std::vector<int> hits;
        const auto consider = [&](size_t i, int other, bool inBaseline, double s) {
            if (s >= threshold && s > best[i].similarity) {
                best[i].otherRow = other;
                best[i].inBaseline = inBaseline;
                best[i].similarity = s;
                best[i].column = t.name;
            }
        };
        for (size_t i = 0; i < c.candidates.size(); ++i) {
            if (c.cancelled())
                return {};
            const int row = c.candidates[i];
            const int label = c.batchLabel[size_t(row)];
            if (!batch.has(row))
                continue;
            const uint32_t *sig = batch.of(row);
            reference.candidates(sig, &hits);
            for (int r : hits) {
                const int other = c.referenceLabel()[size_t(r)];
                if (other == label || (!c.hasBaseline() && r == row) || c.referenceId(r) == c.recordId(row))
                    continue;
                consider(i, r, c.hasBaseline(), MinHashSignatures::similarity(sig, refSigs.of(r)));
            }
            if (!c.hasBaseline())
                continue;
            others.candidates(sig, &hits);
            for (int r : hits)
                if (r != row && c.batchLabel[size_t(r)] != label)
                    consider(i, r, false, MinHashSignatures::similarity(sig, batch.of(r)));
        }
    }
    return best;
}

} // namespace custody
