#pragma once

#include "ledger/StateStore.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

namespace custody {

struct ScanResult;

// The review queue of one scan: a row per record, the flagged ones first in the scan's ranking (most
// suspicious first), then every other record of the batch by its combined score, so that a filter can show
// only the findings or, on request, all records (a lasso on the cluster plot may take unflagged ones). The
// Decision column follows the ledger: setDecisions() after every signed decision.
class FindingsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Record, Class, Suggested, Score, Detectors, Change, DecisionColumn, ColumnCount };
    enum Role {
        SortRole = Qt::UserRole + 1, // numbers for Score, text otherwise: what the header sorts by
        BatchRowRole,                // int: the record's row in the batch version (the scan's row)
        RecordIdRole,                // QString
        FlaggedRole,                 // bool: a finding of the scan
        DetectorsRole,               // QStringList, strongest first
        ScoreRole,                   // double, NaN when not scored
        DecisionRole,                // QString: keep | exclude | relabel, or "" when undecided
    };

    explicit FindingsModel(QObject *parent = nullptr);
    ~FindingsModel() override;

    void setResult(std::shared_ptr<const ScanResult> result);
    std::shared_ptr<const ScanResult> result() const { return m_result; }
    // The batch's current decisions (StateStore::decisions); rows whose decision changed are refreshed.
    void setDecisions(const QList<Decision> &decisions);
    std::optional<Decision> decisionOf(const QString &recordId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    int flaggedCount() const { return m_flagged; }
    int batchRow(int modelRow) const;
    int modelRow(int batchRow) const; // -1 when the batch row is not in the model
    int batchRowOf(const QString &recordId) const; // -1 when the batch has no such record
    QString recordId(int modelRow) const;
    QStringList detectorsOf(int modelRow) const;
    QString labelOf(int modelRow) const;
    double scoreOf(int modelRow) const;
    QString decisionActionOf(int modelRow) const;
    // Every class of the batch and every detector that flagged something, sorted, for the filter combos.
    QStringList classes() const;
    QStringList detectors() const;
    // "relabel → 3", "exclude", "" for none.
    static QString describeDecision(const Decision &decision);

private:
    struct Entry
    {
        int row = -1;
        bool flagged = false;
        double score = 0;
        QStringList detectors;
        QString suggested;
    };

    QVariant display(const Entry &e, int column) const;

    std::shared_ptr<const ScanResult> m_result;
    std::vector<Entry> m_entries;
    std::vector<int> m_modelRowOfBatchRow;
    QHash<QString, int> m_batchRowOfId;
    // Ids and class names that are all numbers (IDX rows, MNIST classes) sort as numbers; parsed once here.
    std::vector<double> m_idNumber, m_labelNumber;
    QHash<QString, Decision> m_decisions;
    int m_flagged = 0;
};

} // namespace custody
