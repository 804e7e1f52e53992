#pragma once

#include <QString>

#include <vector>

namespace custody {

struct ScanContext;

// Text near duplicates whose labels disagree (docs/detection.md, "Near duplicates"): for each candidate, the
// most similar record of another label by the MinHash estimate of the Jaccard similarity of their 5-word
// shingles, in any text column, when it reaches `threshold`: among the baseline's records (never the
// candidate's own earlier self) and the batch's other candidates, or among the batch's records without a
// baseline.
struct TextNearMatch
{
    int otherRow = -1;      // -1: none
    bool inBaseline = false;
    double similarity = 0;
    QString column;
};
std::vector<TextNearMatch> textNearDuplicates(const ScanContext &context, double threshold);

} // namespace custody
