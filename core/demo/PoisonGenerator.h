#pragma once

#include "demo/DemoWorkspace.h"
#include "demo/FashionMnist.h"

#include <QJsonObject>

#include <random>

namespace custody {

struct DemoBatch
{
    ImageSet baseline;      // fashion@v1
    ImageSet incoming;      // fashion@v2: v1's records (some relabelled) then the shuffled new records
    QJsonObject groundTruth; // every planted record with its kind (docs/demo.md)
};

// Plants the three kinds of poison the demo shows, deterministically from the seed:
// - backdoor: images of other classes with a trigger stamped on them, labelled the target class (new ids);
// - flipped labels: existing v1 records whose label v2 changes (same id and content);
// - conflicting copies: exact copies of v1 records under new ids with a different label.
class PoisonGenerator
{
public:
    explicit PoisonGenerator(const DemoOptions &options);
    bool generate(const ImageSet &train, DemoBatch *batch, QString *error);

    // Stamps the trigger onto a width x height grey image in place.
    static bool stampTrigger(const QString &trigger, uint8_t *image, int width, int height);

private:
    size_t below(size_t n) { return size_t(m_rng() % n); }

    DemoOptions m_options;
    std::mt19937_64 m_rng;
};

} // namespace custody
