#include "formats/ImageFolderReader.h"
#include "formats/RegularFile.h"

#include "formats/InputLimits.h"
#include "formats/Utf8.h"

#include <QDir>
#include <QBuffer>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QMap>

#include <algorithm>
#include <cstring>
#include <dirent.h>

namespace custody {

namespace {

QList<QByteArray> namesNotUtf8(const QString &folder)
{
    QList<QByteArray> names;
    DIR *dir = ::opendir(QFile::encodeName(folder).constData());
    if (!dir)
        return names;
    while (const dirent *entry = ::readdir(dir)) {
        const std::string_view name(entry->d_name);
        if (!utf8::isValid(name) && names.size() < 1000)
            names.append(QByteArray(name.data(), qsizetype(name.size())));
    }
    ::closedir(dir);
    std::sort(names.begin(), names.end());
    return names;
}

// "caf\xe9.png": the bytes that are not printable ASCII as escapes.
QString bytesForMessage(const QByteArray &name)
{
    QString out;
    for (const char c : name) {
        const auto u = static_cast<unsigned char>(c);
        out += u >= 0x20 && u < 0x7f ? QString(QLatin1Char(c)) : QStringLiteral("\\x%1").arg(uint(u), 2, 16, QLatin1Char('0'));
    }
    return out;
}

} // namespace

ImageFolderReader::ImageFolderReader(const QString &dir, const ReaderOptions &options)
    : m_dir(dir)
    , m_options(options)
{
}

ImageFolderReader::~ImageFolderReader() = default;

bool ImageFolderReader::isImageFileName(const QString &name)
{
    const QString suffix = QFileInfo(name).suffix().toLower();
    return suffix == QLatin1String("png") || suffix == QLatin1String("jpg") || suffix == QLatin1String("jpeg");
}

bool ImageFolderReader::open(QString *error)
{
    if (!m_options.idColumn.isEmpty() || !m_options.labelColumn.isEmpty() || !m_options.labelsFile.isEmpty()) {
        *error = QStringLiteral("%1: image folders take ids from file names and labels from sub-folder names; "
                                "id or label columns and labels files do not apply")
                     .arg(m_dir);
        return false;
    }
    const QDir root(m_dir);
    if (!QFileInfo(m_dir).isDir()) {
        *error = QStringLiteral("%1: not a directory").arg(m_dir);
        return false;
    }
    // Everything the folder holds is looked at, so that what is left out can be said.
    QMap<QString, QStringList> skipped; // reason -> names
    const auto skip = [&](const QString &reason, const QString &name) { skipped[reason].append(name); };
    const auto undecodable = [](const QString &name) { return name.contains(QChar::ReplacementCharacter); };
    // Qt does not list names that are not valid UTF-8 at all: they are found with readdir.
    const auto listNonUtf8 = [&](const QString &folder, const QString &prefix) {
        for (const QByteArray &name : namesNotUtf8(folder))
            skip(QStringLiteral("not valid UTF-8 in its name"), prefix + bytesForMessage(name));
    };
    listNonUtf8(m_dir, QString());
    const QDir::Filters all = QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot;
    for (const QFileInfo &top : root.entryInfoList(all)) {
        const QString name = top.fileName();
        if (undecodable(name))
            skip(QStringLiteral("not valid UTF-8 in its name"), name);
        else if (name.startsWith(QLatin1Char('.')))
            skip(QStringLiteral("hidden"), name);
        else if (!top.isDir())
            skip(isImageFileName(name) ? QStringLiteral("an image at the top level, so without a label (put it in a label's folder)")
                                       : QStringLiteral("a file at the top level"), name);
    }
    // Sorted here rather than by QDir so the order is plain code-unit order, independent of the locale.
    QStringList labels = root.entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Readable);
    std::sort(labels.begin(), labels.end());
    for (const QString &label : std::as_const(labels)) {
        if (undecodable(label))
            continue;
        // A linked folder may lead anywhere, the folder itself included (a loop): not followed.
        if (QFileInfo(root.filePath(label)).isSymLink()) {
            skip(QStringLiteral("a symbolic link to a folder (not followed)"), label);
            continue;
        }
        const QDir sub(root.filePath(label));
        listNonUtf8(sub.path(), label + QLatin1Char('/'));
        QFileInfoList files = sub.entryInfoList(all);
        std::sort(files.begin(), files.end(),
                  [](const QFileInfo &a, const QFileInfo &b) { return a.fileName() < b.fileName(); });
        for (const QFileInfo &file : std::as_const(files)) {
            const QString relative = label + QLatin1Char('/') + file.fileName();
            if (undecodable(file.fileName()))
                skip(QStringLiteral("not valid UTF-8 in its name"), relative);
            else if (file.fileName().startsWith(QLatin1Char('.')))
                skip(QStringLiteral("hidden"), relative);
            else if (file.isDir())
                skip(QStringLiteral("a folder inside a label's folder (only one level is read)"), relative);
            else if (!isImageFileName(file.fileName()))
                skip(QStringLiteral("not a .png, .jpg or .jpeg file"), relative);
            else if (!file.isFile()) // a link to an image file is read; to anything else, not
                skip(file.isSymLink() ? QStringLiteral("a symbolic link to something that is not a regular file")
                                      : QStringLiteral("not a regular file (a FIFO, a device or a socket)"), relative);
            else {
                m_entries.push_back(Entry{label, root.filePath(relative), file.absoluteFilePath(), file.size()});
                m_bytesTotal += file.size();
            }
        }
    }
    for (auto it = skipped.constBegin(); it != skipped.constEnd(); ++it) {
        const QStringList &names = it.value();
        m_skipped.append(QStringLiteral("skipped %1 %2 (%3): %4%5")
                             .arg(names.size())
                             .arg(names.size() == 1 ? QStringLiteral("entry") : QStringLiteral("entries"), it.key(),
                                  names.mid(0, 3).join(QStringLiteral(", ")),
                                  names.size() > 3 ? QStringLiteral(", …") : QString()));
    }
    if (m_entries.empty()) {
        *error = QStringLiteral("%1: no images (expected sub-folders named by label holding .png or .jpg files)").arg(m_dir);
        return false;
    }
    if (!decode(m_entries.front(), &m_first, &m_firstChannels, &m_firstBytes, error))
        return false;
    m_schema.columns.append(Column{QStringLiteral("image"), ColumnKind::Image, m_first.width(), m_first.height(), m_firstChannels});
    return true;
}

