#include "formats/ContentDisplay.h"

#include "formats/ContentCodec.h"

#include <charconv>

namespace custody {

namespace {
QString formatNumber(double v)
{
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    return QString::fromLatin1(buf, int(r.ptr - buf));
}
} // namespace

QStringList displayValues(const Schema &schema, std::string_view content)
{
    QStringList out;
    out.reserve(schema.columns.size());
    ContentDecoder decoder(content);
    DecodedValue v;
    while (decoder.next(&v)) {
        switch (v.tag) {
        case ValueTag::Null: out.append(QString()); break;
        case ValueTag::Number: out.append(formatNumber(v.number)); break;
        case ValueTag::String: out.append(QString::fromUtf8(v.text.data(), qsizetype(v.text.size()))); break;
        case ValueTag::Image:
            out.append(QStringLiteral("%1x%2 %3").arg(v.width).arg(v.height)
                           .arg(v.channels == 1 ? QStringLiteral("grey") : v.channels == 3 ? QStringLiteral("RGB") : QStringLiteral("RGBA")));
            break;
        }
    }
    return out;
}

QImage contentImage(std::string_view content)
{
    ContentDecoder decoder(content);
    DecodedValue v;
    while (decoder.next(&v)) {
        if (v.tag != ValueTag::Image || v.width == 0 || v.height == 0)
            continue;
        const QImage::Format format = v.channels == 1 ? QImage::Format_Grayscale8
            : v.channels == 3                          ? QImage::Format_RGB888
                                                       : QImage::Format_RGBA8888;
        // The pixels are tightly packed; wrap them with an explicit stride, then copy out of the buffer.
        const QImage view(v.pixels, int(v.width), int(v.height), qsizetype(v.width) * v.channels, format);
        return view.copy();
    }
    return QImage();
}

} // namespace custody
