#include "findings/FindingsModel.h"

#include "detection/ScanResult.h"

#include <QColor>
#include <QLocale>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace custody {

namespace {
const QString kKeep = QStringLiteral("keep");
const QString kExclude = QStringLiteral("exclude");
const QString kRelabel = QStringLiteral("relabel");

QString formatScore(double score)
{
    if (std::isnan(score))
        return QStringLiteral("—");
    return QLocale().toString(score, 'g', 3);
}
} // namespace

FindingsModel::FindingsModel(QObject *parent) : QAbstractTableModel(parent) { }

FindingsModel::~FindingsModel() = default;

void FindingsModel::setResult(std::shared_ptr<const ScanResult> result)
{
    beginResetModel();
    m_result = std::move(result);
    m_entries.clear();
    m_modelRowOfBatchRow.clear();
    m_batchRowOfId.clear();
    m_idNumber.clear();
    m_labelNumber.clear();
    m_flagged = 0;
    if (m_result) {
        const ScanResult &r = *m_result;
        const int rows = int(r.ids.size());
        m_modelRowOfBatchRow.assign(size_t(rows), -1);
        m_batchRowOfId.reserve(rows);
        for (int row = 0; row < rows; ++row)
            m_batchRowOfId.insert(r.ids.at(row), row);
        const auto numbers = [rows](const QStringList &texts, std::vector<double> *out) {
            out->resize(size_t(rows));
            for (int row = 0; row < rows; ++row) {
                bool ok = false;
                (*out)[size_t(row)] = texts.value(row).toDouble(&ok);
                if (!ok) {
                    out->clear();
                    return;
                }
            }
        };
        numbers(r.ids, &m_idNumber);
        numbers(r.labels, &m_labelNumber);
        // The suggestion of a row comes from its strongest finding that has one (findings are ranked).
        QHash<int, QString> suggested;
        for (const Finding &f : r.findings)
            if (!f.suggestedLabel.isEmpty() && !suggested.contains(f.row))
                suggested.insert(f.row, f.suggestedLabel);
        const auto scoreAt = [&r](int row) {
            return row >= 0 && size_t(row) < r.suspicion.size() ? double(r.suspicion[size_t(row)])
                                                                 : std::numeric_limits<double>::quiet_NaN();
        };
        for (const Suspicion &s : r.ranking) {
            if (s.row < 0 || s.row >= rows || m_modelRowOfBatchRow[size_t(s.row)] >= 0)
                continue; // a damaged ranking must not put a row twice
            m_modelRowOfBatchRow[size_t(s.row)] = int(m_entries.size());
            m_entries.push_back(Entry{s.row, true, s.score, s.detectors, suggested.value(s.row)});
        }
        m_flagged = int(m_entries.size());
        // The rest by combined score, unscored last, so that "show all records" still reads top-down.
        std::vector<int> rest;
        for (int row = 0; row < rows; ++row)
            if (m_modelRowOfBatchRow[size_t(row)] < 0)
                rest.push_back(row);
        std::stable_sort(rest.begin(), rest.end(), [&](int a, int b) {
            const double sa = scoreAt(a), sb = scoreAt(b);
            if (std::isnan(sa) || std::isnan(sb))
                return !std::isnan(sa) && std::isnan(sb);
            return sa > sb;
        });
        for (int row : rest) {
            m_modelRowOfBatchRow[size_t(row)] = int(m_entries.size());
            m_entries.push_back(Entry{row, false, scoreAt(row), {}, suggested.value(row)});
        }
    }
    endResetModel();
}

void FindingsModel::setDecisions(const QList<Decision> &decisions)
{
    QHash<QString, Decision> next;
    next.reserve(decisions.size());
    for (const Decision &d : decisions)
        next.insert(d.recordId, d);
    QSet<QString> changed;
    for (auto it = next.cbegin(); it != next.cend(); ++it) {
        const auto old = m_decisions.constFind(it.key());
        if (old == m_decisions.cend() || old->action != it->action || old->label != it->label || old->note != it->note
            || old->seq != it->seq)
            changed.insert(it.key());
    }
    for (auto it = m_decisions.cbegin(); it != m_decisions.cend(); ++it)
        if (!next.contains(it.key()))
            changed.insert(it.key());
    m_decisions = std::move(next);
    if (!m_result || changed.isEmpty())
        return;
    // One signal per changed row: a decision touches a few rows, a reset would lose the view's selection.
    for (const QString &id : std::as_const(changed)) {
        const int row = m_batchRowOfId.value(id, -1);
        const int at = row >= 0 ? m_modelRowOfBatchRow[size_t(row)] : -1;
        if (at >= 0)
            Q_EMIT dataChanged(index(at, 0), index(at, ColumnCount - 1));
    }
}

std::optional<Decision> FindingsModel::decisionOf(const QString &recordId) const
{
    const auto it = m_decisions.constFind(recordId);
    if (it == m_decisions.cend())
        return std::nullopt;
    return *it;
}

int FindingsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int FindingsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString FindingsModel::describeDecision(const Decision &decision)
{
    if (decision.action == kRelabel)
        return tr("relabel → %1").arg(decision.label);
    return decision.action;
}

