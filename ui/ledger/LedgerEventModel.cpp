#include "ledger/LedgerEventModel.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QJsonArray>
#include <QLocale>

namespace custody {

LedgerEventModel::LedgerEventModel(QObject *parent) : QAbstractTableModel(parent) { }

QString LedgerEventModel::summarize(const LedgerEvent &e, const QHash<QString, QString> &names)
{
    const QJsonObject b = e.body();
    const auto str = [&b](const char *key) { return b.value(QLatin1String(key)).toString(); };
    const QString version = str("version");
    const auto nameOf = [&names](const QString &keyId) { return names.value(keyId, keyId.left(kHashPrefix)); };
    const QString roles = b.value(QStringLiteral("roles")).toVariant().toStringList().join(QStringLiteral(", "));
    if (e.type == EventType::Genesis) {
        const QJsonObject admin = b.value(QStringLiteral("admin")).toObject();
        const qint64 adopted = b.value(QStringLiteral("adopts")).toObject().value(QStringLiteral("tree_size")).toInteger();
        return tr("Workspace made signed; admin %1; a release needs %2 approvals; %3")
            .arg(admin.value(QStringLiteral("name")).toString())
            .arg(b.value(QStringLiteral("policy")).toObject().value(QStringLiteral("approvals_required")).toInt())
            .arg(adopted == 0   ? tr("no earlier events")
                 : adopted == 1 ? tr("adopts the event before it")
                                : tr("adopts the %1 events before it").arg(adopted));
    }
    if (e.type == EventType::PrincipalAdded)
        return tr("%1 added (%2), key %3…").arg(str("name"), roles, str("key_id").left(kHashPrefix));
    if (e.type == EventType::PrincipalRolesChanged)
        return tr("%1 now holds: %2").arg(nameOf(str("key_id")), roles);
    if (e.type == EventType::PrincipalRevoked)
        return tr("%1 revoked").arg(nameOf(str("key_id")));
    if (e.type == EventType::VersionIngested)
        return tr("%1 ingested, digest %2…").arg(version, str("digest").left(kHashPrefix));
    if (e.type == EventType::DecisionMade) {
        QString text = tr("%1 record '%2': %3").arg(version, str("record"), str("action"));
        if (!str("label").isEmpty())
            text += QStringLiteral(" → ") + str("label");
        if (!str("note").isEmpty())
            text += QStringLiteral(" (") + str("note") + QLatin1Char(')');
        return text;
    }
    if (e.type == EventType::BatchSubmitted)
        return tr("%1 submitted for approval, batch %2…").arg(version, str("batch_digest").left(kHashPrefix));
    if (e.type == EventType::BatchApproved)
        return tr("%1 approved, batch %2…").arg(version, str("batch_digest").left(kHashPrefix));
    if (e.type == EventType::BatchVetoed)
        return tr("%1 vetoed: “%2”").arg(version, str("reason"));
    if (e.type == EventType::VersionReleased)
        return tr("%1 released as %2, digest %3…").arg(version, str("released"), str("digest").left(kHashPrefix));
    // Types this build does not describe: their fields, as the command line's log shows them.
    QStringList parts;
    for (auto it = b.constBegin(); it != b.constEnd(); ++it)
        if (it.value().isString() || it.value().isDouble())
            parts.append(QStringLiteral("%1=%2").arg(it.key(), it.value().toVariant().toString().left(40)));
    return parts.join(QLatin1Char(' '));
}

LedgerRow LedgerEventModel::rowFor(const LedgerEvent &e, const QHash<QString, QString> &names)
{
    LedgerRow row;
    row.seq = e.seq;
    row.time = e.time;
    row.actor = e.actor;
    row.actorName = e.actor.isEmpty() ? kUnsigned : names.value(e.actor, e.actor.left(kHashPrefix));
    // The genesis event registers its own signer, who is not a principal until it is applied.
    if (e.type == EventType::Genesis && !names.contains(e.actor))
        row.actorName = e.body().value(QStringLiteral("admin")).toObject().value(QStringLiteral("name")).toString();
    row.type = e.type;
    row.summary = summarize(e, names);
    row.hash = toHex(e.hash);
    return row;
}

void LedgerEventModel::setRows(const QList<LedgerRow> &rows)
{
    beginResetModel();
    m_rows = rows;
    m_brokenSeq = 0;
    m_brokenReason.clear();
    m_shown.clear();
    for (int i = 0; i < m_rows.size(); ++i)
        if (matches(m_rows.at(i)))
            m_shown.append(i);
    endResetModel();
}

void LedgerEventModel::clear()
{
    setRows({});
}

void LedgerEventModel::setFilter(const QString &type, const QString &actorName, const QString &text)
{
    if (type == m_type && actorName == m_actor && text == m_text)
        return;
    m_type = type;
    m_actor = actorName;
    m_text = text;
    applyFilter();
}

void LedgerEventModel::applyFilter()
{
    beginResetModel();
    m_shown.clear();
    for (int i = 0; i < m_rows.size(); ++i)
        if (matches(m_rows.at(i)))
            m_shown.append(i);
    endResetModel();
}

bool LedgerEventModel::matches(const LedgerRow &row) const
{
    if (!m_type.isEmpty() && row.type != m_type)
        return false;
    if (!m_actor.isEmpty() && row.actorName != m_actor)
        return false;
    if (m_text.isEmpty())
        return true;
    return row.summary.contains(m_text, Qt::CaseInsensitive) || row.type.contains(m_text, Qt::CaseInsensitive)
           || row.actorName.contains(m_text, Qt::CaseInsensitive) || row.hash.startsWith(m_text.toLower())
           || QString::number(row.seq) == m_text;
}

QStringList LedgerEventModel::types() const
{
    QStringList out;
    for (const LedgerRow &row : m_rows)
        if (!out.contains(row.type))
            out.append(row.type);
    out.sort();
    return out;
}

QStringList LedgerEventModel::actorNames() const
{
    QStringList out;
    for (const LedgerRow &row : m_rows)
        if (!out.contains(row.actorName))
            out.append(row.actorName);
    out.sort(Qt::CaseInsensitive);
    return out;
}

void LedgerEventModel::setBroken(qint64 seq, const QString &reason)
{
    const qint64 before = m_brokenSeq;
    m_brokenSeq = seq;
    m_brokenReason = reason;
    for (qint64 s : {before, seq}) {
        if (const int row = rowOfSeq(s); row >= 0)
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
}

int LedgerEventModel::rowOfSeq(qint64 seq) const
{
    if (seq <= 0)
        return -1;
    // Rows are in ledger order: seq n is at index n-1 unless events are missing.
    const auto it = std::lower_bound(m_shown.cbegin(), m_shown.cend(), seq,
                                     [this](int i, qint64 s) { return m_rows.at(i).seq < s; });
    return it != m_shown.cend() && m_rows.at(*it).seq == seq ? int(it - m_shown.cbegin()) : -1;
}

const LedgerRow *LedgerEventModel::rowAt(int row) const
{
    return row >= 0 && row < m_shown.size() ? &m_rows.at(m_shown.at(row)) : nullptr;
}

int LedgerEventModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_shown.size());
}

int LedgerEventModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LedgerEventModel::data(const QModelIndex &index, int role) const
{
    const LedgerRow *row = index.isValid() ? rowAt(index.row()) : nullptr;
    if (!row)
        return {};
    const bool broken = row->seq == m_brokenSeq;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case SeqColumn:
            return row->seq;
        case TimeColumn: {
            const QDateTime t = QDateTime::fromString(row->time, Qt::ISODate);
            return t.isValid() ? QLocale().toString(t.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm:ss")) : row->time;
        }
        case ActorColumn:
            return row->actorName;
        case TypeColumn:
            return row->type;
        case SummaryColumn:
            return row->summary;
        case HashColumn:
            return row->hash.left(kHashPrefix);
        }
        return {};
    case Qt::ToolTipRole:
        if (broken)
            return m_brokenReason;
        if (index.column() == HashColumn)
            return row->hash;
        if (index.column() == ActorColumn && !row->actor.isEmpty())
            return tr("key %1").arg(row->actor);
        if (index.column() == SummaryColumn)
            return row->summary;
        return {};
    case Qt::TextAlignmentRole:
        return index.column() == SeqColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case Qt::BackgroundRole:
        return broken ? QVariant(QBrush(QColor(0xfb, 0xe7, 0xe6))) : QVariant();
    case Qt::ForegroundRole:
        if (broken)
            return QBrush(QColor(0x20, 0x20, 0x20));
        return row->actor.isEmpty() && index.column() == ActorColumn ? QVariant(QBrush(QColor(0x80, 0x80, 0x80))) : QVariant();
    case SeqRole:
        return row->seq;
    }
    return {};
}

QVariant LedgerEventModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case SeqColumn:
        return tr("#");
    case TimeColumn:
        return tr("Time");
    case ActorColumn:
        return tr("Actor");
    case TypeColumn:
        return tr("Event");
    case SummaryColumn:
        return tr("Summary");
    case HashColumn:
        return tr("Hash");
    }
    return {};
}

} // namespace custody
