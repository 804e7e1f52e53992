#include "demo/ImageSample.h"

#include "sampling/DriftSample.h"
#include "hashing/Sha256.h"

namespace custody {

std::shared_ptr<DriftSample> imageSetSample(const ImageSet &set, const QString &version, int classes)
{
    auto s = std::make_shared<DriftSample>();
    s->version = version;
    DriftSample::Column col;
    col.name = QStringLiteral("image");
    col.kind = ColumnKind::Image;
    col.width = set.width;
    col.height = set.height;
    col.channels = 1;
    col.pixels = set.pixels;
    col.imageValid.assign(set.count(), 1);
    s->columns.push_back(std::move(col));
    for (int l = 0; l < classes; ++l)
        s->labelNames << QString::number(l);
    for (size_t i = 0; i < set.count(); ++i) {
        s->ids << QString::number(i);
        s->labels.push_back(set.labels[i]);
        s->contentHashes.push_back(Sha256::of(std::string_view(reinterpret_cast<const char *>(set.image(i)), set.imageSize())));
    }
    return s;
}

} // namespace custody
