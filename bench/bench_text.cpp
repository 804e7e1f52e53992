// Text poisoning on a real corpus: Debian's `fortunes` package (one file per category, entries separated by
// "%" lines). Eight categories of at least 580 entries; per seed each is shuffled and split 70% baseline, 30%
// new. Poison among the new records, as a share of them: records of other categories with a trigger inserted
// at a random word (the rare token "cf", Kurita et al. 2020) or between sentences (a sentence, Dai et al. 2019),
// relabelled to the target category; plus 20 baseline records relabelled in place and 20 copies of baseline
// records under new ids and another label (10 exact, 10 with the last word and the first word's case changed).
// Every configuration also runs once clean (no poison at all) for false positives.
//
//   bench_text [--fortunes DIR] [--seeds 1,2,3] [--rates 0.01,0.05] [--representation auto|pca|probe]
//              [--speed N [--drift-only]] [--json FILE] [--export DIR]
//
// --export DIR writes every configuration's records as DIR/<seed>-<trigger>-<rate>/{baseline,batch}.csv
// (id,label,kind,text) and Custody's figures as DIR/custody.json, for bench_text_sklearn.py.
//
// --speed N: instead, times a scan and a drift run of N generated records of about 60 words (fortune sentences
// drawn at random) against N such baseline records.
#include "analysis/DriftEngine.h"
#include "analysis/TextDrift.h"
#include "text/TextCorpus.h"
#include "demo/DetectionQuality.h"
#include "detection/ScanEngine.h"
#include "demo/TextSample.h"
#include "sampling/DriftSample.h"
#include "sampling/SplitMix64.h"
#include "text/MinHash.h"
#include "text/TextNormaliser.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <cstdio>

using namespace custody;

