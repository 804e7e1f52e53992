#include "demo/DemoWorkspace.h"

#include "demo/FashionMnist.h"
#include "demo/PoisonGenerator.h"
#include "detection/ScanEngine.h"
#include "workflow/ScanStore.h"
#include "ledger/LedgerEvent.h"
#include "storage/FileWrite.h"
#include "storage/Workspace.h"
#include "workflow/OpenWorkspace.h"
#include "workflow/IngestVersion.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QStandardPaths>

namespace custody {

QString defaultDemoWorkspacePath()
{
    QString base = qEnvironmentVariable("XDG_DATA_HOME");
    if (base.isEmpty())
        base = QDir::homePath() + QStringLiteral("/.local/share");
    return base + QStringLiteral("/custody/demo");
}

namespace {

Provenance fashionProvenance(const QString &note)
{
    Provenance p;
    p.source = QStringLiteral("https://github.com/zalandoresearch/fashion-mnist");
    p.supplier = QStringLiteral("Zalando Research (Debian package dataset-fashion-mnist)");
    p.license = QStringLiteral("MIT");
    p.acquiredAt = QStringLiteral("2020-05-23");
    p.note = note;
    return p;
}

bool ingestIdx(Workspace &ws, const QString &label, const QString &parent, const QString &images,
               const QString &labels, const Provenance &provenance, const ProgressFn &progress,
               const std::atomic_bool *cancel, QString *error)
{
    IngestRequest req;
    req.dataset = QStringLiteral("fashion");
    req.version = label;
    req.parentLabel = parent;
    req.paths = {images, labels};
    req.reader.format = SourceFormat::Idx;
    req.provenance = provenance;
    IngestResult result;
    const auto tagged = [&](const Progress &p) {
        if (progress)
            progress(Progress{QStringLiteral("fashion@%1: %2").arg(label, p.phase), p.done, p.total});
    };
    return ingestVersion(ws, req, &result, error, tagged, cancel);
}

} // namespace

QString missingDemoData(const DemoOptions &options)
{
    for (const char *name : {"/train-images-idx3-ubyte.gz", "/train-labels-idx1-ubyte.gz"}) {
        if (!QFileInfo::exists(options.fashionMnistDir + QLatin1String(name)))
            return QStringLiteral("Fashion-MNIST not found in %1 (install the Debian package dataset-fashion-mnist: "
                                  "sudo apt-get install dataset-fashion-mnist)")
                .arg(options.fashionMnistDir);
    }
    return {};
}

bool buildDemoWorkspace(const QString &dir, const DemoOptions &options, QString *error,
                        const ProgressFn &progress, const std::atomic_bool *cancel)
{
    if (Workspace::looksLikeWorkspace(dir)) {
        *error = QStringLiteral("%1 already holds a workspace").arg(dir);
        return false;
    }
    if (QFileInfo::exists(dir) && !QDir(dir).isEmpty()) {
        *error = QStringLiteral("%1 exists and is not empty; choose a new folder for the demo").arg(dir);
        return false;
    }
    if (const QString missing = missingDemoData(options); !missing.isEmpty()) {
        *error = missing;
        return false;
    }
    const QString images = options.fashionMnistDir + QStringLiteral("/train-images-idx3-ubyte.gz");
    const QString labels = options.fashionMnistDir + QStringLiteral("/train-labels-idx1-ubyte.gz");
    if (progress)
        progress(Progress{QStringLiteral("Reading Fashion-MNIST"), 0, 1});
    ImageSet train;
    if (!loadIdxImageSet(images, labels, &train, error))
        return false;

    PoisonGenerator generator(options);
    DemoBatch batch;
    if (!generator.generate(train, &batch, error))
        return false;

    // Build beside the target and move it into place at the end: a failed or cancelled build leaves nothing.
    const QString building = QDir::cleanPath(dir) + QStringLiteral(".building");
    QDir(building).removeRecursively();
    auto fail = [&](const QString &why) {
        *error = why;
        QDir(building).removeRecursively();
        return false;
    };
    const QString data = building + QStringLiteral("/demo-data");
    if (!QDir().mkpath(data))
        return fail(QStringLiteral("%1: cannot create folder").arg(data));
    QString e;
    const QString v1Images = data + QStringLiteral("/v1-images-idx3-ubyte.gz");
    const QString v1Labels = data + QStringLiteral("/v1-labels-idx1-ubyte.gz");
    const QString v2Images = data + QStringLiteral("/v2-images-idx3-ubyte.gz");
    const QString v2Labels = data + QStringLiteral("/v2-labels-idx1-ubyte.gz");
    if (progress)
        progress(Progress{QStringLiteral("Writing the generated batch"), 0, 1});
    if (!writeIdxImageSet(batch.baseline, v1Images, v1Labels, &e) || !writeIdxImageSet(batch.incoming, v2Images, v2Labels, &e))
        return fail(e);
    QFile truth(data + QStringLiteral("/ground-truth.json"));
    const QByteArray truthJson = QJsonDocument(batch.groundTruth).toJson();
    if (!truth.open(QIODevice::WriteOnly))
        return fail(QStringLiteral("%1: cannot write (%2)").arg(truth.fileName(), truth.errorString()));
    if (!writeFully(truth, truthJson.constData(), truthJson.size(), &e))
        return fail(e);
    truth.close();

    auto ws = createWorkspace(building, &e);
    if (!ws)
        return fail(e);
    const QString v1Note = QStringLiteral("Clean baseline: the first %1 Fashion-MNIST training images.").arg(batch.baseline.count());
    const QString v2Note = QStringLiteral("Incoming batch generated by 'custody-cli demo --seed %1 --rate %2 --trigger %3 "
                                          "--target-class %4': %5 new clean records plus planted poison "
                                          "(ground truth in demo-data/ground-truth.json).")
                               .arg(options.seed).arg(options.backdoorRate).arg(options.trigger).arg(options.targetClass)
                               .arg(options.newCleanSize);
    if (!ingestIdx(*ws, QStringLiteral("v1"), QString(), v1Images, v1Labels, fashionProvenance(v1Note), progress, cancel, &e)
        || !ingestIdx(*ws, QStringLiteral("v2"), QStringLiteral("v1"), v2Images, v2Labels, fashionProvenance(v2Note),
                      progress, cancel, &e))
        return fail(e);
    if (options.scan) {
        const auto v1 = ws->version(VersionRef{QStringLiteral("fashion"), QStringLiteral("v1")}, &e);
        const auto v2 = v1 ? ws->version(VersionRef{QStringLiteral("fashion"), QStringLiteral("v2")}, &e) : std::nullopt;
        if (!v2)
            return fail(e);
        ScanEngine engine;
        engine.setCancelFlag(cancel);
        engine.setProgress([&](const Progress &p) {
            if (progress)
                progress(Progress{QStringLiteral("Scanning fashion@v2: %1").arg(p.phase), p.done, p.total});
        });
        ScanResult scan;
        LedgerEvent event;
        if (!engine.run(*ws, *v2, &*v1, &scan, &e) || !ScanStore(*ws).record(scan, nullptr, &event, &e))
            return fail(e);
    }
    ws.reset();
    QDir().mkpath(QFileInfo(QDir::cleanPath(dir)).path());
    if (QFileInfo::exists(dir))
        QDir().rmdir(dir); // an empty folder the caller made for us
    if (!QDir().rename(building, dir))
        return fail(QStringLiteral("%1: cannot move the built workspace into place").arg(dir));
    return true;
}

} // namespace custody