bool ImageFolderReader::decode(const Entry &entry, QImage *image, int *channels, std::string *bytes, QString *error)
{
    QFile file;
    if (!openRegularFile(&file, entry.absolutePath, error)) {
        error->replace(entry.absolutePath, entry.path);
        return false;
    }
    if (file.size() > limits::kMaxImageFileBytes) {
        *error = QStringLiteral("%1: an image file of %2 MiB, more than the %3 MiB allowed")
                     .arg(entry.path).arg(file.size() >> 20).arg(limits::kMaxImageFileBytes >> 20);
        return false;
    }
    // Read once: the bytes decoded are the bytes the ingest keeps, even if the file changes meanwhile.
    const QByteArray data = file.read(limits::kMaxImageFileBytes + 1);
    if (qint64(data.size()) > limits::kMaxImageFileBytes) {
        *error = QStringLiteral("%1: an image file of more than %2 MiB").arg(entry.path).arg(limits::kMaxImageFileBytes >> 20);
        return false;
    }
    bytes->assign(data.constData(), size_t(data.size()));
    QBuffer buffer;
    buffer.setData(data);
    buffer.open(QIODevice::ReadOnly);
    return decodeImage(&buffer, entry.path, image, channels, error);
}

bool ImageFolderReader::decodeImage(QIODevice *device, const QString &name, QImage *image, int *channels, QString *error)
{
    // The declared size is checked before any pixel is allocated, and Qt refuses allocations beyond the
    // limit on its own too (a PNG header can declare 2^31 x 2^31 in a few bytes).
    QImageReader::setAllocationLimit(limits::kMaxImageAllocationMiB);
    QImageReader reader(device);
    const QSize declared = reader.size();
    if (declared.width() > limits::kMaxImageSide || declared.height() > limits::kMaxImageSide) {
        *error = QStringLiteral("%1: image of %2x%3 pixels, more than the %4 allowed on a side")
                     .arg(name).arg(declared.width()).arg(declared.height()).arg(limits::kMaxImageSide);
        return false;
    }
    if (qint64(declared.width()) * declared.height() > limits::kMaxImagePixels) {
        *error = QStringLiteral("%1: image of %2x%3 pixels, more than the %4 million allowed")
                     .arg(name).arg(declared.width()).arg(declared.height()).arg(limits::kMaxImagePixels >> 20);
        return false;
    }
    if (!reader.read(image)) {
        *error = QStringLiteral("%1: cannot decode image (%2)").arg(name, reader.errorString());
        return false;
    }
    if (qint64(image->width()) * image->height() > limits::kMaxImagePixels) { // a format that did not say its size
        *image = QImage();
        *error = QStringLiteral("%1: image of more than %2 million pixels").arg(name).arg(limits::kMaxImagePixels >> 20);
        return false;
    }
    if (image->hasAlphaChannel()) {
        *image = image->convertToFormat(QImage::Format_RGBA8888);
        *channels = 4;
    } else if (image->isGrayscale() || (image->depth() == 1 && std::all_of(image->colorTable().cbegin(), image->colorTable().cend(), qIsGray))) {
        // isGrayscale() says false for 1-bit images, even black-and-white ones.
        *image = image->convertToFormat(QImage::Format_Grayscale8);
        *channels = 1;
    } else {
        *image = image->convertToFormat(QImage::Format_RGB888);
        *channels = 3;
    }
    if (image->isNull()) {
        *error = QStringLiteral("%1: cannot decode image (conversion failed)").arg(name);
        return false;
    }
    return true;
}

