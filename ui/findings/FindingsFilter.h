#pragma once

#include <QList>
#include <QPair>
#include <QSet>
#include <QSortFilterProxyModel>

namespace custody {

class FindingsModel;

// What the review queue shows of a FindingsModel: the findings (or every record, on request) of one detector,
// one class, at or above a score and with a given decision, sorted by any column. A scan has at most a few
// hundred thousand rows held in memory, so a proxy is the right tool here (unlike the records table).
class FindingsFilter : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    enum class DecisionFilter { Any, Undecided, Keep, Exclude, Relabel };

    explicit FindingsFilter(QObject *parent = nullptr);

    void setFindingsModel(FindingsModel *model);
    FindingsModel *findingsModel() const { return m_model; }

    // Empty: every detector / every class.
    void setDetector(const QString &detector);
    QString detector() const { return m_detector; }
    void setClassFilter(const QString &label);
    QString classFilter() const { return m_class; }
    void setMinimumScore(double score); // NaN-scored rows pass only when the minimum is -infinity
    double minimumScore() const { return m_minimumScore; }
    void setDecisionFilter(DecisionFilter filter);
    DecisionFilter decisionFilter() const { return m_decision; }
    // Only the records carrying a trigger phrase (their ids); an empty set shows every record.
    void setRecordSet(const QSet<QString> &ids);
    const QSet<QString> &recordSet() const { return m_records; }
    // False (the default): only the scan's findings. True: every record of the batch.
    void setShowAllRecords(bool all);
    bool showAllRecords() const { return m_all; }

    // For the detector combo: first ("", rows passing every other criterion), then each detector of the
    // model with the rows it flagged among them. "All detectors (431)", "spectral (288)".
    QList<QPair<QString, int>> detectorCounts() const;

    // Whether a source row passes every criterion except, when `ignoreDetector`, the detector.
    bool accepts(int sourceRow, bool ignoreDetector = false) const;

Q_SIGNALS:
    void criteriaChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    void changed();

    FindingsModel *m_model = nullptr;
    QString m_detector;
    QString m_class;
    double m_minimumScore;
    DecisionFilter m_decision = DecisionFilter::Any;
    bool m_all = false;
    QSet<QString> m_records;
};

} // namespace custody
