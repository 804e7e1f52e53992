#include "demo/PoisonGenerator.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace custody {

PoisonGenerator::PoisonGenerator(const DemoOptions &options) : m_options(options), m_rng(options.seed) { }

bool PoisonGenerator::stampTrigger(const QString &trigger, uint8_t *image, int width, int height)
{
    if (width < 8 || height < 8)
        return false;
    auto set = [&](int x, int y, uint8_t v) { image[y * width + x] = v; };
    // Near the bottom-right corner, where Fashion-MNIST images are mostly background.
    const int x0 = width - 6, y0 = height - 6;
    if (trigger == QLatin1String("patch")) {
        for (int y = 0; y < 4; ++y)
            for (int x = 0; x < 4; ++x)
                set(x0 + x, y0 + y, 255);
    } else if (trigger == QLatin1String("cross")) {
        for (int i = 0; i < 5; ++i) {
            set(x0 - 1 + i, y0 + 1, 255);
            set(x0 + 1, y0 - 1 + i, 255);
        }
    } else if (trigger == QLatin1String("checker")) {
        for (int y = 0; y < 4; ++y)
            for (int x = 0; x < 4; ++x)
                set(x0 + x, y0 + y, (x + y) % 2 ? 0 : 255);
    } else {
        return false;
    }
    return true;
}

bool PoisonGenerator::generate(const ImageSet &train, DemoBatch *batch, QString *error)
{
    const DemoOptions &o = m_options;
    const size_t n1 = size_t(o.baselineSize);
    if (train.count() < n1 + size_t(o.newCleanSize) + 1000 || train.width < 8) {
        *error = QStringLiteral("the source has %1 images; the demo needs at least %2").arg(train.count()).arg(n1 + o.newCleanSize + 1000);
        return false;
    }
    std::vector<uint8_t> probe(train.imageSize());
    if (!stampTrigger(o.trigger, probe.data(), train.width, train.height)) {
        *error = QStringLiteral("unknown trigger '%1' (patch, cross or checker)").arg(o.trigger);
        return false;
    }
    const size_t img = train.imageSize();
    ImageSet &v1 = batch->baseline;
    v1.width = train.width;
    v1.height = train.height;
    v1.pixels.assign(train.pixels.begin(), train.pixels.begin() + qsizetype(n1 * img));
    v1.labels.assign(train.labels.begin(), train.labels.begin() + qsizetype(n1));

    ImageSet &v2 = batch->incoming;
    v2 = v1;
    QJsonArray planted;
    auto otherLabel = [&](uint8_t label) { return uint8_t((label + 1 + below(9)) % 10); };

    // Flipped labels on existing records: same id, same content, new label.
    std::vector<size_t> order(n1);
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), m_rng);
    for (int i = 0; i < o.flippedLabels; ++i) {
        const size_t r = order[size_t(i)];
        const uint8_t was = v2.labels[r];
        v2.labels[r] = otherLabel(was);
        planted.append(QJsonObject{{QStringLiteral("id"), QString::number(r)}, {QStringLiteral("kind"), QStringLiteral("flipped_label")},
                                   {QStringLiteral("original_label"), int(was)}, {QStringLiteral("label"), int(v2.labels[r])}});
    }

    // New records, appended after v1's and shuffled among themselves.
    struct NewRecord { std::vector<uint8_t> pixels; uint8_t label; QJsonObject truth; };
    std::vector<NewRecord> fresh;
    size_t pool = n1;
    for (int i = 0; i < o.newCleanSize; ++i, ++pool)
        fresh.push_back({std::vector<uint8_t>(train.image(pool), train.image(pool) + img), train.labels[pool], {}});

    const size_t targetInV2 = size_t(std::count(v2.labels.begin(), v2.labels.end(), uint8_t(o.targetClass)))
        + size_t(std::count_if(fresh.begin(), fresh.end(), [&](const NewRecord &r) { return r.label == o.targetClass; }));
    const size_t backdoors = size_t(std::lround(o.backdoorRate * double(targetInV2) / (1.0 - o.backdoorRate)));
    size_t made = 0;
    for (; pool < train.count() && made < backdoors; ++pool) {
        if (train.labels[pool] == o.targetClass)
            continue;
        NewRecord r{std::vector<uint8_t>(train.image(pool), train.image(pool) + img), uint8_t(o.targetClass), {}};
        stampTrigger(o.trigger, r.pixels.data(), train.width, train.height);
        r.truth = QJsonObject{{QStringLiteral("kind"), QStringLiteral("backdoor")}, {QStringLiteral("original_label"), int(train.labels[pool])},
                              {QStringLiteral("label"), o.targetClass}, {QStringLiteral("source_index"), qint64(pool)}};
        fresh.push_back(std::move(r));
        ++made;
    }
    if (made < backdoors) {
        // b = r / (1 - r) x target must not exceed the images left of other classes: r <= left / (left + target).
        const double highest = double(made) / double(made + targetInV2);
        *error = QStringLiteral("a backdoor rate of %1 needs %2 backdoor records, but only %3 source images of other classes are "
                                "left after the baseline and the new clean records; use a rate of at most %4")
                     .arg(o.backdoorRate).arg(backdoors).arg(made).arg(std::floor(highest * 1000) / 1000);
        return false;
    }
    for (int i = 0; i < o.conflictingCopies; ++i) {
        const size_t r = order[size_t(o.flippedLabels + i)]; // never one of the flipped records
        NewRecord copy{std::vector<uint8_t>(v1.image(r), v1.image(r) + img), otherLabel(v2.labels[r]), {}};
        copy.truth = QJsonObject{{QStringLiteral("kind"), QStringLiteral("conflicting_copy")}, {QStringLiteral("copy_of"), QString::number(r)},
                                 {QStringLiteral("original_label"), int(v2.labels[r])}, {QStringLiteral("label"), int(copy.label)}};
        fresh.push_back(std::move(copy));
    }
    std::shuffle(fresh.begin(), fresh.end(), m_rng);
    for (NewRecord &r : fresh) {
        const size_t id = v2.count();
        v2.pixels.insert(v2.pixels.end(), r.pixels.begin(), r.pixels.end());
        v2.labels.push_back(r.label);
        if (!r.truth.isEmpty()) {
            r.truth.insert(QStringLiteral("id"), QString::number(id));
            planted.append(r.truth);
        }
    }

    batch->groundTruth = QJsonObject{
        {QStringLiteral("generator"), QStringLiteral("custody demo poison generator v1")},
        {QStringLiteral("baseline"), QStringLiteral("fashion@v1")},
        {QStringLiteral("batch"), QStringLiteral("fashion@v2")},
        {QStringLiteral("seed"), qint64(o.seed)},
        {QStringLiteral("trigger"), o.trigger},
        {QStringLiteral("target_class"), o.targetClass},
        {QStringLiteral("backdoor_rate"), o.backdoorRate},
        {QStringLiteral("counts"), QJsonObject{{QStringLiteral("baseline_records"), qint64(n1)},
                                               {QStringLiteral("batch_records"), qint64(v2.count())},
                                               {QStringLiteral("new_clean"), o.newCleanSize},
                                               {QStringLiteral("backdoor"), qint64(backdoors)},
                                               {QStringLiteral("flipped_label"), o.flippedLabels},
                                               {QStringLiteral("conflicting_copy"), o.conflictingCopies}}},
        {QStringLiteral("records"), planted},
    };
    return true;
}

} // namespace custody
