#pragma once

#include <QString>

#include <cstdint>
#include <vector>

namespace custody {

// Images and labels of an MNIST-family set held in memory, for the demo generator (60,000 x 784 bytes).
struct ImageSet
{
    int width = 0;
    int height = 0;
    std::vector<uint8_t> pixels; // count * width * height, row-major
    std::vector<uint8_t> labels;

    size_t count() const { return labels.size(); }
    size_t imageSize() const { return size_t(width) * height; }
    const uint8_t *image(size_t i) const { return pixels.data() + i * imageSize(); }
};

bool loadIdxImageSet(const QString &imagesPath, const QString &labelsPath, ImageSet *set, QString *error);
// Writes gzip-compressed IDX files (magic 0x0803 / 0x0801), the format the real dataset ships in.
bool writeIdxImageSet(const ImageSet &set, const QString &imagesPath, const QString &labelsPath, QString *error);

} // namespace custody
