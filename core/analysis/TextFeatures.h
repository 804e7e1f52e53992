#pragma once

#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>

namespace custody {

struct DriftSample;

// Drift of free text through numbers the drift tests already handle (docs/drift.md, "Text"): for each text
// column both samples hold, four derived numeric columns, tested like any other feature (KS, BH, by class):
//   <column>:words              word tokens of the normalised text (text/TextNormaliser.h)
//   <column>:characters         code points of the normalised text
//   <column>:non_letter_share   share of those that are not letters
//   <column>:unseen_word_share  share of its words that half of the baseline never uses: the batch's records and
//                               the baseline's odd rows against the vocabulary of the baseline's even rows, the
//                               even rows against the odd rows' (so the baseline is not compared with itself)
// A missing value is NaN in each. The samples are replaced by copies with the columns added, only when they
// have text columns; false only when cancelled.
// `perColumn`, when given, is handed each such column's tokenised corpora (one vocabulary for both), so that
// the text section of the report (analysis/TextDrift.h) tokenises nothing again; it returns false to cancel.
class TextVocabulary;
struct TextCorpus;
using TextColumnFn = std::function<bool(const QString &column, const TextVocabulary &vocabulary, const TextCorpus &baseline,
                                        const TextCorpus &batch)>;
bool addTextFeatures(std::shared_ptr<const DriftSample> *baseline, std::shared_ptr<const DriftSample> *batch,
                     const std::atomic_bool *cancel = nullptr, const TextColumnFn &perColumn = {});

QStringList textFeatureSuffixes(); // words, characters, non_letter_share, unseen_word_share
QString textFeatureName(const QString &column, const QString &suffix);

} // namespace custody
