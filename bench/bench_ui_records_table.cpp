// Records table on a large version: time from opening the version to the first painted rows, and from a jump
// to the last row to that row painted with real data (the target: under 300 ms on 1,000,000 rows).
// Run after bench_ingest has made /tmp/custody-bench/ws:
//   QT_QPA_PLATFORM=offscreen build/bench/bench_ui_records_table [--workspace DIR] [--version NAME@LABEL]
// (or under xvfb-run to paint through a real X server).
#include "versions/RecordTableModel.h"
#include "storage/Workspace.h"
#include "workflow/OpenWorkspace.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHeaderView>
#include <QTableView>
#include <QTimer>

#include <cstdio>
#include <random>

using namespace custody;

namespace {
// Runs the event loop until `row` holds real data, then paints synchronously; returns milliseconds.
double paintWhenLoaded(QTableView &view, RecordTableModel &model, int row, QElapsedTimer &t)
{
    while (!model.isRowLoaded(row)) {
        QEventLoop loop;
        QObject::connect(&model, &RecordTableModel::rowsLoaded, &loop, &QEventLoop::quit);
        QTimer::singleShot(5, &loop, &QEventLoop::quit);
        loop.exec();
    }
    view.viewport()->repaint();
    return t.nsecsElapsed() / 1e6;
}
} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QString dir = QStringLiteral("/tmp/custody-bench/ws");
    QString name = QStringLiteral("bench@v1");
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--workspace"))
            dir = args[i + 1];
        else if (args[i] == QLatin1String("--version"))
            name = args[i + 1];
    }
    QString error;
    auto ws = openWorkspace(dir, &error, Workspace::Access::ReadOnly);
    const auto ref = VersionRef::parse(name);
    const auto version = ws && ref ? ws->version(*ref, &error) : std::nullopt;
    if (!version) {
        std::fprintf(stderr, "%s\n", qPrintable(error.isEmpty() ? QStringLiteral("bad version name") : error));
        return 2;
    }
    QTableView view;
    RecordTableModel model;
    view.setModel(&model);
    view.verticalHeader()->setDefaultSectionSize(22);
    view.verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view.resize(1200, 800);
    view.show();

    QElapsedTimer t;
    t.start();
    model.setVersion(dir, *version);
    const double firstPaint = paintWhenLoaded(view, model, 0, t);

    t.restart();
    view.scrollToBottom();
    const int last = model.rowCount() - 1;
    const double jump = paintWhenLoaded(view, model, last, t);

    std::mt19937 rng(7);
    double worst = 0, total = 0;
    const int jumps = 20;
    for (int i = 0; i < jumps; ++i) {
        const int row = int(rng() % uint32_t(model.rowCount()));
        t.restart();
        view.scrollTo(model.index(row, 0), QAbstractItemView::PositionAtCenter);
        const double ms = paintWhenLoaded(view, model, row, t);
        worst = std::max(worst, ms);
        total += ms;
    }
    std::printf("%s: %d rows, %d columns\n", qPrintable(name), model.rowCount(), model.columnCount());
    std::printf("open to first painted rows:     %7.1f ms\n", firstPaint);
    std::printf("jump to last row, painted:      %7.1f ms\n", jump);
    std::printf("%d random jumps: mean %.1f ms, worst %.1f ms\n", jumps, total / jumps, worst);
    return 0;
}
