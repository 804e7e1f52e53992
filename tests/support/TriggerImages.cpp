#include "TriggerImages.h"

#include "sampling/SplitMix64.h"

namespace custody::test {

ImageSet syntheticTriggerImages(uint64_t seed, bool stamp, QSet<int> *stamped)
{
    ImageSet set;
    set.width = set.height = kTriggerSide;
    SplitMix64 rng(seed);
    for (int i = 0; i < 3 * kTriggerPerClass; ++i) {
        const uint8_t label = uint8_t(i % 3);
        set.labels.push_back(label);
        // Dim noise with bright speckles up to 255, so clean images reach the trigger's value as real ones do
        // and only where and how the trigger repeats tells it apart.
        for (int p = 0; p < kTriggerSide * kTriggerSide; ++p)
            set.pixels.push_back(rng.below(40) == 0 ? uint8_t(200 + rng.below(56)) : uint8_t(20 * label + rng.below(100)));
        if (stamp && label == 1 && rng.below(10) < 3) {
            uint8_t *img = set.pixels.data() + size_t(i) * kTriggerSide * kTriggerSide;
            for (int y = kTriggerY; y < kTriggerY + 4; ++y)
                for (int x = kTriggerX; x < kTriggerX + 4; ++x)
                    img[y * kTriggerSide + x] = 255;
            stamped->insert(i);
        }
    }
    return set;
}

QString checkTriggerCarriers(const QSet<int> &found, const QSet<int> &stamped, const ImageSet &set, int pixel, bool anyClass)
{
    for (int row : stamped)
        if (!found.contains(row))
            return QStringLiteral("stamped record %1 is not listed").arg(row);
    int extra = 0;
    for (int row : found) {
        if (stamped.contains(row))
            continue;
        ++extra;
        if (row < 0 || size_t(row) >= set.count() || (!anyClass && set.labels[size_t(row)] != 1) || set.image(size_t(row))[pixel] < 200)
            return QStringLiteral("record %1 is listed but neither stamped nor bright at pixel %2").arg(row).arg(pixel);
    }
    if (extra * 5 > int(stamped.size()))
        return QStringLiteral("%1 clean records listed beside %2 stamped").arg(extra).arg(stamped.size());
    return {};
}

} // namespace custody::test
