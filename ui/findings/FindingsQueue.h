#pragma once

#include "ledger/StateStore.h"

#include <QList>
#include <QWidget>

#include <memory>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QTableView;

namespace custody {

class FindingsFilter;
class FindingsModel;
struct ScanResult;

// The review queue: a filter row (detector with its counts, minimum score, decision, every record or only the
// findings) above the table of findings. Selection and the current record are exchanged in batch rows, the
// language of the scan and of the cluster plot.
class FindingsQueue : public QWidget
{
    Q_OBJECT
public:
    explicit FindingsQueue(QWidget *parent = nullptr);
    ~FindingsQueue() override;

    void setResult(std::shared_ptr<const ScanResult> result);
    void setDecisions(const QList<Decision> &decisions);
    void setClassFilter(const QString &label); // "" for every class

    // Batch rows selected in the table (in table order), and selecting them: rows the queue does not show
    // (filtered out, or not findings) are left out. The first becomes current. Emits selectionChanged().
    QList<int> selectedRows() const;
    void selectRows(const QList<int> &rows);
    int currentRow() const; // batch row, -1 for none
    bool setCurrentRow(int batchRow); // false when the queue does not show it
    // N and P: the next or previous record of the queue becomes the current and only selected one.
    void step(int delta);

    FindingsModel *model() const { return m_model; }
    FindingsFilter *filter() const { return m_filter; }
    QTableView *table() const { return m_table; }
    QComboBox *detectorCombo() const { return m_detector; }
    QComboBox *decisionCombo() const { return m_decision; }
    QDoubleSpinBox *minimumScore() const { return m_minimum; }
    QCheckBox *showAllToggle() const { return m_showAll; }
    QComboBox *phraseCombo() const { return m_phrase; } // hidden when the scan found no trigger phrase
    QLabel *countLabel() const { return m_count; }

Q_SIGNALS:
    void selectionChanged(const QList<int> &rows);
    void currentRowChanged(int row);

private:
    void updateCounts();

    FindingsModel *m_model;
    FindingsFilter *m_filter;
    QComboBox *m_detector;
    QDoubleSpinBox *m_minimum;
    QComboBox *m_decision;
    QComboBox *m_phrase;
    QCheckBox *m_showAll;
    QLabel *m_count;
    QTableView *m_table;
};

} // namespace custody