QVariant FindingsModel::display(const Entry &e, int column) const
{
    const ScanResult &r = *m_result;
    switch (column) {
    case Record:
        return r.ids.value(e.row);
    case Class:
        return r.labels.value(e.row);
    case Suggested:
        return e.suggested;
    case Score:
        return formatScore(e.score);
    case Detectors:
        return e.detectors.join(QStringLiteral(", "));
    case Change: {
        const auto change = size_t(e.row) < r.change.size() ? RecordChange(r.change[size_t(e.row)]) : RecordChange::Unchanged;
        return change == RecordChange::Unchanged ? QStringLiteral("—") : recordChangeName(change);
    }
    case DecisionColumn: {
        const auto d = m_decisions.constFind(r.ids.value(e.row));
        return d == m_decisions.cend() ? QString() : describeDecision(*d);
    }
    }
    return {};
}

QVariant FindingsModel::data(const QModelIndex &index, int role) const
{
    if (!m_result || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Entry &e = m_entries[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return display(e, index.column());
    case Qt::ToolTipRole:
        if (index.column() == DecisionColumn) {
            const auto d = m_decisions.constFind(m_result->ids.value(e.row));
            if (d != m_decisions.cend() && !d->note.isEmpty())
                return tr("%1 — %2").arg(describeDecision(*d), d->note);
        }
        return display(e, index.column());
    case Qt::TextAlignmentRole:
        return index.column() == Score ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case Qt::ForegroundRole:
        // Decided records step back so that what is left to review stands out.
        return m_decisions.contains(m_result->ids.value(e.row)) ? QVariant(QColor(0x70, 0x70, 0x70)) : QVariant();
    case SortRole:
        if (index.column() == Score)
            return std::isnan(e.score) ? -std::numeric_limits<double>::infinity() : e.score;
        if (index.column() == Record && !m_idNumber.empty())
            return m_idNumber[size_t(e.row)];
        if (index.column() == Class && !m_labelNumber.empty())
            return m_labelNumber[size_t(e.row)];
        if (index.column() == Change) // unchanged, new, modified, relabelled: the enum's order, not the alphabet's
            return size_t(e.row) < m_result->change.size() ? double(m_result->change[size_t(e.row)]) : 0.0;
        return display(e, index.column());
    case BatchRowRole:
        return e.row;
    case RecordIdRole:
        return m_result->ids.value(e.row);
    case FlaggedRole:
        return e.flagged;
    case DetectorsRole:
        return e.detectors;
    case ScoreRole:
        return e.score;
    case DecisionRole: {
        const auto d = m_decisions.constFind(m_result->ids.value(e.row));
        return d == m_decisions.cend() ? QString() : d->action;
    }
    }
    return {};
}

QVariant FindingsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Record:
        return tr("Record");
    case Class:
        return tr("Class");
    case Suggested:
        return tr("Suggested label");
    case Score:
        return tr("Score");
    case Detectors:
        return tr("Detectors");
    case Change:
        return tr("Change");
    case DecisionColumn:
        return tr("Decision");
    }
    return {};
}

int FindingsModel::batchRow(int modelRow) const
{
    return modelRow >= 0 && size_t(modelRow) < m_entries.size() ? m_entries[size_t(modelRow)].row : -1;
}

int FindingsModel::modelRow(int batchRow) const
{
    return batchRow >= 0 && size_t(batchRow) < m_modelRowOfBatchRow.size() ? m_modelRowOfBatchRow[size_t(batchRow)] : -1;
}

int FindingsModel::batchRowOf(const QString &recordId) const
{
    return m_batchRowOfId.value(recordId, -1);
}

QString FindingsModel::recordId(int modelRow) const
{
    return m_result ? m_result->ids.value(batchRow(modelRow)) : QString();
}

QStringList FindingsModel::detectorsOf(int modelRow) const
{
    return modelRow >= 0 && size_t(modelRow) < m_entries.size() ? m_entries[size_t(modelRow)].detectors : QStringList();
}

QString FindingsModel::labelOf(int modelRow) const
{
    return m_result ? m_result->labels.value(batchRow(modelRow)) : QString();
}

double FindingsModel::scoreOf(int modelRow) const
{
    return modelRow >= 0 && size_t(modelRow) < m_entries.size() ? m_entries[size_t(modelRow)].score
                                                                : std::numeric_limits<double>::quiet_NaN();
}

QString FindingsModel::decisionActionOf(int modelRow) const
{
    const auto d = m_decisions.constFind(recordId(modelRow));
    return d == m_decisions.cend() ? QString() : d->action;
}

QStringList FindingsModel::classes() const
{
    if (!m_result)
        return {};
    QStringList out = QSet<QString>(m_result->labels.cbegin(), m_result->labels.cend()).values();
    // Numeric class names (MNIST's 0..9) sort as numbers.
    std::sort(out.begin(), out.end(), [](const QString &a, const QString &b) {
        bool na = false, nb = false;
        const double x = a.toDouble(&na), y = b.toDouble(&nb);
        if (na && nb)
            return x < y;
        if (na != nb)
            return na;
        return a.localeAwareCompare(b) < 0;
    });
    return out;
}

QStringList FindingsModel::detectors() const
{
    QStringList out;
    for (const Entry &e : m_entries)
        for (const QString &d : e.detectors)
            if (!out.contains(d))
                out.append(d);
    // The scan's own detector order reads better than the alphabet.
    const QStringList order = DetectorName::all();
    std::sort(out.begin(), out.end(), [&order](const QString &a, const QString &b) {
        const qsizetype ia = order.indexOf(a), ib = order.indexOf(b);
        if (ia != ib)
            return (ia < 0 ? order.size() : ia) < (ib < 0 ? order.size() : ib);
        return a < b;
    });
    return out;
}

} // namespace custody
