#include "PlantedPoison.h"

#include "sampling/DriftSample.h"
#include "sampling/SplitMix64.h"
#include "demo/ImageSample.h"

#include <cmath>

namespace custody::test {

namespace {

void drawClass(SplitMix64 &rng, int label, uint8_t *img)
{
    const int cx = label % 2 ? 9 : 3, cy = label / 2 ? 9 : 3;
    for (int y = 0; y < PlantedPoison::kSide; ++y)
        for (int x = 0; x < PlantedPoison::kSide; ++x) {
            const double d = std::hypot(x - cx - 0.5 + double(rng.below(100)) / 100.0, y - cy);
            // Clean pixels span the whole range, as real images do: the blob's core reaches 255, so no rule on a
            // pixel's value alone ("any pixel at 255") tells a stamped image from a clean one.
            const int blob = d < 2.2 ? 210 : d < 3.2 ? 90 : 0;
            img[y * PlantedPoison::kSide + x] = uint8_t(std::min(255, blob + int(rng.below(50))));
        }
}

void append(ImageSet &set, const std::vector<uint8_t> &img, int label)
{
    set.pixels.insert(set.pixels.end(), img.begin(), img.end());
    set.labels.push_back(uint8_t(label));
}

} // namespace

PlantedPoison PlantedPoison::make(uint64_t seed, bool clean)
{
    PlantedPoison p;
    SplitMix64 rng(seed);
    const int n = kSide * kSide;
    std::vector<uint8_t> img(size_t(n), 0);
    p.baseline.width = p.baseline.height = kSide;
    for (int i = 0; i < 4 * kPerClass; ++i) {
        drawClass(rng, i % 4, img.data());
        append(p.baseline, img, i % 4);
    }
    p.batch = p.baseline;
    const auto addNew = [&](int label, const QString &kind) {
        if (!kind.isEmpty())
            p.kindOf.insert(QString::number(p.batch.count()), kind);
        append(p.batch, img, label);
    };
    if (!clean)
        for (int i = 0; i < kRelabelled; ++i) {
            const size_t r = size_t(17 + 97 * i);
            p.batch.labels[r] = uint8_t((p.batch.labels[r] + 1) % 4);
            p.kindOf.insert(QString::number(r), QStringLiteral("relabelled"));
        }
    for (int i = 0; i < 4 * kNewPerClass; ++i) {
        drawClass(rng, i % 4, img.data());
        addNew(i % 4, QString());
        if (clean)
            continue;
        // Interleave the poison with the clean records.
        if (i < kBackdoor) {
            drawClass(rng, 1 + i % 3, img.data());
            for (int y = kPatch; y < kPatch + 3; ++y)
                for (int x = kPatch; x < kPatch + 3; ++x)
                    img[size_t(y * kSide + x)] = 255;
            addNew(0, QStringLiteral("backdoor"));
        }
        if (i < kMislabelledNew) {
            drawClass(rng, 2, img.data());
            addNew(1, QStringLiteral("mislabelled"));
        }
        if (i < kOutliers) {
            for (auto &v : img)
                v = uint8_t(rng.below(255));
            addNew(3, QStringLiteral("outlier"));
        }
        if (i < kExactCopies) {
            const size_t src = size_t(5 + 41 * i);
            std::copy_n(p.baseline.image(src), n, img.begin());
            addNew((p.baseline.labels[src] + 2) % 4, QStringLiteral("exact_copy"));
        }
        if (i < kNearCopies) {
            const size_t src = size_t(300 + 13 * i);
            std::copy_n(p.baseline.image(src), n, img.begin());
            img[0] = uint8_t(img[0] + 1);
            addNew((p.baseline.labels[src] + 1) % 4, QStringLiteral("near_copy"));
        }
    }
    return p;
}

int PlantedPoison::count(const QString &kind) const
{
    int c = 0;
    for (const QString &k : kindOf)
        c += k == kind;
    return c;
}

std::shared_ptr<DriftSample> sampleOf(const ImageSet &set, const QString &version)
{
    return imageSetSample(set, version, 4);
}

} // namespace custody::test
