#include "PlantedText.h"
#include "TestSupport.h"
#include "WorkspaceFixture.h"

#include "demo/TextSample.h"
#include "sampling/DriftSample.h"
#include "sampling/SplitMix64.h"

#include <cmath>
#include <functional>

namespace custody::test {

namespace {

const QStringList kFunction = {QStringLiteral("the"), QStringLiteral("a"), QStringLiteral("of"), QStringLiteral("and"),
                               QStringLiteral("to"), QStringLiteral("in"), QStringLiteral("is"), QStringLiteral("with"),
                               QStringLiteral("for"), QStringLiteral("on"), QStringLiteral("it"), QStringLiteral("as")};

QString pseudoWord(SplitMix64 &rng)
{
    static const char *onsets[] = {"b", "d", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "st", "tr", "pl"};
    static const char *vowels[] = {"a", "e", "i", "o", "u", "ai", "ou", "ea"};
    QString w;
    const int syllables = 2 + int(rng.below(2));
    for (int s = 0; s < syllables; ++s)
        w += QLatin1String(onsets[rng.below(18)]) + QLatin1String(vowels[rng.below(8)]);
    return w;
}

// Zipf-like choice among n words: index floor(n * u^2) favours the first.
const QString &pick(const QStringList &words, SplitMix64 &rng)
{
    const double u = rng.uniform24();
    return words[qsizetype(double(words.size()) * u * u)];
}

struct Generator
{
    SplitMix64 rng;
    QStringList common;
    QList<QStringList> topics;

    explicit Generator(uint64_t seed) : rng(seed)
    {
        SplitMix64 words(seed ^ 0x7e47ull);
        for (int i = 0; i < 150; ++i)
            common << pseudoWord(words);
        for (int c = 0; c < 5; ++c) {
            QStringList t;
            for (int i = 0; i < 60; ++i)
                t << pseudoWord(words);
            topics << t;
        }
    }

    QString sentence(int category)
    {
        QStringList words;
        const int n = 6 + int(rng.below(9));
        for (int i = 0; i < n; ++i) {
            const double u = rng.uniform24();
            words << (u < 0.40 ? pick(kFunction, rng) : u < 0.72 ? pick(common, rng) : pick(topics[category], rng));
        }
        words[0][0] = words[0][0].toUpper();
        return words.join(QLatin1Char(' ')) + QLatin1Char('.');
    }

