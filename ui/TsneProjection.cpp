#include "TsneProjection.h"

#include "JobProgress.h"
#include "detection/ScanResult.h"
#include "detection/Tsne.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace custody {

TsneProjection::TsneProjection(QObject *parent) : QObject(parent), m_progress(new JobProgress(this))
{
    connect(m_progress, &JobProgress::progressed, this, [this](const QString &phase, qint64 done, qint64 total) {
        if (m_running)
            Q_EMIT progressed(phase, done, total);
    });
}

TsneProjection::~TsneProjection()
{
    if (m_cancel)
        *m_cancel = true;
    m_future.waitForFinished();
}

const TsneProjection::Layout *TsneProjection::cached(const QString &key) const
{
    const auto it = m_cache.constFind(key);
    return it == m_cache.cend() ? nullptr : it->get();
}

bool TsneProjection::start(const QString &key, std::shared_ptr<const ScanResult> result, QString *why)
{
    if (m_running) {
        *why = tr("A projection is being computed already.");
        return false;
    }
    const qsizetype rows = result ? result->ids.size() : 0;
    if (!result || result->reducedDims <= 0 || result->reduced.size() != size_t(rows) * size_t(result->reducedDims)) {
        *why = tr("This scan kept no reduced representation to project.");
        return false;
    }
    m_running = true;
    m_cancel = std::make_shared<std::atomic_bool>(false);
    const ProgressFn reporter = m_progress->reporter();
    auto *watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcher<Outcome>::finished, this, [this, watcher] {
        watcher->deleteLater();
        Outcome out = watcher->result();
        m_running = false;
        if (out.cancelled) {
            Q_EMIT cancelled();
        } else if (!out.ok) {
            Q_EMIT failed(tr("The t-SNE projection failed: %1").arg(out.error));
        } else {
            m_cache.insert(out.key, std::make_shared<const Layout>(std::move(out.layout)));
            Q_EMIT ready(out.key);
        }
    });
    const QString phase = tr("t-SNE projection");
    m_future = QtConcurrent::run([key, result, cancel = m_cancel, reporter, phase] {
        Outcome out;
        out.key = key;
        const int rows = int(result->ids.size()), dims = result->reducedDims;
        using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
        const Eigen::MatrixXf input = Eigen::Map<const RowMajor>(result->reduced.data(), rows, dims);
        Tsne tsne;
        tsne.setCancelFlag(cancel.get());
        tsne.setProgress([reporter, phase](qint64 done, qint64 total) { reporter(Progress{phase, done, total}); });
        Eigen::MatrixXf layout;
        out.ok = tsne.project(input, &layout, &out.error);
        out.cancelled = !out.ok && cancel->load();
        if (out.ok && layout.rows() == rows && layout.cols() == 2) {
            out.layout.x.resize(size_t(rows));
            out.layout.y.resize(size_t(rows));
            for (int r = 0; r < rows; ++r) {
                out.layout.x[size_t(r)] = layout(r, 0);
                out.layout.y[size_t(r)] = layout(r, 1);
            }
        } else if (out.ok) {
            out.ok = false;
            out.error = QStringLiteral("the projection has %1 x %2 values for %3 rows")
                            .arg(layout.rows())
                            .arg(layout.cols())
                            .arg(rows);
        }
        return out;
    });
    watcher->setFuture(m_future);
    return true;
}

void TsneProjection::cancel()
{
    if (m_running && m_cancel)
        *m_cancel = true;
}

} // namespace custody
