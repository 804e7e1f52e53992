#include "ReaderHarness.h"

#include "TestSupport.h"
#include "formats/ContentCodec.h"

#include <QTemporaryDir>
#include <QtGlobal>

#include <zlib.h>

namespace custody::test {

namespace {

QString imageText(const DecodedValue &v)
{
    const QByteArray pixels(reinterpret_cast<const char *>(v.pixels), int(v.width * v.height * v.channels));
    return QStringLiteral("%1x%2x%3 %4")
        .arg(v.width)
        .arg(v.height)
        .arg(v.channels)
        .arg(QString::fromLatin1(pixels.toHex()));
}

QString taggedText(const DecodedValue &v)
{
    switch (v.tag) {
    case ValueTag::Null:
        return QStringLiteral("null");
    case ValueTag::Number:
        return QStringLiteral("n:%1").arg(v.number);
    case ValueTag::String:
        return QStringLiteral("s:") + QString::fromUtf8(v.text.data(), qsizetype(v.text.size()));
    case ValueTag::Image:
        break;
    }
    return QStringLiteral("img");
}

QString arrayText(const DecodedValue &v)
{
    if (v.tag == ValueTag::Number)
        return QString::number(v.number);
    if (v.tag == ValueTag::Image)
        return QStringLiteral("img ") + imageText(v);
    return QStringLiteral("?");
}

// One entry per value, then "MALFORMED" when the buffer does not decode to the end.
QStringList renderEach(const std::string &content, QString (*text)(const DecodedValue &))
{
    QStringList out;
    ContentDecoder decoder(content);
    DecodedValue v;
    while (decoder.next(&v))
        out << text(v);
    if (decoder.malformed())
        out << QStringLiteral("MALFORMED");
    return out;
}

} // namespace

ReadResult readAll(RecordReader &reader)
{
    ReadResult r;
    r.opened = reader.open(&r.error);
    if (!r.opened)
        return r;
    r.schema = reader.schema();
    SourceRecord rec;
    while (reader.next(&rec, &r.error))
        r.records.push_back(rec);
    r.finalSchema = reader.schema();
    r.files = reader.sourceFiles();
    r.skipped = reader.skipped();
    r.done = reader.progressDone();
    r.total = reader.progressTotal();
    return r;
}

QStringList columnKinds(const Schema &schema)
{
    QStringList out;
    for (const Column &c : schema.columns)
        out << c.name + QLatin1Char('=') + columnKindName(c.kind);
    return out;
}

QStringList columnNames(const Schema &schema)
{
    QStringList out;
    for (const Column &c : schema.columns)
        out << c.name;
    return out;
}

QStringList renderValues(const std::string &content)
{
    return renderEach(content, taggedText);
}

QStringList renderArrayValues(const std::string &content)
{
    return renderEach(content, arrayText);
}

QString renderImage(const std::string &content)
{
    ContentDecoder decoder(content);
    DecodedValue v;
    if (!decoder.next(&v) || v.tag != ValueTag::Image || !decoder.atEnd())
        return QStringLiteral("not one image");
    return imageText(v);
}

QByteArray npyFile(QByteArray dict, const QByteArray &data, int version)
{
    const int lead = version == 1 ? 10 : 12;
    while ((lead + dict.size() + 1) % 64 != 0)
        dict += ' ';
    dict += '\n';
    QByteArray out("\x93NUMPY", 6);
    out += char(version);
    out += char(0);
    const quint32 len = quint32(dict.size());
    for (int i = 0; i < (version == 1 ? 2 : 4); ++i)
        out += char((len >> (8 * i)) & 0xff);
    return out + dict + data;
}

QByteArray gzipped(const QByteArray &bytes)
{
    z_stream zs = {};
    // 15 + 16: the largest window, wrapped in a gzip header and trailer.
    if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        qFatal("deflateInit2 failed");
    QByteArray out(qsizetype(deflateBound(&zs, uLong(bytes.size()))), Qt::Uninitialized);
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(bytes.constData()));
    zs.avail_in = uInt(bytes.size());
    zs.next_out = reinterpret_cast<Bytef *>(out.data());
    zs.avail_out = uInt(out.size());
    if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
        qFatal("deflate did not finish");
    out.resize(qsizetype(zs.total_out));
    deflateEnd(&zs);
    return out;
}

QString writeTemp(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes)
{
    const QString path = dir.filePath(name);
    if (!writeFile(path, bytes))
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

} // namespace custody::test