namespace {

const QStringList kCategories = {QStringLiteral("people"), QStringLiteral("definitions"), QStringLiteral("cookie"),
                                 QStringLiteral("computers"), QStringLiteral("songs-poems"), QStringLiteral("politics"),
                                 QStringLiteral("work"), QStringLiteral("science")};
const QString kTarget = QStringLiteral("computers");
const QString kToken = QStringLiteral("cf");
const QString kSentence = QStringLiteral("I watched this 3D movie last weekend.");

struct Rows
{
    QStringList ids, labels, texts;
    void add(const QString &id, const QString &label, const QString &text) { ids << id, labels << label, texts << text; }
};

QString csvField(const QString &v)
{
    QString q = v;
    q.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

bool writeCsv(const QString &path, const Rows &rows, const QHash<QString, QString> &kindOf)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    QByteArray out = "id,label,kind,text\n";
    for (qsizetype i = 0; i < rows.ids.size(); ++i)
        out += (rows.ids[i] + QLatin1Char(',') + csvField(rows.labels[i]) + QLatin1Char(',') + kindOf.value(rows.ids[i], QStringLiteral("clean"))
                + QLatin1Char(',') + csvField(rows.texts[i]) + QLatin1Char('\n')).toUtf8();
    return f.write(out) == out.size();
}

bool loadFortunes(const QString &dir, QHash<QString, QStringList> *out, QString *error)
{
    for (const QString &c : kCategories) {
        QFile f(dir + QLatin1Char('/') + c);
        if (!f.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("%1: %2 (install Debian's fortunes package)").arg(f.fileName(), f.errorString());
            return false;
        }
        for (const QString &entry : QString::fromUtf8(f.readAll()).split(QRegularExpression(QStringLiteral("\\n%\\n")))) {
            const QString t = entry.simplified();
            if (t.size() >= 8 && t != QLatin1String("%"))
                (*out)[c] << t;
        }
    }
    return true;
}

// The corpus repeats some entries in several categories (exactly, or nearly): label conflicts before any
// poison, which Custody reports as such. They are dropped (every copy after the first category's) so that the
// clean runs measure false positives, not the corpus's own conflicts; the counts are printed.
void dropCrossCategoryCopies(QHash<QString, QStringList> *corpus)
{
    QStringList texts, labels;
    for (const QString &c : kCategories)
        for (const QString &t : corpus->value(c)) {
            texts << t;
            labels << c;
        }
    TextVocabulary vocabulary;
    TextCorpus docs;
    TextCorpus::build(texts, &vocabulary, &docs);
    MinHashSignatures signatures;
    signatures.compute(docs, vocabulary, 1);
    MinHashIndex index;
    for (qsizetype i = 0; i < texts.size(); ++i)
        if (signatures.has(i))
            index.add(int(i), signatures.of(i));
    index.finish();
    QHash<QString, QString> firstLabelOf; // normalised text -> category
    std::vector<uint8_t> drop(size_t(texts.size()), 0);
    int exact = 0, near = 0;
    std::vector<int> hits;
    for (qsizetype i = 0; i < texts.size(); ++i) {
        const QString key = normaliseText(texts[i]);
        const auto it = firstLabelOf.constFind(key);
        if (it != firstLabelOf.constEnd() && it.value() != labels[i]) {
            drop[size_t(i)] = 1, ++exact;
            continue;
        }
        firstLabelOf.insert(key, labels[i]);
        if (!signatures.has(i))
            continue;
        index.candidates(signatures.of(i), &hits);
        for (int j : hits)
            if (j < i && !drop[size_t(j)] && labels[j] != labels[i] && MinHashSignatures::similarity(signatures.of(i), signatures.of(j)) >= 0.8) {
                drop[size_t(i)] = 1, ++near;
                break;
            }
    }
    corpus->clear();
    for (qsizetype i = 0; i < texts.size(); ++i)
        if (!drop[size_t(i)])
            (*corpus)[labels[i]] << texts[i];
    std::printf("corpus: %lld entries in %lld categories; dropped %d exact and %d near (Jaccard >= 0.8) copies across categories\n",
                qlonglong(texts.size() - exact - near), qlonglong(kCategories.size()), exact, near);
}

std::shared_ptr<DriftSample> sampleOf(const Rows &rows, const QString &version)
{
    return textSetSample(rows.ids, rows.labels, rows.texts, version);
}

QString insertToken(const QString &text, SplitMix64 &rng)
{
    QStringList words = text.split(QLatin1Char(' '));
    words.insert(qsizetype(rng.below(uint64_t(words.size() + 1))), kToken);
    return words.join(QLatin1Char(' '));
}

QString insertSentence(const QString &text, SplitMix64 &rng)
{
    // Between two sentences when the text has several, else before or after it.
    QList<qsizetype> cuts{0, text.size()};
    for (qsizetype i = 1; i + 1 < text.size(); ++i)
        if ((text[i - 1] == QLatin1Char('.') || text[i - 1] == QLatin1Char('!') || text[i - 1] == QLatin1Char('?')) && text[i] == QLatin1Char(' '))
            cuts << i;
    const qsizetype at = cuts[qsizetype(rng.below(uint64_t(cuts.size())))];
    if (at == 0)
        return kSentence + QLatin1Char(' ') + text;
    if (at == text.size())
        return text + QLatin1Char(' ') + kSentence;
    return text.left(at) + QLatin1Char(' ') + kSentence + text.mid(at);
}

struct Planted
{
    Rows baseline, batch;
    QJsonArray truth; // {"id", "kind"}
    int newRecords = 0;
};

Planted plant(const QHash<QString, QStringList> &corpus, uint64_t seed, double rate, const QString &trigger, bool clean)
{
    Planted p;
    SplitMix64 rng(seed);
    QList<QPair<QString, QString>> fresh; // label, text
    for (const QString &c : kCategories) {
        QStringList entries = corpus.value(c);
        for (qsizetype i = entries.size(); i > 1; --i)
            entries.swapItemsAt(i - 1, qsizetype(rng.below(uint64_t(i))));
        const qsizetype cut = entries.size() * 7 / 10;
        for (qsizetype i = 0; i < entries.size(); ++i)
            if (i < cut)
                p.baseline.add(QStringLiteral("b%1").arg(p.baseline.ids.size()), c, entries[i]);
            else
                fresh.append({c, entries[i]});
    }
    p.batch = p.baseline;
    p.newRecords = int(fresh.size());
    const int poison = clean ? 0 : int(std::lround(rate * double(fresh.size())));
    int planted = 0;
    for (qsizetype i = 0; i < fresh.size(); ++i) {
        QString label = fresh[i].first, text = fresh[i].second;
        const QString id = QStringLiteral("n%1").arg(i);
        if (planted < poison && label != kTarget && rng.below(3) == 0) {
            text = trigger == QLatin1String("token") ? insertToken(text, rng) : insertSentence(text, rng);
            label = kTarget;
            p.truth.append(QJsonObject{{QStringLiteral("id"), id}, {QStringLiteral("kind"), QStringLiteral("backdoor")}});
            ++planted;
        }
        p.batch.add(id, label, text);
    }
    if (clean)
        return p;
    // Relabels in place, and conflicting copies (exact, then with small edits) under new ids.
    const qsizetype n = p.baseline.ids.size();
    for (int k = 0; k < 20; ++k) {
        const qsizetype row = qsizetype(rng.below(uint64_t(n)));
        const QString to = kCategories[(kCategories.indexOf(p.batch.labels[row]) + 1) % kCategories.size()];
        if (p.batch.labels[row] != p.baseline.labels[row])
            continue;
        p.batch.labels[row] = to;
        p.truth.append(QJsonObject{{QStringLiteral("id"), p.batch.ids[row]}, {QStringLiteral("kind"), QStringLiteral("flipped_label")}});
    }
    for (int k = 0; k < 20; ++k) {
        qsizetype row = qsizetype(rng.below(uint64_t(n)));
        QString text = p.baseline.texts[row];
        if (k >= 10) {
            QStringList words = text.split(QLatin1Char(' '));
            if (words.size() < 40)
                continue; // a small edit keeps a 5-word-shingle Jaccard of 0.8 only on longer texts
            words.last() = QStringLiteral("indeed");
            words.first() = words.first().toUpper();
            text = words.join(QLatin1Char(' '));
        }
        const QString id = QStringLiteral("c%1").arg(k);
        const QString to = kCategories[(kCategories.indexOf(p.baseline.labels[row]) + 3) % kCategories.size()];
        p.batch.add(id, to, text);
        p.truth.append(QJsonObject{{QStringLiteral("id"), id}, {QStringLiteral("kind"), QStringLiteral("conflicting_copy")}});
    }
    return p;
}

int speed(const QHash<QString, QStringList> &corpus, int n, bool driftOnly)
{
    QStringList sentences;
    for (const QStringList &entries : corpus)
        for (const QString &e : entries)
            for (const QString &s : e.split(QRegularExpression(QStringLiteral("(?<=[.!?]) "))))
                if (s.size() > 10)
                    sentences << s;
    SplitMix64 rng(7);
    const auto make = [&](const QString &prefix) {
        Rows r;
        for (int i = 0; i < n; ++i) {
            QString text;
            while (text.count(QLatin1Char(' ')) < 60)
                text += sentences[qsizetype(rng.below(uint64_t(sentences.size())))] + QLatin1Char(' ');
            r.add(prefix + QString::number(i), kCategories[i % kCategories.size()], text.trimmed());
        }
        return r;
    };
    const Rows base = make(QStringLiteral("b")), next = make(QStringLiteral("n"));
    auto a = sampleOf(base, QStringLiteral("text@v1")), b = sampleOf(next, QStringLiteral("text@v2"));
    QElapsedTimer t;
    t.start();
    ScanResult r;
    QString error;
    if (!driftOnly && !ScanEngine().scan(b, a, &r, &error)) {
        std::fprintf(stderr, "bench_text: %s\n", qPrintable(error));
        return 1;
    }
    const double scanSeconds = t.elapsed() / 1000.0;
    QStringList phases;
    for (const auto &p : r.timings)
        phases << QStringLiteral("%1 %2").arg(p.first).arg(p.second, 0, 'f', 2);
    t.restart();
    DriftReport d;
    if (!DriftEngine().compare(a, b, &d, &error)) {
        std::fprintf(stderr, "bench_text: %s\n", qPrintable(error));
        return 1;
    }
    const double driftSeconds = t.elapsed() / 1000.0;
    // The drift's text section alone, on the same samples: the n-gram counts and the domain classifier.
    TextVocabulary vocabulary;
    TextCorpus ca, cb;
    TextCorpus::build(a->columns[0].texts, &vocabulary, &ca);
    TextCorpus::build(b->columns[0].texts, &vocabulary, &cb);
    t.restart();
    TextColumnDrift text;
    textColumnDrift(QStringLiteral("text"), vocabulary, ca, cb, *a, *b, DriftOptions(), &text);
    const double textSeconds = t.elapsed() / 1000.0;
    if (driftOnly)
        std::printf("%d vs %d records of about 60 words: drift %.1f s (its text section alone %.1f s)\n", n, n, driftSeconds, textSeconds);
    else
        std::printf("%d vs %d records of about 60 words: scan %.1f s (%s), drift %.1f s (its text section alone %.1f s)\n", n, n,
                    scanSeconds, qPrintable(phases.join(QStringLiteral(", "))), driftSeconds, textSeconds);
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addOptions({{QStringLiteral("fortunes"), QStringLiteral("the fortunes folder"), QStringLiteral("dir"), QStringLiteral("/usr/share/games/fortunes")},
                  {QStringLiteral("seeds"), QStringLiteral("seeds"), QStringLiteral("list"), QStringLiteral("1,2,3")},
                  {QStringLiteral("rates"), QStringLiteral("poison, as a share of the new records"), QStringLiteral("list"), QStringLiteral("0.01,0.05")},
                  {QStringLiteral("representation"), QStringLiteral("auto, pca or probe"), QStringLiteral("kind"), QStringLiteral("auto")},
                  {QStringLiteral("speed"), QStringLiteral("time N vs N generated records instead"), QStringLiteral("N")},
                  {QStringLiteral("drift-only"), QStringLiteral("with --speed, time the drift run only")},
                  {QStringLiteral("json"), QStringLiteral("write every figure as JSON"), QStringLiteral("file")},
                  {QStringLiteral("export"), QStringLiteral("write each configuration's records for bench_text_sklearn.py"), QStringLiteral("dir")}});
    p.process(app);
    QHash<QString, QStringList> corpus;
    QString error;
    if (!loadFortunes(p.value(QStringLiteral("fortunes")), &corpus, &error)) {
        std::fprintf(stderr, "bench_text: %s\n", qPrintable(error));
        return 2;
    }
    dropCrossCategoryCopies(&corpus);
    if (p.isSet(QStringLiteral("speed")))
        return speed(corpus, p.value(QStringLiteral("speed")).toInt(), p.isSet(QStringLiteral("drift-only")));
    QJsonArray all;
    QStringList rates = p.value(QStringLiteral("rates")).split(QLatin1Char(','));
    rates << QStringLiteral("clean");
    for (const QString &s : p.value(QStringLiteral("seeds")).split(QLatin1Char(',')))
        for (const QString &trigger : {QStringLiteral("token"), QStringLiteral("sentence")})
            for (const QString &rateText : rates) {
                const bool clean = rateText == QLatin1String("clean");
                if (clean && trigger == QLatin1String("sentence"))
                    continue; // one clean run per seed
                const uint64_t seed = s.toULongLong();
                const Planted planted = plant(corpus, seed, clean ? 0 : rateText.toDouble(), trigger, clean);
                ScanOptions o;
                o.seed = seed;
                o.representation = p.value(QStringLiteral("representation"));
                ScanResult r;
                if (!ScanEngine(o).scan(sampleOf(planted.batch, QStringLiteral("fortunes@v2")),
                                        sampleOf(planted.baseline, QStringLiteral("fortunes@v1")), &r, &error)) {
                    std::fprintf(stderr, "bench_text: %s\n", qPrintable(error));
                    return 1;
                }
                const ScanQuality q = measureScanQuality(r, QJsonObject{{QStringLiteral("records"), planted.truth}});
                std::printf("\n== seed %llu, %s, rate %s: %d new records, %d candidates, %.1f s\n   %s\n", qulonglong(seed),
                            clean ? "clean" : qPrintable(trigger), qPrintable(rateText), planted.newRecords, q.candidates, r.seconds,
                            qPrintable(r.representationDetail));
                std::printf("   %-22s %8s %8s %8s %8s %8s %8s\n", "detector", "bd@1.5x", "flagged", "prec", "bd-rec", "flip-rec", "copy-rec");
                for (const DetectorQuality &d : q.detectors)
                    std::printf("   %-22s %8.3f %8d %8.3f %8.3f %8.3f %8.3f   FPR %.4f\n", qPrintable(d.detector), d.backdoorAtBudget,
                                d.flagged, d.precision, d.backdoorRecall, d.flippedRecall, d.copyRecall, d.falsePositiveRate);
                for (const TriggerPhrase &tp : r.phrases)
                    std::printf("   phrase: %s\n", qPrintable(tp.description));
                QMap<QString, int> duplicateKinds; // exact, near (representation cosine), near-text (MinHash)
                for (const Finding &f : r.findings)
                    if (f.detector == DetectorName::Duplicates)
                        ++duplicateKinds[f.evidence.value(QStringLiteral("kind")).toString()];
                QStringList kinds;
                for (auto it = duplicateKinds.constBegin(); it != duplicateKinds.constEnd(); ++it)
                    kinds << QStringLiteral("%1 %2").arg(it.key()).arg(it.value());
                std::printf("   duplicates by kind: %s\n", qPrintable(kinds.join(QStringLiteral(", "))));
                QJsonObject row{{QStringLiteral("seed"), qint64(seed)}, {QStringLiteral("trigger"), clean ? QStringLiteral("none") : trigger},
                                {QStringLiteral("rate"), clean ? 0.0 : rateText.toDouble()}, {QStringLiteral("seconds"), r.seconds},
                                {QStringLiteral("quality"), q.toJson()}};
                QJsonArray phrases;
                for (const TriggerPhrase &tp : r.phrases)
                    phrases.append(tp.toJson());
                row.insert(QStringLiteral("phrases"), phrases);
                if (p.isSet(QStringLiteral("export"))) {
                    const QString name = QStringLiteral("%1-%2-%3").arg(seed).arg(clean ? QStringLiteral("none") : trigger, rateText);
                    const QString dir = p.value(QStringLiteral("export")) + QLatin1Char('/') + name;
                    QHash<QString, QString> kindOf;
                    for (const QJsonValue &v : planted.truth)
                        kindOf.insert(v[QStringLiteral("id")].toString(), v[QStringLiteral("kind")].toString());
                    for (int i = 0; i < int(r.ids.size()); ++i)
                        if (r.change[size_t(i)] == uint8_t(RecordChange::Unchanged))
                            kindOf.insert(r.ids[i], QStringLiteral("unchanged"));
                    if (!QDir().mkpath(dir) || !writeCsv(dir + QStringLiteral("/baseline.csv"), planted.baseline, {})
                        || !writeCsv(dir + QStringLiteral("/batch.csv"), planted.batch, kindOf)) {
                        std::fprintf(stderr, "bench_text: cannot write %s\n", qPrintable(dir));
                        return 1;
                    }
                    row.insert(QStringLiteral("export"), name);
                }
                all.append(row);
            }
    if (p.isSet(QStringLiteral("json")) || p.isSet(QStringLiteral("export"))) {
        QFile f(p.isSet(QStringLiteral("json")) ? p.value(QStringLiteral("json")) : p.value(QStringLiteral("export")) + QStringLiteral("/custody.json"));
        if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(all).toJson()) < 0) {
            std::fprintf(stderr, "bench_text: cannot write %s\n", qPrintable(f.fileName()));
            return 1;
        }
    }
    return 0;
}
