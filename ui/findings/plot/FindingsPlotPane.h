#pragma once

#include "ledger/StateStore.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;

namespace custody {

class ClusterPlotView;
class TsneProjection;
struct ScanResult;

// The cluster plot of a scan with what it is drawn by: colour (label, score, decision), one class or all, and
// the projection (the scan's PCA, or t-SNE computed in the background the first time, with progress and
// Cancel, then kept per scan). Whatever setPoints() resets (decisions, class, selection, current row) is put
// back after every change of layout.
class FindingsPlotPane : public QWidget
{
    Q_OBJECT
public:
    enum Projection { Pca, Tsne };

    explicit FindingsPlotPane(QWidget *parent = nullptr);
    ~FindingsPlotPane() override;

    // `classes` in the order the labels are coded (the queue's). Clears the class filter if it is not one of them.
    void setResult(std::shared_ptr<const ScanResult> result, const QString &key, const QStringList &classes);
    void setDecisions(const QList<Decision> &decisions);
    void setSelection(const QList<int> &rows);
    void setCurrentRow(int row);
    QString classFilter() const; // "" for every class
    Projection projection() const;
    void setProjection(Projection projection);
    bool isProjecting() const;
    void cancel();

    ClusterPlotView *plot() const { return m_plot; }
    QComboBox *colourCombo() const { return m_colour; }
    QComboBox *classCombo() const { return m_class; }
    QComboBox *projectionCombo() const { return m_projection; }

Q_SIGNALS:
    void classFilterChanged(const QString &label);
    void busyChanged(bool projecting);
    void projectionShown();
    void projectionCancelled();
    void errorOccurred(const QString &message);

private:
    void showProjection();
    void applyState();
    void endJob();

    ClusterPlotView *m_plot;
    TsneProjection *m_tsne;
    QComboBox *m_colour;
    QComboBox *m_class;
    QComboBox *m_projection;
    QProgressBar *m_progress;
    QLabel *m_status;
    QPushButton *m_cancel;
    std::shared_ptr<const ScanResult> m_result;
    QString m_key;
    QStringList m_classes;
    std::vector<int> m_decisions;
    QList<int> m_selection;
    int m_current = -1;
};

} // namespace custody
