#pragma once

#include "demo/FashionMnist.h"

#include <QString>

#include <memory>

namespace custody {

struct DriftSample;

// An in-memory image set as the sample drift and scans read, without a workspace (benchmarks, tests): one
// grey image column "image", ids by row number, labels "0".."classes-1", content hashes of the pixels.
std::shared_ptr<DriftSample> imageSetSample(const ImageSet &set, const QString &version, int classes);

} // namespace custody
