// Ledger speed: appending signed events with a durable commit each, verifying a 100,000-event ledger, and the
// first signed write of a new process on it, with the verified replay kept (only new events replayed) and
// without (every event replayed before the write may rely on the state).
// Run: build/bench/bench_ledger [--events 100000] [--durable 2000] [--dir /tmp/custody-bench-ledger]
#include "identity/SigningKey.h"
#include "ledger/CheckpointStore.h"
#include "ledger/LedgerVerifier.h"
#include "ledger/SignOff.h"
#include "storage/Ingest.h"
#include "workflow/IngestVersion.h"
#include "storage/Workspace.h"
#include "workflow/OpenWorkspace.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

using namespace custody;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    qint64 total = 100000, durable = 2000;
    QString dir = QStringLiteral("/tmp/custody-bench-ledger");
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--events"))
            total = args[i + 1].toLongLong();
        else if (args[i] == QLatin1String("--durable"))
            durable = args[i + 1].toLongLong();
        else if (args[i] == QLatin1String("--dir"))
            dir = args[i + 1];
    }
    QDir(dir).removeRecursively();
    QDir().mkpath(dir);
    setRememberedCheckpointDirectory(dir + QStringLiteral("/checkpoints")); // where the verified replay is kept
    QString e;
    auto ws = createWorkspace(dir + QStringLiteral("/ws"), &e);
    QByteArray csv = "id,label,x\n";
    for (int i = 0; i < 1000; ++i)
        csv += "r" + QByteArray::number(i) + ",c" + QByteArray::number(i % 10) + "," + QByteArray::number(i) + "\n";
    QFile f(dir + QStringLiteral("/v.csv"));
    f.open(QIODevice::WriteOnly);
    f.write(csv);
    f.close();
    const SigningKey admin = *SigningKey::fromSeed(QByteArray(32, 1), &e);
    const SigningKey cora = *SigningKey::fromSeed(QByteArray(32, 2), &e);
    SignOff signOff(*ws);
    IngestRequest req;
    req.dataset = QStringLiteral("t");
    req.version = QStringLiteral("v1");
    req.paths = {f.fileName()};
    req.reader.idColumn = QStringLiteral("id");
    req.reader.labelColumn = QStringLiteral("label");
    IngestResult r;
    if (!ingestVersion(*ws, req, &r, &e) || !signOff.makeSigned(QStringLiteral("admin"), admin, 2, &e)
        || !signOff.addPrincipal(admin, QStringLiteral("cora"), cora.publicKey(), {QStringLiteral("curator")}, &e)) {
        std::fprintf(stderr, "%s\n", qPrintable(e));
        return 2;
    }
    const VersionRef v1{QStringLiteral("t"), QStringLiteral("v1")};
    const QStringList actions{QStringLiteral("keep"), QStringLiteral("exclude"), QStringLiteral("relabel")};
    auto body = [&](qint64 i) {
        QJsonObject b{{QStringLiteral("version"), v1.toString()}, {QStringLiteral("record"), QStringLiteral("r%1").arg(i % 1000)},
                      {QStringLiteral("action"), actions[int(i % 3)]}};
        if (i % 3 == 2)
            b.insert(QStringLiteral("label"), QStringLiteral("c%1").arg(i % 7));
        return b;
    };

    // 1. One signed event per durable transaction (synchronous=FULL, WAL), as a person's action is.
    QElapsedTimer t;
    t.start();
    for (qint64 i = 0; i < durable; ++i) {
        if (!signOff.decide(cora, v1, QStringLiteral("r%1").arg(i % 1000), actions[int(i % 3)], QStringLiteral("c1"), QString(), &e)) {
            std::fprintf(stderr, "%s\n", qPrintable(e));
            return 2;
        }
    }
    const double appendSeconds = t.nsecsElapsed() / 1e9;

    // 2. Fill up to `total` events in larger transactions (same append path: policy, sign, store, apply).
    Ledger &ledger = signOff.ledger();
    qint64 have = *ledger.size(&e);
    t.restart();
    while (have < total) {
        Transaction tx(ws->db());
        tx.begin(&e);
        for (int k = 0; k < 5000 && have < total; ++k, ++have)
            if (!ledger.append(EventType::DecisionMade, body(have), &cora, nullptr, &e)) {
                std::fprintf(stderr, "%s\n", qPrintable(e));
                return 2;
            }
        tx.commit(&e);
    }
    const double fillSeconds = t.nsecsElapsed() / 1e9;
    ledger.committed();

    // 4. One signed write as a new process makes it (a new Ledger): with the replay kept, and without it.
    auto firstWrite = [&](qint64 record) {
        QElapsedTimer w;
        w.start();
        SignOff fresh(*ws);
        if (!fresh.decide(cora, v1, QStringLiteral("r%1").arg(record), QStringLiteral("keep"), {}, {}, &e)) {
            std::fprintf(stderr, "%s\n", qPrintable(e));
            std::exit(2);
        }
        return w.nsecsElapsed() / 1e9;
    };
    firstWrite(1); // warm-up
    const double keptSeconds = std::min(firstWrite(2), firstWrite(3));
    const QString cache = CheckpointStore().stateCachePath(CheckpointStore::locationOf(ws->path()));
    QFile::remove(cache);
    const double coldSeconds = firstWrite(4);
    have += 4;

    // 3. Verify the whole ledger: chain, hashes, signatures on all cores, policy replay, derived state.
    VerifyReport report;
    LedgerVerifier::Result result;
    t.restart();
    if (!LedgerVerifier::run(*ws, &report, &result, &e)) {
        std::fprintf(stderr, "%s\n", qPrintable(e));
        return 2;
    }
    const double verifySeconds = t.nsecsElapsed() / 1e9;
    std::printf("durable append (sign + policy + commit with fsync), %lld events: %.2f s, %.0f events/s\n", durable,
                appendSeconds, durable / appendSeconds);
    std::printf("batched append (5000 per transaction): %.0f events/s\n", (total - durable - 5) / fillSeconds);
    std::printf("verify %lld events (%lld signed): %.2f s, %.0f events/s, %s\n", result.events, result.signedEvents,
                verifySeconds, result.events / verifySeconds, report.ok() ? "all good" : "PROBLEMS FOUND");
    std::printf("first signed write of a new process on %lld events: %.3f s with the verified replay kept (best of 2), "
                "%.2f s without it (every event replayed)\n", result.events, keptSeconds, coldSeconds);
    return report.ok() ? 0 : 1;
}
