#pragma once

#include "ledger/LedgerEvent.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QStringList>

namespace custody {

// One ledger event as the ledger page lists it: a line a person can read, not the signed payload.
struct LedgerRow
{
    qint64 seq = 0;
    QString time;
    QString actor;     // key id, empty when unsigned
    QString actorName; // principal name, or "(unsigned)"
    QString type;
    QString summary;
    QString hash; // hex
};

// The events of a ledger for a QTableView, filterable by type, actor and text. The rows are read once on a
// worker thread (see LedgerPage); filtering keeps an index of matching rows instead of a proxy model.
class LedgerEventModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { SeqColumn, TimeColumn, ActorColumn, TypeColumn, SummaryColumn, HashColumn, ColumnCount };
    static constexpr int kHashPrefix = 12;
    static constexpr int SeqRole = Qt::UserRole + 1;
    static inline const QString kUnsigned = QStringLiteral("(unsigned)");

    explicit LedgerEventModel(QObject *parent = nullptr);

    // `names`: key id -> principal name.
    static LedgerRow rowFor(const LedgerEvent &event, const QHash<QString, QString> &names);
    static QString summarize(const LedgerEvent &event, const QHash<QString, QString> &names);

    void setRows(const QList<LedgerRow> &rows);
    void clear();
    qsizetype totalCount() const { return m_rows.size(); }
    // Empty strings match everything; `text` matches the summary, the type, the actor and the hash.
    void setFilter(const QString &type, const QString &actorName, const QString &text);
    bool isFiltered() const { return !m_type.isEmpty() || !m_actor.isEmpty() || !m_text.isEmpty(); }
    QStringList types() const;
    QStringList actorNames() const;

    // Marks the event verification found broken (0 clears): shown in red with the reason as its tooltip.
    void setBroken(qint64 seq, const QString &reason);
    qint64 brokenSeq() const { return m_brokenSeq; }
    int rowOfSeq(qint64 seq) const; // -1 when absent or filtered out
    const LedgerRow *rowAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void applyFilter();
    bool matches(const LedgerRow &row) const;

    QList<LedgerRow> m_rows;
    QList<int> m_shown; // indexes into m_rows
    QString m_type, m_actor, m_text;
    qint64 m_brokenSeq = 0;
    QString m_brokenReason;
};

} // namespace custody
