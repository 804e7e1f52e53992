#include "findings/plot/FindingsPlotPane.h"

#include "session/BackgroundJob.h"
#include "findings/plot/ClusterPlotView.h"
#include "findings/plot/TsneProjection.h"
#include "detection/ScanResult.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHash>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace custody {

FindingsPlotPane::FindingsPlotPane(QWidget *parent)
    : QWidget(parent), m_plot(new ClusterPlotView), m_tsne(new TsneProjection(this)), m_colour(new QComboBox),
      m_class(new QComboBox), m_projection(new QComboBox), m_progress(new QProgressBar), m_status(new QLabel),
      m_cancel(new QPushButton(tr("Cancel")))
{
    setObjectName(QStringLiteral("findingsPlotPane"));
    m_plot->setObjectName(QStringLiteral("findingsPlot"));
    m_colour->setObjectName(QStringLiteral("findingsColourBy"));
    m_colour->addItem(tr("Colour by label"), int(ClusterPlotView::ColourBy::Label));
    m_colour->addItem(tr("Colour by score"), int(ClusterPlotView::ColourBy::Score));
    m_colour->addItem(tr("Colour by decision"), int(ClusterPlotView::ColourBy::Decision));
    m_class->setObjectName(QStringLiteral("findingsClass"));
    m_class->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_class->addItem(tr("All classes"), QString());
    m_projection->setObjectName(QStringLiteral("findingsProjection"));
    m_projection->addItem(tr("PCA"), int(Pca));
    m_projection->addItem(tr("t-SNE"), int(Tsne));
    m_progress->setObjectName(QStringLiteral("findingsProjectionProgress"));
    m_progress->setMaximumWidth(140);
    m_progress->hide();
    m_status->setObjectName(QStringLiteral("findingsProjectionStatus"));
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred); // progress text must not resize the page
    m_cancel->setObjectName(QStringLiteral("findingsProjectionCancel"));
    m_cancel->hide();

    connect(m_colour, &QComboBox::currentIndexChanged, this,
            [this] { m_plot->setColourBy(ClusterPlotView::ColourBy(m_colour->currentData().toInt())); });
    connect(m_class, &QComboBox::currentIndexChanged, this, [this] {
        applyState();
        Q_EMIT classFilterChanged(classFilter());
    });
    connect(m_projection, &QComboBox::currentIndexChanged, this, &FindingsPlotPane::showProjection);
    connect(m_cancel, &QPushButton::clicked, this, &FindingsPlotPane::cancel);
    connect(m_tsne, &TsneProjection::progressed, this, [this](const QString &phase, qint64 done, qint64 total) {
        m_status->setText(BackgroundJob::describe(phase, done, total));
        m_progress->setRange(0, total > 0 ? 1000 : 0);
        if (total > 0)
            m_progress->setValue(int(qBound(qint64(0), done * 1000 / total, qint64(1000))));
    });
    connect(m_tsne, &TsneProjection::ready, this, [this](const QString &key) {
        endJob();
        if (key == m_key)
            showProjection();
    });
    const auto backToPca = [this] {
        QSignalBlocker block(m_projection);
        m_projection->setCurrentIndex(0);
    };
    connect(m_tsne, &TsneProjection::cancelled, this, [this, backToPca] {
        endJob();
        backToPca();
        Q_EMIT projectionCancelled();
    });
    connect(m_tsne, &TsneProjection::failed, this, [this, backToPca](const QString &message) {
        endJob();
        backToPca();
        Q_EMIT errorOccurred(message);
    });

    auto *controls = new QHBoxLayout;
    controls->addWidget(m_colour);
    controls->addWidget(m_class);
    controls->addWidget(m_projection);
    controls->addWidget(m_progress);
    controls->addWidget(m_cancel);
    controls->addWidget(m_status, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addWidget(m_plot, 1);
}

FindingsPlotPane::~FindingsPlotPane() = default;

QString FindingsPlotPane::classFilter() const
{
    return m_class->currentData().toString();
}

FindingsPlotPane::Projection FindingsPlotPane::projection() const
{
    return Projection(m_projection->currentData().toInt());
}

void FindingsPlotPane::setProjection(Projection projection)
{
    m_projection->setCurrentIndex(m_projection->findData(int(projection)));
}

