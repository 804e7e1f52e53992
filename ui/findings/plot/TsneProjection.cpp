#include "findings/plot/TsneProjection.h"

#include "session/BackgroundJob.h"
#include "detection/ScanResult.h"
#include "detection/Tsne.h"

namespace custody {

TsneProjection::TsneProjection(QObject *parent) : QObject(parent), m_job(new BackgroundJob(this))
{
    connect(m_job, &BackgroundJob::progressed, this, &TsneProjection::progressed);
}

TsneProjection::~TsneProjection() = default; // cancels; a worker still running no longer reports here

bool TsneProjection::isRunning() const
{
    return m_job->isRunning();
}

const TsneProjection::Layout *TsneProjection::cached(const QString &key) const
{
    const auto it = m_cache.constFind(key);
    return it == m_cache.cend() ? nullptr : it->get();
}

bool TsneProjection::start(const QString &key, std::shared_ptr<const ScanResult> result, QString *why)
{
    if (isRunning()) {
        *why = tr("A projection is being computed already.");
        return false;
    }
    const qsizetype rows = result ? result->ids.size() : 0;
    if (!result || result->reducedDims <= 0 || result->reduced.size() != size_t(rows) * size_t(result->reducedDims)) {
        *why = tr("This scan kept no reduced representation to project.");
        return false;
    }
    const QString phase = tr("t-SNE projection");
    const auto finished = [this](Outcome out) {
        if (out.cancelled) {
            Q_EMIT cancelled();
        } else if (!out.ok) {
            Q_EMIT failed(tr("The t-SNE projection failed: %1").arg(out.error));
        } else {
            m_cache.insert(out.key, std::make_shared<const Layout>(std::move(out.layout)));
            Q_EMIT ready(out.key);
        }
    };
    m_job->start([key, result, phase](const BackgroundJob::Context &job) {
        Outcome out;
        out.key = key;
        const int rows = int(result->ids.size()), dims = result->reducedDims;
        using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
        const Eigen::MatrixXf input = Eigen::Map<const RowMajor>(result->reduced.data(), rows, dims);
        Tsne tsne;
        tsne.setCancelFlag(job.cancel);
        tsne.setProgress([reporter = job.progress, phase](qint64 done, qint64 total) { reporter(Progress{phase, done, total}); });
        Eigen::MatrixXf layout;
        out.ok = tsne.project(input, &layout, &out.error);
        out.cancelled = !out.ok && job.cancelled();
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
    }, finished);
    return true;
}

void TsneProjection::cancel()
{
    m_job->cancel();
}

} // namespace custody
