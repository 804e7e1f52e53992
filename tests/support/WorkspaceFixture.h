#pragma once

#include "demo/FashionMnist.h"
#include "storage/DatasetVersion.h"

#include <QList>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace custody {
struct IngestRequest;
class SigningKey;
class Workspace;
struct Provenance;
} // namespace custody

namespace custody::test {

// One row of the generated CSV files: an id, a label and three features (two numbers and a category).
struct CsvRecord
{
    QString id;
    QString label;
    double x = 0;
    double y = 0;
    QString colour;
};

// `count` records r0..r{count-1}; every content is distinct, labels cycle through cat, dog, bird.
QList<CsvRecord> numberedRecords(int count, int firstNumber = 0);
// Writes id,label,x,y,colour with a header. Fast enough for a few hundred thousand rows.
bool writeCsv(const QString &path, const QList<CsvRecord> &records);
bool writeNumberedCsv(const QString &path, int count);

// A real workspace in a temporary folder, filled through the same core calls the application makes. The
// fixture's own connection is closed by release() so that the code under test can open the folder alone.
class WorkspaceFixture
{
public:
    WorkspaceFixture();
    ~WorkspaceFixture();

    bool isValid() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }
    QString path() const;             // the workspace folder
    QString filePath(const QString &name) const; // a scratch file next to (not inside) the workspace
    Workspace &workspace();

    // Ingests a file (or folder) as DATASET@LABEL; returns the new version id, 0 on failure (see error()).
    qint64 ingest(const QString &dataset, const QString &label, const QStringList &paths,
                  const QString &parentLabel = {}, const QString &idColumn = QStringLiteral("id"),
                  const QString &labelColumn = QStringLiteral("label"), const Provenance *provenance = nullptr);
    qint64 ingestCsv(const QString &dataset, const QString &label, const QList<CsvRecord> &records,
                     const QString &parentLabel = {}, const Provenance *provenance = nullptr);
    // Writes `set` as gzip IDX files and ingests them (ids are row numbers).
    qint64 ingestImages(const QString &dataset, const QString &label, const ImageSet &set,
                        const QString &parentLabel = {});

    void release(); // closes the fixture's connection

    // Later ingests are signed by `signer` (a curator of a signed workspace); null for unsigned ingests.
    void setSigner(const SigningKey *signer) { m_signer = signer; }

private:
    qint64 run(IngestRequest &request);

    QTemporaryDir m_dir;
    std::unique_ptr<Workspace> m_workspace;
    QString m_error;
    int m_files = 0;
    const SigningKey *m_signer = nullptr;
};

} // namespace custody::test
