#include "WorkspaceFixture.h"

#include "storage/Ingest.h"
#include "workflow/IngestVersion.h"
#include "storage/Workspace.h"
#include "workflow/OpenWorkspace.h"

#include <QDir>
#include <QFile>

namespace custody::test {

QList<CsvRecord> numberedRecords(int count, int firstNumber)
{
    static const QString labels[] = {QStringLiteral("cat"), QStringLiteral("dog"), QStringLiteral("bird")};
    static const QString colours[] = {QStringLiteral("red"), QStringLiteral("green"), QStringLiteral("blue"),
                                      QStringLiteral("amber")};
    QList<CsvRecord> out;
    out.reserve(count);
    for (int i = firstNumber; i < firstNumber + count; ++i)
        out.append(CsvRecord{QStringLiteral("r%1").arg(i), labels[i % 3], double(i), i * 0.5, colours[i % 4]});
    return out;
}

bool writeCsv(const QString &path, const QList<CsvRecord> &records)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    QByteArray text = "id,label,x,y,colour\n";
    text.reserve(records.size() * 32);
    for (const CsvRecord &r : records) {
        text += r.id.toUtf8() + ',' + r.label.toUtf8() + ',' + QByteArray::number(r.x) + ','
                + QByteArray::number(r.y) + ',' + r.colour.toUtf8() + '\n';
    }
    return f.write(text) == text.size();
}

bool writeNumberedCsv(const QString &path, int count)
{
    return writeCsv(path, numberedRecords(count));
}

WorkspaceFixture::WorkspaceFixture()
{
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("cannot make a temporary folder");
        return;
    }
    m_workspace = createWorkspace(path(), &m_error);
}

WorkspaceFixture::~WorkspaceFixture() = default;

QString WorkspaceFixture::path() const
{
    return m_dir.filePath(QStringLiteral("workspace"));
}

QString WorkspaceFixture::filePath(const QString &name) const
{
    return m_dir.filePath(QStringLiteral("sources/") + name);
}

Workspace &WorkspaceFixture::workspace()
{
    if (!m_workspace)
        m_workspace = openWorkspace(path(), &m_error);
    return *m_workspace;
}

qint64 WorkspaceFixture::ingest(const QString &dataset, const QString &label, const QStringList &paths,
                                const QString &parentLabel, const QString &idColumn, const QString &labelColumn,
                                const Provenance *provenance)
{
    IngestRequest request;
    request.dataset = dataset;
    request.version = label;
    request.parentLabel = parentLabel;
    request.paths = paths;
    request.reader.idColumn = idColumn;
    request.reader.labelColumn = labelColumn;
    if (provenance)
        request.provenance = *provenance;
    return run(request);
}

qint64 WorkspaceFixture::run(IngestRequest &request)
{
    request.signer = m_signer;
    IngestResult result;
    QString error;
    if (!ingestVersion(workspace(), request, &result, &error)) {
        m_error = error;
        return 0;
    }
    return result.versionId;
}

qint64 WorkspaceFixture::ingestImages(const QString &dataset, const QString &label, const ImageSet &set,
                                      const QString &parentLabel)
{
    const QString stem = QStringLiteral("%1-%2-%3").arg(dataset, label).arg(++m_files);
    const QString images = filePath(stem + QStringLiteral("-images.gz")), labels = filePath(stem + QStringLiteral("-labels.gz"));
    QDir().mkpath(QFileInfo(images).path());
    if (!writeIdxImageSet(set, images, labels, &m_error))
        return 0;
    IngestRequest request;
    request.dataset = dataset;
    request.version = label;
    request.parentLabel = parentLabel;
    request.paths = {images, labels};
    request.reader.format = SourceFormat::Idx;
    return run(request);
}

qint64 WorkspaceFixture::ingestCsv(const QString &dataset, const QString &label, const QList<CsvRecord> &records,
                                   const QString &parentLabel, const Provenance *provenance)
{
    const QString file = filePath(QStringLiteral("%1-%2-%3.csv").arg(dataset, label).arg(++m_files));
    if (!writeCsv(file, records)) {
        m_error = QStringLiteral("%1: cannot write").arg(file);
        return 0;
    }
    return ingest(dataset, label, {file}, parentLabel, QStringLiteral("id"), QStringLiteral("label"), provenance);
}

void WorkspaceFixture::release()
{
    m_workspace.reset();
}

} // namespace custody::test
