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
        for (int p = 0; p < kTriggerSide * kTriggerSide; ++p)
            set.pixels.push_back(uint8_t(20 * label + rng.below(100)));
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

} // namespace custody::test
