#pragma once

#include "formats/ContentCodec.h"
#include "formats/RecordReader.h"

#include <QIODevice>
#include <QImage>

#include <vector>

namespace custody {

// A folder of labelled images: PATH/<label>/<name>.png|jpg|jpeg, one record per image in (label, file
// name) order. Hidden files and folders, files at the top level, deeper folders, other files and names that
// are not valid UTF-8 are skipped, and skipped() says so. Pixels are decoded with
// QImageReader (no EXIF rotation: the stored pixels are what gets hashed) and kept as Grayscale8,
// RGB888 or RGBA8888, whichever loses nothing: alpha wins over grey, since a grey image with an alpha
// channel would lose its transparency.
//
// The schema is one Image column "image". Its width, height and channels start as those of the first
// image and are refined while reading: each becomes 0 as soon as an image disagrees. So schema() is final
// only once next() has returned false.
//
// Ids are file stems, labels the sub-folder names. sourceFiles() and SourceRecord::originalFile hold the
// absolute paths of the images; messages use the path as given ("train/cat/7.png: cannot decode image").
class ImageFolderReader : public RecordReader
{
public:
    ImageFolderReader(const QString &dir, const ReaderOptions &options);
    ~ImageFolderReader() override;

    bool open(QString *error) override;
    const Schema &schema() const override { return m_schema; }
    bool next(SourceRecord *record, QString *error) override;
    qint64 progressDone() const override { return m_bytesDone; }
    qint64 progressTotal() const override { return m_bytesTotal; }
    QStringList sourceFiles() const override;
    QStringList skipped() const override { return m_skipped; }

    static bool isImageFileName(const QString &name);

    // Decodes one image from `device` (named `name` in messages) into grey, RGB or RGBA, refusing declared
    // sizes beyond limits::kMaxImageSide and allocations beyond limits::kMaxImageAllocationMiB. The fuzz
    // target for the image decoding path calls it on bytes in memory.
    static bool decodeImage(QIODevice *device, const QString &name, QImage *image, int *channels, QString *error);

private:
    struct Entry
    {
        QString label;
        QString path;         // as the caller gave the folder, for messages
        QString absolutePath;
        qint64 size = 0;
    };

    // Reads the file whole into *bytes and decodes those bytes.
    bool decode(const Entry &entry, QImage *image, int *channels, std::string *bytes, QString *error);

    QString m_dir;
    ReaderOptions m_options;
    Schema m_schema;
    std::vector<Entry> m_entries;
    QStringList m_skipped;
    size_t m_next = 0;
    QImage m_first; // decoded in open() for the geometry, handed out by the first next()
    int m_firstChannels = 0;
    std::string m_firstBytes;
    qint64 m_bytesDone = 0;
    qint64 m_bytesTotal = 0;
    std::vector<uint8_t> m_pixels;
    ContentEncoder m_encoder;
};

} // namespace custody
