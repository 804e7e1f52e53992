#pragma once

#include "demo/FashionMnist.h"

#include <QHash>
#include <QString>

#include <memory>

namespace custody {
struct DriftSample;
}

namespace custody::test {

// A small image dataset for the detector tests: 14x14 grey images in four classes (a bright blob in a
// different quadrant per class, over noise). The batch holds every baseline record (ids 0..), then new ones:
// clean records, a backdoor (records of classes 1-3 with a white 3x3 patch at rows/columns 11-13, labelled 0),
// new records of class 2 labelled 1, noise images labelled 3 (outliers), exact and near copies of baseline
// records under new ids with another label; and some baseline records are relabelled in place.
struct PlantedPoison
{
    static constexpr int kSide = 14, kPerClass = 250, kNewPerClass = 50;
    static constexpr int kBackdoor = 30, kRelabelled = 8, kMislabelledNew = 12, kOutliers = 6, kExactCopies = 5,
                         kNearCopies = 3;
    static constexpr int kPatch = 11; // first row and column of the 3x3 patch

    ImageSet baseline, batch;
    QHash<QString, QString> kindOf; // batch id -> backdoor | relabelled | mislabelled | outlier | exact_copy | near_copy

    // clean: no poison at all (only new clean records), for false-positive rates.
    static PlantedPoison make(uint64_t seed, bool clean = false);
    int count(const QString &kind) const;
};

// The set as a drift/scan sample in memory: one image column, labels "0".."3", ids by row, content hashes.
std::shared_ptr<DriftSample> sampleOf(const ImageSet &set, const QString &version);

} // namespace custody::test