bool FindingsPlotPane::isProjecting() const
{
    return m_tsne->isRunning();
}

void FindingsPlotPane::cancel()
{
    m_tsne->cancel();
}

void FindingsPlotPane::endJob()
{
    m_progress->hide();
    m_cancel->hide();
    m_status->clear();
    Q_EMIT busyChanged(false);
}

void FindingsPlotPane::setResult(std::shared_ptr<const ScanResult> result, const QString &key, const QStringList &classes)
{
    if (m_tsne->isRunning()) { // a projection of the previous scan is of no use any more
        m_tsne->cancel();
        QSignalBlocker block(m_projection);
        m_projection->setCurrentIndex(0);
    }
    m_result = std::move(result);
    m_key = key;
    m_classes = classes;
    m_decisions.assign(m_result ? size_t(m_result->ids.size()) : 0, 0);
    m_selection.clear();
    m_current = -1;
    {
        QSignalBlocker block(m_class);
        const QString current = classFilter();
        m_class->clear();
        m_class->addItem(tr("All classes"), QString());
        for (const QString &c : classes)
            m_class->addItem(tr("Class %1").arg(c), c);
        m_class->setCurrentIndex(std::max(0, m_class->findData(current)));
    }
    showProjection();
}

void FindingsPlotPane::setDecisions(const QList<Decision> &decisions)
{
    if (!m_result)
        return;
    QHash<QString, int> code;
    for (const Decision &d : decisions)
        code.insert(d.recordId, d.action == QLatin1String("keep") ? 1 : d.action == QLatin1String("exclude") ? 2 : 3);
    for (qsizetype row = 0; row < m_result->ids.size(); ++row)
        m_decisions[size_t(row)] = code.value(m_result->ids.at(row), 0);
    if (m_plot->pointCount() == int(m_decisions.size()))
        m_plot->setDecisions(m_decisions);
}

void FindingsPlotPane::setSelection(const QList<int> &rows)
{
    m_selection = rows;
    m_plot->setSelection(rows);
}

void FindingsPlotPane::setCurrentRow(int row)
{
    m_current = row;
    m_plot->setCurrentRow(row);
}

void FindingsPlotPane::showProjection()
{
    if (!m_result)
        return;
    const ScanResult &r = *m_result;
    const std::vector<float> *x = &r.projectionX, *y = &r.projectionY;
    if (projection() == Tsne) {
        const TsneProjection::Layout *layout = m_tsne->cached(m_key);
        if (!layout) {
            QString why;
            if (m_tsne->start(m_key, m_result, &why)) {
                m_status->setText(tr("Computing the t-SNE projection…"));
                m_progress->setRange(0, 0);
                m_progress->show();
                m_cancel->show();
                Q_EMIT busyChanged(true);
            } else {
                QSignalBlocker block(m_projection);
                m_projection->setCurrentIndex(0);
                Q_EMIT errorOccurred(why);
            }
            return; // the layout on screen stays until the t-SNE one is ready
        }
        x = &layout->x;
        y = &layout->y;
    }
    std::vector<int> codes(size_t(r.labels.size()));
    for (qsizetype i = 0; i < r.labels.size(); ++i)
        codes[size_t(i)] = int(m_classes.indexOf(r.labels.at(i)));
    m_plot->setPoints(*x, *y, codes, m_classes, r.ids);
    m_plot->setScores(r.suspicion);
    applyState();
    Q_EMIT projectionShown();
}

void FindingsPlotPane::applyState()
{
    if (!m_result || m_plot->pointCount() != int(m_result->ids.size()))
        return;
    m_plot->setDecisions(m_decisions);
    const QString label = classFilter();
    std::vector<uint8_t> visible;
    if (!label.isEmpty()) {
        visible.resize(size_t(m_result->labels.size()));
        for (qsizetype i = 0; i < m_result->labels.size(); ++i)
            visible[size_t(i)] = m_result->labels.at(i) == label;
    }
    m_plot->setVisibleRows(visible);
    m_plot->setColourBy(ClusterPlotView::ColourBy(m_colour->currentData().toInt()));
    m_plot->setSelection(m_selection);
    m_plot->setCurrentRow(m_current);
}

} // namespace custody
