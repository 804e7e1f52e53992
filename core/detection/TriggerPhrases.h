#pragma once

#include "detection/Detector.h"
#include "detection/ScanResult.h"

namespace custody {

struct ScanContext;

// Trigger phrases in the text columns of a scan (docs/detection.md, "Trigger phrases"): for each class, word
// 1-3-grams whose share among the batch's new records of the class is far above the baseline's share in that
// class (two-proportion z with continuity correction, Bonferroni over n-grams x classes), with enough support
// and label purity; without a baseline, n-grams tied to one label against the label prior (Z-defence) in
// records whose other words point to other classes. Overlapping n-grams merge into the longest phrase their
// records share.
class TriggerPhrases
{
public:
    static QList<TriggerPhrase> find(const ScanContext &context);
    // Every candidate of a phrase's class scored by the longest run of the phrase's words it carries (as a
    // share of the phrase), calibrated on the reference's records of the class.
    static bool match(const ScanContext &context, const QList<TriggerPhrase> &phrases, DetectorOutput *out,
                      QString *error);
};

// Invisible characters (zero widths, bidirectional controls) and words mixing Latin with Cyrillic or Greek
// letters in new records, each named; not flagged where the reference's records of the class carry the same
// character at least 1% of the time (text in which they are ordinary).
class HiddenCharacters
{
public:
    static bool run(const ScanContext &context, DetectorOutput *out, QString *error);
};

// The longest run of `phrase` found contiguously in `tokens`, in words.
int longestPhraseRun(const uint32_t *tokens, int count, const std::vector<uint32_t> &phrase);

} // namespace custody
