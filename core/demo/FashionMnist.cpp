#include "demo/FashionMnist.h"

#include <QFile>

#include <zlib.h>

namespace custody {

namespace {

struct GzFile
{
    gzFile f = nullptr;
    ~GzFile()
    {
        if (f)
            gzclose(f);
    }
};

uint32_t bigEndian(const uint8_t *p)
{
    return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]);
}

bool readAll(const QString &path, int expectedDims, std::vector<uint32_t> *dims, std::vector<uint8_t> *data,
             QString *error)
{
    GzFile in; // gzread passes uncompressed files through unchanged
    in.f = gzopen(QFile::encodeName(path).constData(), "rb");
    if (!in.f) {
        *error = QStringLiteral("%1: cannot open").arg(path);
        return false;
    }
    uint8_t header[4];
    if (gzread(in.f, header, 4) != 4 || header[0] != 0 || header[1] != 0 || header[2] != 0x08 || header[3] != expectedDims) {
        *error = QStringLiteral("%1: not an unsigned-byte IDX file with %2 dimensions").arg(path).arg(expectedDims);
        return false;
    }
    size_t total = 1;
    for (int i = 0; i < expectedDims; ++i) {
        uint8_t b[4];
        if (gzread(in.f, b, 4) != 4) {
            *error = QStringLiteral("%1: truncated header").arg(path);
            return false;
        }
        dims->push_back(bigEndian(b));
        total *= dims->back();
    }
    data->resize(total);
    size_t done = 0;
    while (done < total) {
        const int n = gzread(in.f, data->data() + done, unsigned(std::min<size_t>(total - done, 1u << 30)));
        if (n <= 0) {
            *error = QStringLiteral("%1: truncated data").arg(path);
            return false;
        }
        done += size_t(n);
    }
    return true;
}

bool writeIdx(const QString &path, const std::vector<uint32_t> &dims, const uint8_t *data, size_t size, QString *error)
{
    GzFile out;
    out.f = gzopen(QFile::encodeName(path).constData(), "wb1");
    if (!out.f) {
        *error = QStringLiteral("%1: cannot write").arg(path);
        return false;
    }
    std::vector<uint8_t> header{0, 0, 0x08, uint8_t(dims.size())};
    for (uint32_t d : dims)
        header.insert(header.end(), {uint8_t(d >> 24), uint8_t(d >> 16), uint8_t(d >> 8), uint8_t(d)});
    bool ok = gzwrite(out.f, header.data(), unsigned(header.size())) == int(header.size());
    for (size_t done = 0; ok && done < size;) {
        const unsigned chunk = unsigned(std::min<size_t>(size - done, 1u << 24));
        ok = gzwrite(out.f, data + done, chunk) == int(chunk);
        done += chunk;
    }
    ok = gzclose(out.f) == Z_OK && ok;
    out.f = nullptr;
    if (!ok)
        *error = QStringLiteral("%1: write failed").arg(path);
    return ok;
}

} // namespace

bool loadIdxImageSet(const QString &imagesPath, const QString &labelsPath, ImageSet *set, QString *error)
{
    std::vector<uint32_t> imageDims, labelDims;
    if (!readAll(imagesPath, 3, &imageDims, &set->pixels, error) || !readAll(labelsPath, 1, &labelDims, &set->labels, error))
        return false;
    if (imageDims[0] != labelDims[0]) {
        *error = QStringLiteral("%1: %2 labels for %3 images").arg(labelsPath).arg(labelDims[0]).arg(imageDims[0]);
        return false;
    }
    set->height = int(imageDims[1]);
    set->width = int(imageDims[2]);
    return true;
}

bool writeIdxImageSet(const ImageSet &set, const QString &imagesPath, const QString &labelsPath, QString *error)
{
    const uint32_t n = uint32_t(set.count());
    return writeIdx(imagesPath, {n, uint32_t(set.height), uint32_t(set.width)}, set.pixels.data(), set.pixels.size(), error)
        && writeIdx(labelsPath, {n}, set.labels.data(), set.labels.size(), error);
}

} // namespace custody
