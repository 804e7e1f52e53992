#include "CliWorkspace.h"

#include "demo/FashionMnist.h"
#include "detection/ScanEngine.h"
#include "detection/ScanResult.h"
#include "storage/Workspace.h"
#include "workflow/OpenWorkspace.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

using namespace custody;

// A scan and a drift run are signed evidence: whoever re-runs them on the same versions must get the same
// result digest, whatever their core count (issue 12). Before, the first scan of a process ran the probe
// network's products on every core's BLAS thread and later ones on one, so 'OPENBLAS_NUM_THREADS=1' or a
// second scan in the desktop recorded other findings. Real Fashion-MNIST images, big enough that OpenBLAS
// splits the products over threads.
class TestDeterminism : public QObject
{
    Q_OBJECT

private:
    test::CliWorkspace m_ws;

    struct Run
    {
        QString digest;
        QString failure;
    };

    // custody-cli ARGS --json under `prefix` (taskset) with `extraEnv`; the JSON's result_digest.
    Run run(const QStringList &prefix, const QStringList &args, const QStringList &extraEnv) const
    {
        QProcessEnvironment env = m_ws.environment();
        for (const QString &kv : extraEnv)
            env.insert(kv.section(QLatin1Char('='), 0, 0), kv.section(QLatin1Char('='), 1));
        QProcess p;
        p.setProcessEnvironment(env);
        p.setStandardInputFile(QProcess::nullDevice());
        const QStringList all = prefix + QStringList{test::cliPath()} + args + QStringList{QStringLiteral("--json")};
        p.start(all.first(), all.mid(1));
        if (!p.waitForFinished(240000))
            return {{}, QStringLiteral("%1 did not finish").arg(all.join(QLatin1Char(' ')))};
        const QJsonObject json = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
        const QString digest = json.value(QStringLiteral("result_digest")).toString();
        if (digest.isEmpty())
            return {{}, QStringLiteral("%1: no result digest (%2)").arg(all.join(QLatin1Char(' ')), QString::fromUtf8(p.readAllStandardError()))};
        return {digest, {}};
    }

    // The same command with 1 and 2 BLAS threads, the default, and on one core (a QThreadPool of one).
    void sameDigestEverywhere(const QStringList &args)
    {
        const QStringList oneCore{QStringLiteral("taskset"), QStringLiteral("-c"), QStringLiteral("0")};
        const bool haveTaskset = !QStandardPaths::findExecutable(QStringLiteral("taskset")).isEmpty();
        QVERIFY2(haveTaskset, "taskset (util-linux) is needed to run on one core");
        const QList<QPair<QStringList, QStringList>> setups{
            {{}, {}},
            {{}, {QStringLiteral("OPENBLAS_NUM_THREADS=1")}},
            {{}, {QStringLiteral("OPENBLAS_NUM_THREADS=2")}},
            {oneCore, {QStringLiteral("OPENBLAS_NUM_THREADS=4")}},
        };
        QString first;
        for (const auto &[prefix, env] : setups) {
            const Run r = run(prefix, args, env);
            QVERIFY2(r.failure.isEmpty(), qPrintable(r.failure));
            if (first.isEmpty())
                first = r.digest;
            QVERIFY2(r.digest == first, qPrintable(QStringLiteral("%1 %2 gave %3, the default gave %4")
                                                       .arg(prefix.join(QLatin1Char(' ')), env.join(QLatin1Char(' ')), r.digest, first)));
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_ws.init(&error), qPrintable(error));
        const QString source = QStringLiteral("/usr/share/datasets/fashion-mnist");
        ImageSet train;
        QVERIFY2(loadIdxImageSet(source + QStringLiteral("/train-images-idx3-ubyte.gz"), source + QStringLiteral("/train-labels-idx1-ubyte.gz"),
                                 &train, &error),
                 qPrintable(error));
        // v1: the first 3,000 training images; v2: those and the next 1,500.
        for (const auto &[label, count] : {std::pair{QStringLiteral("v1"), 3000}, std::pair{QStringLiteral("v2"), 4500}}) {
            ImageSet part;
            part.width = train.width;
            part.height = train.height;
            part.pixels.assign(train.pixels.begin(), train.pixels.begin() + qsizetype(count) * 784);
            part.labels.assign(train.labels.begin(), train.labels.begin() + count);
            const QString images = m_ws.filePath(label + QStringLiteral("-images.gz")), labels = m_ws.filePath(label + QStringLiteral("-labels.gz"));
            QVERIFY2(writeIdxImageSet(part, images, labels, &error), qPrintable(error));
            QStringList args{QStringLiteral("--dataset"), QStringLiteral("f"), QStringLiteral("--version"), label, QStringLiteral("--format"),
                             QStringLiteral("idx"), images, labels};
            if (label == QLatin1String("v2"))
                args << QStringLiteral("--parent") << QStringLiteral("v1");
            const auto r = m_ws.run(m_ws.args(QStringLiteral("ingest"), args));
            QVERIFY2(r.exitCode == 0, r.err.constData());
        }
    }

    void scanDigestDoesNotDependOnThreads()
    {
        sameDigestEverywhere(m_ws.args(QStringLiteral("scan"), {QStringLiteral("f@v2"), QStringLiteral("--no-record")}));
    }

    void scanWithoutBaselineDoesNotDependOnThreads()
    {
        sameDigestEverywhere(m_ws.args(QStringLiteral("scan"), {QStringLiteral("f@v2"), QStringLiteral("--no-baseline"), QStringLiteral("--no-record")}));
    }

    void driftDigestDoesNotDependOnThreads()
    {
        sameDigestEverywhere(m_ws.args(QStringLiteral("drift"), {QStringLiteral("f@v1"), QStringLiteral("f@v2"), QStringLiteral("--by-class")}));
    }

    // The desktop scans again in the same process: the second scan must record what the first did, and
    // what custody-cli records.
    void secondScanInOneProcessIsTheSame()
    {
        QString error;
        auto ws = openWorkspace(m_ws.path(), &error, Workspace::Access::ReadOnly);
        QVERIFY2(ws, qPrintable(error));
        const auto batch = ws->version(VersionRef{QStringLiteral("f"), QStringLiteral("v2")}, &error);
        const auto baseline = ws->version(VersionRef{QStringLiteral("f"), QStringLiteral("v1")}, &error);
        QVERIFY2(batch && baseline, qPrintable(error));
        QStringList digests;
        for (int i = 0; i < 2; ++i) {
            ScanEngine engine{ScanOptions{}};
            ScanResult result;
            QVERIFY2(engine.run(*ws, *batch, &*baseline, &result, &error), qPrintable(error));
            digests << result.resultDigest();
        }
        QCOMPARE(digests[1], digests[0]);
        const Run cli = run({}, m_ws.args(QStringLiteral("scan"), {QStringLiteral("f@v2"), QStringLiteral("--no-record")}), {});
        QVERIFY2(cli.failure.isEmpty(), qPrintable(cli.failure));
        QCOMPARE(cli.digest, digests[0]);
    }
};

QTEST_GUILESS_MAIN(TestDeterminism)
#include "TestDeterminism.moc"
