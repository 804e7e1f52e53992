// The image folders' decoding path: ImageFolderReader::decodeImage on the bytes of one file (PNG, JPEG, ...).
#include "formats/ImageFolderReader.h"

#include <QBuffer>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::ReadOnly);
    QImage image;
    int channels = 0;
    QString error;
    custody::ImageFolderReader::decodeImage(&buffer, QStringLiteral("fuzz.png"), &image, &channels, &error);
    return 0;
}