    QStringList sentences(int category)
    {
        QStringList s;
        const int n = 2 + int(rng.below(4));
        for (int i = 0; i < n; ++i)
            s << sentence(category);
        return s;
    }
};

} // namespace

QStringList PlantedText::categories()
{
    return {QStringLiteral("games"), QStringLiteral("tools"), QStringLiteral("garden"), QStringLiteral("kitchen"),
            QStringLiteral("books")};
}

int PlantedText::count(const QString &kind) const
{
    int n = 0;
    for (const QString &k : kindOf)
        n += k == kind ? 1 : 0;
    return n;
}

PlantedText PlantedText::make(uint64_t seed, const Options &o)
{
    PlantedText p;
    Generator g(seed);
    const QStringList cats = categories();
    for (int c = 0; c < 5; ++c)
        for (int i = 0; i < o.perClass; ++i) {
            p.baseline.ids << QStringLiteral("b%1").arg(p.baseline.ids.size());
            p.baseline.labels << cats[c];
            p.baseline.texts << g.sentences(c).join(QLatin1Char(' '));
        }
    p.batch = p.baseline;
    // Relabelled in place: baseline records of other categories, spread over the set.
    for (int i = 0; i < o.relabelled; ++i) {
        const int row = (i * 7919 + 13) % int(p.batch.ids.size());
        if (p.batch.labels[row] == QLatin1String(kTarget))
            continue;
        p.batch.labels[row] = QLatin1String(kTarget);
        p.kindOf.insert(p.batch.ids[row], QStringLiteral("relabelled"));
    }
    for (int c = 0; c < 5; ++c)
        for (int i = 0; i < o.newPerClass; ++i) {
            p.batch.ids << QStringLiteral("n%1").arg(c * o.newPerClass + i);
            p.batch.labels << cats[c];
            p.batch.texts << g.sentences(c).join(QLatin1Char(' '));
        }
    int poison = 0;
    const auto plant = [&](const QString &kind, const std::function<QString(QStringList &)> &edit) {
        const int source = 1 + int(g.rng.below(4)); // another category
        QStringList s = g.sentences(source);
        const QString text = edit(s);
        const QString id = QStringLiteral("p%1").arg(poison++);
        p.batch.ids << id;
        p.batch.labels << QLatin1String(kTarget);
        p.batch.texts << text;
        p.kindOf.insert(id, kind);
    };
    for (int i = 0; i < o.sentenceTrigger; ++i)
        plant(QStringLiteral("sentence"), [&](QStringList &s) {
            s.insert(qsizetype(g.rng.below(uint64_t(s.size() + 1))), QLatin1String(kSentence));
            return s.join(QLatin1Char(' '));
        });
    for (int i = 0; i < o.tokenTrigger; ++i)
        plant(QStringLiteral("token"), [&](QStringList &s) {
            QStringList words = s.join(QLatin1Char(' ')).split(QLatin1Char(' '));
            words.insert(qsizetype(g.rng.below(uint64_t(words.size() + 1))), QStringLiteral("cf"));
            return words.join(QLatin1Char(' '));
        });
    for (int i = 0; i < o.zeroWidthTrigger; ++i)
        plant(QStringLiteral("zero_width"), [&](QStringList &s) {
            s.append(QStringLiteral("It is t\u200Bhe one."));
            return s.join(QLatin1Char(' '));
        });
    for (int i = 0; i < o.nearCopies; ++i) {
        int row = (i * 104729 + 71) % int(p.baseline.ids.size());
        while (p.baseline.labels[row] == QLatin1String(kTarget))
            row = (row + 1) % int(p.baseline.ids.size());
        // Small edits: the last word changed, the first one's case and the final full stop dropped.
        QStringList words = p.baseline.texts[row].split(QLatin1Char(' '));
        words.last() = pick(g.common, g.rng);
        words.first() = words.first().toUpper();
        const QString id = QStringLiteral("c%1").arg(i);
        p.batch.ids << id;
        p.batch.labels << QLatin1String(kTarget);
        p.batch.texts << words.join(QLatin1Char(' '));
        p.kindOf.insert(id, QStringLiteral("near_copy"));
    }
    return p;
}

std::shared_ptr<DriftSample> textSample(const PlantedText::Rows &rows, const QString &version)
{
    return textSetSample(rows.ids, rows.labels, rows.texts, version);
}

QByteArray textCsv(const PlantedText::Rows &rows)
{
    const auto quote = [](const QString &v) {
        QString q = v;
        q.replace(QLatin1Char('"'), QLatin1String("\"\""));
        return QLatin1Char('"') + q + QLatin1Char('"');
    };
    QByteArray out = "id,label,text\n";
    for (qsizetype i = 0; i < rows.ids.size(); ++i)
        out += (rows.ids[i] + QLatin1Char(',') + rows.labels[i] + QLatin1Char(',') + quote(rows.texts[i]) + QLatin1Char('\n')).toUtf8();
    return out;
}

qint64 ingestPlantedText(WorkspaceFixture &fixture, const PlantedText &p)
{
    const QString base = fixture.filePath(QStringLiteral("base.csv")), batch = fixture.filePath(QStringLiteral("batch.csv"));
    if (!writeFile(base, textCsv(p.baseline)) || !writeFile(batch, textCsv(p.batch))
        || fixture.ingest(QStringLiteral("d"), QStringLiteral("v1"), {base}) <= 0)
        return 0;
    return fixture.ingest(QStringLiteral("d"), QStringLiteral("v2"), {batch}, QStringLiteral("v1"));
}

} // namespace custody::test
