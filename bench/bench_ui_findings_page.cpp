// The findings page on a large scan: how long the GUI thread is held by each step a curator takes (the target:
// nothing blocks the window for more than 100 ms). A 1 ms timer runs throughout; the longest gap between two of
// its ticks is the longest stall. Run on a workspace with a recorded scan, e.g. the demo (`custody-cli demo DIR`
// records one of fashion@v2):
//   QT_QPA_PLATFORM=offscreen build/bench/bench_ui_findings_page [--workspace DIR] [--version NAME@LABEL]
#include "shell/ActionRegistry.h"
#include "findings/plot/ClusterPlotView.h"
#include "findings/FindingsFilter.h"
#include "findings/FindingsModel.h"
#include "findings/FindingsPage.h"
#include "findings/plot/FindingsPlotPane.h"
#include "findings/FindingsQueue.h"
#include "identity/Identity.h"
#include "session/WorkspaceSession.h"
#include "detection/ScanResult.h"

#include <QApplication>
#include <QCheckBox>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QStackedWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>
#include <functional>

using namespace custody;

namespace {

// The longest time between two ticks of a 1 ms timer while `until` is false (or for `ms` after `step`).
struct StallMeter
{
    QElapsedTimer clock;
    qint64 last = 0;
    qint64 worst = 0;
    QTimer timer;

    StallMeter()
    {
        timer.setInterval(1);
        QObject::connect(&timer, &QTimer::timeout, [this] {
            const qint64 now = clock.elapsed();
            worst = std::max(worst, now - last);
            last = now;
        });
    }
    // Runs `step`, then the event loop until `done` (checked every tick) or `timeoutMs`; returns the worst stall.
    qint64 measure(const std::function<void()> &step, const std::function<bool()> &done, int timeoutMs = 600000)
    {
        clock.start();
        last = 0;
        worst = 0;
        timer.start();
        step();
        QEventLoop loop; // a benchmark's own driver: the application under test never nests loops
        QTimer poll;
        QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
            if (done() || clock.elapsed() > timeoutMs)
                loop.quit();
        });
        poll.start(1);
        loop.exec();
        timer.stop();
        return std::max(worst, clock.elapsed() - last);
    }
};

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QString dir = QStringLiteral("/tmp/fdemo");
    QString name = QStringLiteral("fashion@v2");
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--workspace"))
            dir = args[i + 1];
        else if (args[i] == QLatin1String("--version"))
            name = args[i + 1];
    }
    QTemporaryDir keys; // no identity: the page only reads
    WorkspaceSession session;
    Identity identity(keys.path());
    ActionRegistry actions;
    QStackedWidget pages;
    auto *page = new FindingsPage(&session, &identity, &actions, nullptr);
    pages.addWidget(page);
    pages.resize(1400, 900);
    pages.show();
    QString error;
    if (!session.open(dir, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 2;
    }
    const auto ref = VersionRef::parse(name);
    const auto version = ref ? session.findVersion(*ref) : std::nullopt;
    if (!version) {
        std::fprintf(stderr, "no version %s\n", qPrintable(name));
        return 2;
    }
    StallMeter meter;
    bool shown = false, failed = false;
    QObject::connect(page, &FindingsPage::resultShown, [&] { shown = true; });
    QObject::connect(page, &FindingsPage::noResult, [&] { failed = true; });
    QElapsedTimer total;
    total.start();
    const qint64 load = meter.measure([&] { page->selectVersion(version->id); }, [&] { return shown || failed; });
    if (!shown) {
        std::fprintf(stderr, "%s has no recorded scan to show\n", qPrintable(name));
        return 1;
    }
    const ScanResult &r = *page->result();
    std::printf("%s: %lld records, %lld flagged, %lld findings\n", qPrintable(name), qint64(r.ids.size()),
                qint64(r.ranking.size()), qint64(r.findings.size()));
    std::printf("load and show the latest scan: %lld ms in all, longest stall %lld ms\n", total.elapsed(), load);

    FindingsQueue *queue = page->queue();
    const auto once = [&](const char *what, const std::function<void()> &step) {
        const qint64 stall = meter.measure(step, [] { return true; });
        std::printf("%-44s longest stall %lld ms\n", what, stall);
    };
    once("show all records (proxy filter)", [&] { queue->showAllToggle()->setChecked(true); });
    once("sort all records by record id", [&] { queue->table()->sortByColumn(FindingsModel::Record, Qt::AscendingOrder); });
    once("sort all records by score", [&] { queue->table()->sortByColumn(FindingsModel::Score, Qt::DescendingOrder); });
    QList<int> rows;
    for (int i = 0; i < int(r.ids.size()); i += 4)
        rows.append(i);
    once("select a quarter of the records (a lasso)", [&] { queue->selectRows(rows); });
    once("move to the next record (N)", [&] { queue->step(1); });
    once("only the findings again", [&] { queue->showAllToggle()->setChecked(false); });
    bool projected = false;
    QObject::connect(page->plotPane(), &FindingsPlotPane::projectionShown, [&] { projected = true; });
    QElapsedTimer tsne;
    tsne.start();
    const qint64 tsneStall = meter.measure([&] { page->plotPane()->setProjection(FindingsPlotPane::Tsne); },
                                           [&] { return projected; });
    std::printf("t-SNE in the background: %lld ms, longest stall %lld ms\n", tsne.elapsed(), tsneStall);
    return 0;
}
