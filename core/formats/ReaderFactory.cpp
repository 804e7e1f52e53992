#include "formats/ReaderFactory.h"
#include "formats/RegularFile.h"

#include "formats/CsvReader.h"
#include "formats/IdxFile.h"
#include "formats/IdxReader.h"
#include "formats/ImageFolderReader.h"
#include "formats/JsonLinesReader.h"
#include "formats/NpyFile.h"
#include "formats/NpyReader.h"

#include <QFile>
#include <QFileInfo>

namespace custody {

namespace {

constexpr SourceFormat kFormats[] = {SourceFormat::Auto, SourceFormat::Csv,  SourceFormat::Tsv,   SourceFormat::JsonLines,
                                     SourceFormat::Npy,  SourceFormat::Idx, SourceFormat::Images};

SourceFormat formatFromName(const QString &path)
{
    QString name = QFileInfo(path).fileName().toLower();
    if (name.endsWith(QLatin1String(".csv")))
        return SourceFormat::Csv;
    if (name.endsWith(QLatin1String(".tsv")) || name.endsWith(QLatin1String(".tab")))
        return SourceFormat::Tsv;
    if (name.endsWith(QLatin1String(".jsonl")) || name.endsWith(QLatin1String(".ndjson")))
        return SourceFormat::JsonLines;
    if (name.endsWith(QLatin1String(".npy")))
        return SourceFormat::Npy;
    if (name.endsWith(QLatin1String(".gz")))
        name.chop(3);
    // train-images-idx3-ubyte, t10k-labels.idx1-ubyte, digits.idx, digits.idx3
    if (name.endsWith(QLatin1String("ubyte")) || name.endsWith(QLatin1String(".idx"))
        || (name.size() > 5 && name.at(name.size() - 1).isDigit() && name.chopped(1).endsWith(QLatin1String(".idx"))))
        return SourceFormat::Idx;
    return SourceFormat::Auto;
}

} // namespace

QString sourceFormatName(SourceFormat format)
{
    switch (format) {
    case SourceFormat::Auto: return QStringLiteral("auto");
    case SourceFormat::Csv: return QStringLiteral("csv");
    case SourceFormat::Tsv: return QStringLiteral("tsv");
    case SourceFormat::JsonLines: return QStringLiteral("jsonl");
    case SourceFormat::Npy: return QStringLiteral("npy");
    case SourceFormat::Idx: return QStringLiteral("idx");
    case SourceFormat::Images: return QStringLiteral("images");
    }
    return QString();
}

bool sourceFormatFromName(const QString &name, SourceFormat *format)
{
    for (SourceFormat f : kFormats) {
        if (sourceFormatName(f).compare(name, Qt::CaseInsensitive) == 0) {
            *format = f;
            return true;
        }
    }
    return false;
}

SourceFormat sniffFormat(const QString &path)
{
    QFile file;
    QString ignored; // the reader that opens it next names the problem
    if (!openRegularFile(&file, path, &ignored))
        return SourceFormat::Auto;
    const QByteArray head = file.read(64 * 1024);
    const auto *bytes = reinterpret_cast<const unsigned char *>(head.constData());
    if (head.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
        return IdxFile::looksLikeIdx(path) ? SourceFormat::Idx : SourceFormat::Auto;
    if (IdxFile::hasMagic(bytes, size_t(head.size())))
        return SourceFormat::Idx;
    if (NpyFile::hasMagic(head.constData(), size_t(head.size())))
        return SourceFormat::Npy;
    qsizetype start = head.startsWith("\xEF\xBB\xBF") ? 3 : 0;
    while (start < head.size() && QByteArrayView(" \t\r\n").contains(head[start]))
        ++start;
    if (start < head.size() && head[start] == '{')
        return SourceFormat::JsonLines;
    const qsizetype newline = head.indexOf('\n', start);
    const QByteArray firstLine = head.mid(start, newline < 0 ? -1 : newline - start);
    return firstLine.contains('\t') ? SourceFormat::Tsv : SourceFormat::Csv;
}

SourceFormat detectFormat(const QStringList &paths)
{
    if (paths.isEmpty())
        return SourceFormat::Auto;
    const QFileInfo info(paths.front());
    if (info.isDir())
        return SourceFormat::Images;
    const SourceFormat byName = formatFromName(paths.front());
    if (byName != SourceFormat::Auto)
        return byName;
    return info.isFile() ? sniffFormat(paths.front()) : SourceFormat::Auto;
}

std::unique_ptr<RecordReader> createReader(const QStringList &paths, const ReaderOptions &options, QString *error)
{
    if (paths.isEmpty()) {
        *error = QStringLiteral("no source given");
        return nullptr;
    }
    SourceFormat format = options.format;
    if (format == SourceFormat::Auto)
        format = detectFormat(paths);
    if (format == SourceFormat::Auto) {
        *error = QFileInfo::exists(paths.front())
            ? QStringLiteral("%1: cannot tell the format; name it (csv, tsv, jsonl, npy, idx or images)").arg(paths.front())
            : QStringLiteral("%1: no such file or directory").arg(paths.front());
        return nullptr;
    }
    if (!options.labelColumn.isEmpty() && !options.labelsFile.isEmpty()) {
        *error = QStringLiteral("give either a label column or a labels file, not both");
        return nullptr;
    }
    const int maxPaths = format == SourceFormat::Idx ? 2 : 1;
    if (paths.size() > maxPaths) {
        *error = QStringLiteral("%1 reads %2, got %3 paths")
                     .arg(sourceFormatName(format), maxPaths == 1 ? QStringLiteral("one path") : QStringLiteral("at most two files"))
                     .arg(paths.size());
        return nullptr;
    }
    switch (format) {
    case SourceFormat::Csv: return std::make_unique<CsvReader>(paths.front(), ',', options);
    case SourceFormat::Tsv: return std::make_unique<CsvReader>(paths.front(), '\t', options);
    case SourceFormat::JsonLines: return std::make_unique<JsonLinesReader>(paths.front(), options);
    case SourceFormat::Npy: return std::make_unique<NpyReader>(paths.front(), options);
    case SourceFormat::Idx:
        if (paths.size() == 1 && options.labelsFile.isEmpty() && options.labelColumn.isEmpty()) {
            *error = QStringLiteral("%1: IDX needs a labels file, as a second path or a labels option").arg(paths.front());
            return nullptr;
        }
        return std::make_unique<IdxReader>(paths, options);
    case SourceFormat::Images: return std::make_unique<ImageFolderReader>(paths.front(), options);
    case SourceFormat::Auto: break;
    }
    *error = QStringLiteral("unknown source format");
    return nullptr;
}

} // namespace custody
