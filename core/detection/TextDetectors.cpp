#include "detection/TriggerPhrases.h"

#include "detection/ScanContext.h"
#include "sampling/DriftSample.h"
#include "text/TextNormaliser.h"

#include <QJsonArray>

#include <cmath>

namespace custody {

namespace {

struct ResolvedPhrase
{
    const TriggerPhrase *phrase = nullptr;
    const ScanTextColumn *column = nullptr;
    int label = -1;
    std::vector<uint32_t> words; // ids; a word the vocabulary lacks never matches
};

float phraseScore(const std::vector<ResolvedPhrase> &phrases, const TextCorpus &(*corpusOf)(const ScanTextColumn &),
                  int64_t doc, int label, int *which)
{
    float best = NAN;
    for (size_t i = 0; i < phrases.size(); ++i) {
        const ResolvedPhrase &p = phrases[i];
        if (p.label != label)
            continue;
        const TextCorpus &corpus = corpusOf(*p.column);
        if (!corpus.present[size_t(doc)]) {
            if (!std::isfinite(best))
                best = 0;
            continue;
        }
        int count = 0;
        const uint32_t *ids = corpus.tokensOf(doc, &count);
        const float s = float(longestPhraseRun(ids, count, p.words)) / float(p.words.size());
        if (!std::isfinite(best) || s > best) {
            best = s;
            *which = int(i);
        }
    }
    return best;
}

const TextCorpus &batchCorpus(const ScanTextColumn &t) { return t.batch; }
const TextCorpus &baselineCorpus(const ScanTextColumn &t) { return t.baseline; }

} // namespace

bool TriggerPhrases::match(const ScanContext &c, const QList<TriggerPhrase> &phrases, DetectorOutput *out, QString *)
{
    out->reset(DetectorName::Phrases, c.batch->rows());
    out->summary.parameters = {{QStringLiteral("alpha"), c.options.phraseAlpha},
                               {QStringLiteral("min_purity"), c.options.phraseMinPurity},
                               {QStringLiteral("min_support"), c.options.phraseMinSupport},
                               {QStringLiteral("max_gram"), 3}};
    if (c.text.empty()) {
        out->summary.note = QStringLiteral("no text column to search for trigger phrases");
        return true;
    }
    std::vector<ResolvedPhrase> resolved;
    for (const TriggerPhrase &p : phrases) {
        ResolvedPhrase r;
        r.phrase = &p;
        r.label = int(c.labelNames.indexOf(p.label));
        for (const ScanTextColumn &t : c.text)
            if (t.name == p.column)
                r.column = &t;
        if (!r.column || r.label < 0 || p.words.isEmpty())
            continue;
        for (const QString &w : p.words) {
            const int64_t id = r.column->vocabulary->find(w);
            r.words.push_back(id < 0 ? UINT32_MAX : uint32_t(id));
        }
        resolved.push_back(std::move(r));
    }
    CalibratedScores scores;
    scores.candidateScore.assign(c.candidates.size(), NAN);
    std::vector<int> which(c.candidates.size(), -1);
    for (size_t i = 0; i < c.candidates.size(); ++i) {
        const int row = c.candidates[i];
        scores.candidateScore[i] = phraseScore(resolved, batchCorpus, row, c.batchLabel[size_t(row)], &which[i]);
    }
    // The null: every reference record of the class (without a baseline, those not carrying the whole phrase).
    scores.nullScores.assign(size_t(c.classes()), {});
    const std::vector<int> &refLabel = c.referenceLabel();
    for (size_t r = 0; r < refLabel.size(); ++r) {
        if (refLabel[r] < 0)
            continue;
        int w = -1;
        const float s = phraseScore(resolved, c.hasBaseline() ? baselineCorpus : batchCorpus, int64_t(r), refLabel[r], &w);
        if (std::isfinite(s) && (c.hasBaseline() || s < 1.0f))
            scores.nullScores[size_t(refLabel[r])].push_back(s);
    }
    flagCalibrated(
        c, scores,
        [&](int cand, double s, double, double p) {
            const TriggerPhrase &tp = *resolved[size_t(which[size_t(cand)])].phrase;
            return QStringLiteral("Carries %1% of the trigger phrase '%2' of class '%3' (%4; p = %5).")
                .arg(QString::number(100.0 * s, 'f', 0), tp.phrase, tp.label, tp.description, QString::number(p, 'g', 2));
        },
        [&](int cand) {
            const TriggerPhrase &tp = *resolved[size_t(which[size_t(cand)])].phrase;
            return QJsonObject{{QStringLiteral("column"), tp.column},
                               {QStringLiteral("phrase"), tp.phrase},
                               {QStringLiteral("class"), tp.label}};
        },
        out);
    out->summary.ran = true;
    out->summary.note = phrases.isEmpty() ? QStringLiteral("no trigger phrase found")
                                          : QStringLiteral("%1 trigger phrase(s); %2 records scored")
                                                .arg(phrases.size())
                                                .arg(formatCount(out->summary.scored));
    return true;
}

bool HiddenCharacters::run(const ScanContext &c, DetectorOutput *out, QString *)
{
    out->reset(DetectorName::Characters, c.batch->rows());
    if (c.text.empty()) {
        out->summary.note = QStringLiteral("no text column to search for hidden characters");
        return true;
    }
    // What is ordinary in the reference: per (column, class), how often each invisible character occurs.
    const DriftSample &ref = c.reference();
    const std::vector<int> &refLabel = c.referenceLabel();
    QStringList ordinary; // "column|class|name" found in >= 1% of the reference's records of the class
    for (const ScanTextColumn &t : c.text) {
        const int col = c.hasBaseline() ? t.baselineColumn : t.batchColumn;
        QHash<QString, int> seen;
        std::vector<int> perClass(size_t(c.classes()), 0);
        for (qsizetype r = 0; r < ref.columns[size_t(col)].texts.size(); ++r) {
            const int l = refLabel[size_t(r)];
            if (l < 0)
                continue;
            ++perClass[size_t(l)];
            const QString &text = ref.columns[size_t(col)].texts[r];
            bool any = false;
            for (const QChar ch : text)
                any = any || isInvisibleCharacter(ch.unicode());
            if (!any)
                continue;
            for (const QString &name : characterProfile(text).invisibleNames)
                ++seen[t.name + QLatin1Char('|') + c.labelName(l) + QLatin1Char('|') + name];
        }
        for (auto it = seen.constBegin(); it != seen.constEnd(); ++it) {
            const QString label = it.key().section(QLatin1Char('|'), 1, 1);
            const int l = int(c.labelNames.indexOf(label));
            if (l >= 0 && it.value() * 100 >= perClass[size_t(l)])
                ordinary << it.key();
        }
    }
    int64_t ignored = 0;
    for (int row : c.candidates) {
        QStringList named, words;
        const int l = c.batchLabel[size_t(row)];
        for (const ScanTextColumn &t : c.text) {
            const QString &text = c.batch->columns[size_t(t.batchColumn)].texts[row];
            if (text.isEmpty())
                continue;
            const CharacterProfile p = characterProfile(text);
            for (const QString &name : p.invisibleNames) {
                if (ordinary.contains(t.name + QLatin1Char('|') + c.labelName(l) + QLatin1Char('|') + name))
                    ++ignored;
                else
                    named << name;
            }
            words << p.mixedScriptWords;
        }
        ++out->summary.scored;
        if (named.isEmpty() && words.isEmpty())
            continue;
        named.removeDuplicates();
        Finding f;
        f.record = c.recordId(row);
        f.row = row;
        f.detector = out->summary.detector;
        f.label = c.labelName(l);
        f.score = double(named.size() + words.size());
        f.threshold = 1;
        f.pValue = 1e-6;
        QStringList parts;
        if (!named.isEmpty())
            parts << QStringLiteral("invisible characters %1").arg(named.join(QStringLiteral(", ")));
        if (!words.isEmpty())
            parts << QStringLiteral("words mixing Latin with Cyrillic or Greek letters (%1)").arg(words.join(QStringLiteral(", ")));
        f.reason = QStringLiteral("The text carries %1.").arg(parts.join(QStringLiteral(" and ")));
        f.evidence = {{QStringLiteral("characters"), QJsonArray::fromStringList(named)},
                      {QStringLiteral("mixed_script_words"), QJsonArray::fromStringList(words)}};
        out->score[size_t(row)] = float(f.score);
        out->evidence[size_t(row)] = 6.0f; // exact evidence, as a relabel
        out->findings << f;
    }
    out->summary.flagged = out->findings.size();
    out->summary.ran = true;
    out->summary.note = QStringLiteral("%1 records with hidden characters or look-alike words").arg(formatCount(out->summary.flagged));
    if (ignored > 0)
        out->summary.note += QStringLiteral("; %1 invisible characters ordinary in the reference's class left alone").arg(formatCount(ignored));
    return true;
}

} // namespace custody
