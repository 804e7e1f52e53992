#include "analysis/TextFeatures.h"

#include "sampling/DriftSample.h"
#include "text/TextCorpus.h"

#include <cmath>
#include <functional>
#include <vector>

namespace custody {

QStringList textFeatureSuffixes()
{
    return {QStringLiteral("words"), QStringLiteral("characters"), QStringLiteral("non_letter_share"),
            QStringLiteral("unseen_word_share")};
}

QString textFeatureName(const QString &column, const QString &suffix)
{
    return column + QLatin1Char(':') + suffix;
}

namespace {

void appendDerived(DriftSample &s, const QString &column, const TextCorpus &corpus,
                   const std::function<float(int64_t doc, const uint32_t *ids, int count)> &unseen)
{
    const QStringList suffixes = textFeatureSuffixes();
    std::vector<DriftSample::Column> added(4);
    for (int k = 0; k < 4; ++k) {
        added[size_t(k)].name = textFeatureName(column, suffixes[k]);
        added[size_t(k)].kind = ColumnKind::Number;
        added[size_t(k)].numbers.assign(size_t(corpus.documents()), NAN);
    }
    for (int64_t d = 0; d < corpus.documents(); ++d) {
        if (!corpus.present[size_t(d)]) {
            for (auto &c : added)
                ++c.missing;
            continue;
        }
        int count = 0;
        const uint32_t *ids = corpus.tokensOf(d, &count);
        const int32_t chars = corpus.characters[size_t(d)];
        added[0].numbers[size_t(d)] = float(count);
        added[1].numbers[size_t(d)] = float(chars);
        added[2].numbers[size_t(d)] = chars > 0 ? float(double(chars - corpus.letters[size_t(d)]) / chars) : NAN;
        added[3].numbers[size_t(d)] = count > 0 ? unseen(d, ids, count) : NAN;
    }
    for (auto &c : added) {
        s.schema.columns.append(Column{c.name, ColumnKind::Number, 0, 0, 0});
        s.columns.push_back(std::move(c));
    }
}

float unseenShare(const std::vector<uint8_t> &vocabulary, const uint32_t *ids, int count)
{
    int unseen = 0;
    for (int i = 0; i < count; ++i)
        unseen += ids[i] < vocabulary.size() && vocabulary[ids[i]] ? 0 : 1;
    return float(double(unseen) / count);
}

} // namespace

bool addTextFeatures(std::shared_ptr<const DriftSample> *baseline, std::shared_ptr<const DriftSample> *batch,
                     const std::atomic_bool *cancel, const TextColumnFn &perColumn)
{
    std::shared_ptr<DriftSample> a, b;
    const DriftSample &base = **baseline, &next = **batch;
    for (const DriftSample::Column &col : next.columns) {
        const int ai = base.columnIndex(col.name);
        if (col.kind != ColumnKind::Text || ai < 0 || base.columns[size_t(ai)].kind != ColumnKind::Text
            || col.texts.size() != next.rows() || base.columns[size_t(ai)].texts.size() != base.rows()
            || next.columnIndex(textFeatureName(col.name, QStringLiteral("words"))) >= 0)
            continue;
        if (!a) {
            a = std::make_shared<DriftSample>(base);
            b = std::make_shared<DriftSample>(next);
        }
        TextVocabulary vocabulary;
        TextCorpus ca, cb;
        if (!TextCorpus::build(base.columns[size_t(ai)].texts, &vocabulary, &ca, cancel)
            || !TextCorpus::build(col.texts, &vocabulary, &cb, cancel))
            return false;
        // The words of the baseline's even rows and of its odd rows.
        std::vector<uint8_t> even(vocabulary.size(), 0), odd(vocabulary.size(), 0);
        for (int64_t d = 0; d < ca.documents(); ++d) {
            int count = 0;
            const uint32_t *ids = ca.tokensOf(d, &count);
            for (int i = 0; i < count; ++i)
                (d % 2 == 0 ? even : odd)[ids[i]] = 1;
        }
        appendDerived(*a, col.name, ca, [&](int64_t d, const uint32_t *ids, int count) {
            return unseenShare(d % 2 == 0 ? odd : even, ids, count);
        });
        appendDerived(*b, col.name, cb, [&](int64_t, const uint32_t *ids, int count) { return unseenShare(even, ids, count); });
        if (perColumn && !perColumn(col.name, vocabulary, ca, cb))
            return false;
    }
    if (a) {
        *baseline = std::move(a);
        *batch = std::move(b);
    }
    return true;
}

} // namespace custody
