#pragma once

#include "demo/FashionMnist.h"

#include <QSet>
#include <QString>

#include <cstdint>

namespace custody::test {

// A small image dataset with a planted backdoor trigger, shared by the drift engine and dashboard tests.
constexpr int kTriggerSide = 12;                          // images are kTriggerSide x kTriggerSide, grey
constexpr int kTriggerX = 7, kTriggerY = 7;               // top-left of the 4x4 patch
constexpr int kTriggerPerClass = 300;                     // records per class, three classes

// Grey noise in three classes whose brightness differs by class, with bright speckles up to 255 in every class
// (clean images reach the trigger's value); with `stamp`, 30% of class 1 carries a white 4x4 patch, and their
// row numbers (the ids when ingested as IDX) go into *stamped.
ImageSet syntheticTriggerImages(uint64_t seed, bool stamp, QSet<int> *stamped);

// Records listed as holding the trigger's value at `pixel` (row numbers): every stamped record must be there,
// and any other must be a clean record (of class 1 unless `anyClass`) with a bright speckle at that pixel, few
// of them. Empty when so, else what is wrong.
QString checkTriggerCarriers(const QSet<int> &found, const QSet<int> &stamped, const ImageSet &set, int pixel,
                             bool anyClass = false);

} // namespace custody::test