bool ImageFolderReader::next(SourceRecord *record, QString *error)
{
    error->clear();
    if (m_next >= m_entries.size())
        return false;
    const Entry &entry = m_entries[m_next];
    QImage image;
    int channels = 0;
    if (m_next == 0) {
        image = std::move(m_first);
        m_first = QImage();
        channels = m_firstChannels;
        record->originalBytes = std::move(m_firstBytes);
        m_firstBytes.clear();
    } else if (!decode(entry, &image, &channels, &record->originalBytes, error)) {
        return false;
    }
    ++m_next;

    Column &column = m_schema.columns.front();
    if (column.width != image.width())
        column.width = 0;
    if (column.height != image.height())
        column.height = 0;
    if (column.channels != channels)
        column.channels = 0;

    // QImage pads scanlines to 4 bytes; the encoding wants them packed.
    const size_t row = size_t(image.width()) * size_t(channels);
    m_pixels.resize(row * size_t(image.height()));
    for (int y = 0; y < image.height(); ++y)
        std::memcpy(m_pixels.data() + size_t(y) * row, image.constScanLine(y), row);
    m_encoder.clear();
    m_encoder.addImage(uint32_t(image.width()), uint32_t(image.height()), uint8_t(channels), m_pixels.data());
    std::swap(record->content, m_encoder.bytes());

    record->id = QFileInfo(entry.path).completeBaseName().toStdString();
    record->label = entry.label.toStdString();
    record->originalFile = entry.absolutePath.toStdString();
    record->position = qint64(m_next);
    m_bytesDone += entry.size;
    return true;
}

QStringList ImageFolderReader::sourceFiles() const
{
    QStringList files;
    files.reserve(qsizetype(m_entries.size()));
    for (const Entry &entry : m_entries)
        files.append(entry.absolutePath);
    return files;
}

} // namespace custody
