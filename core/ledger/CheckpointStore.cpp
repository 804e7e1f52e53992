#include "ledger/CheckpointStore.h"

#include "ledger/Ledger.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace custody {

QString CheckpointStore::defaultDirectory()
{
    QString base = qEnvironmentVariable("XDG_CONFIG_HOME");
    if (base.isEmpty())
        base = QDir::homePath() + QStringLiteral("/.config");
    return base + QStringLiteral("/custody/checkpoints");
}

std::optional<CheckpointStore::Checkpoint> CheckpointStore::load(const QString &workspaceId) const
{
    QFile f(m_dir + QLatin1Char('/') + workspaceId + QStringLiteral(".json"));
    if (workspaceId.isEmpty() || !f.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
    Checkpoint c;
    c.treeSize = o.value(QStringLiteral("tree_size")).toInteger(-1);
    c.time = o.value(QStringLiteral("time")).toString();
    if (c.treeSize < 0 || !digestFromHex(o.value(QStringLiteral("root")).toString(), &c.root))
        return std::nullopt;
    return c;
}

bool CheckpointStore::remember(const QString &workspaceId, const Checkpoint &c, QString *error) const
{
    if (!QDir().mkpath(m_dir)) {
        *error = QStringLiteral("%1: cannot create the checkpoint folder").arg(m_dir);
        return false;
    }
    // Written whole or not at all: a crash leaves the previous checkpoint in place.
    QSaveFile f(m_dir + QLatin1Char('/') + workspaceId + QStringLiteral(".json"));
    const QJsonObject o{{QStringLiteral("tree_size"), c.treeSize}, {QStringLiteral("root"), toHex(c.root)},
                        {QStringLiteral("time"), c.time}};
    if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(o).toJson()) < 0 || !f.commit()) {
        *error = QStringLiteral("%1: cannot remember the checkpoint (%2)").arg(f.fileName(), f.errorString());
        return false;
    }
    return true;
}

bool CheckpointStore::rememberCurrent(Ledger &ledger, QString *error) const
{
    const QString id = ledger.workspaceId();
    const auto size = ledger.size(error);
    if (!size)
        return false;
    const auto known = load(id);
    if (known && known->treeSize >= *size)
        return true;
    const auto root = ledger.root(*size, error);
    return root && remember(id, Checkpoint{*size, *root, QDateTime::currentDateTimeUtc().toString(Qt::ISODate)}, error);
}

QString CheckpointStore::inconsistency(Ledger &ledger, const Checkpoint &c)
{
    QString error;
    const auto size = ledger.size(&error);
    if (!size)
        return QStringLiteral("the ledger cannot be read (%1)").arg(error);
    if (*size < c.treeSize)
        return QStringLiteral("the ledger has %1 events but %2 were seen on %3: it was truncated or rolled back "
                              "(an older copy of the database?)").arg(*size).arg(c.treeSize).arg(c.time);
    const auto root = ledger.root(c.treeSize, &error);
    if (!root)
        return QStringLiteral("the ledger cannot be read (%1)").arg(error);
    if (*root != c.root)
        return QStringLiteral("the first %1 events no longer match what was seen on %2: the ledger was rewritten or forked")
            .arg(c.treeSize).arg(c.time);
    return QString();
}

} // namespace custody
