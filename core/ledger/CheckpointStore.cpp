#include "ledger/CheckpointStore.h"

#include "ledger/Ledger.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace custody {

namespace {

QString &directoryStorage()
{
    static QString dir = CheckpointStore::defaultDirectory();
    return dir;
}

QString locationKey(const QString &location)
{
    const QByteArray utf8 = location.toUtf8();
    return toHex(Sha256::of(std::string_view(utf8.constData(), size_t(utf8.size())))).left(32);
}

} // namespace

QString CheckpointStore::defaultDirectory()
{
    QString base = qEnvironmentVariable("XDG_CONFIG_HOME");
    if (base.isEmpty())
        base = QDir::homePath() + QStringLiteral("/.config");
    return base + QStringLiteral("/custody/checkpoints");
}

void CheckpointStore::setDirectory(const QString &directory)
{
    directoryStorage() = directory;
}

QString CheckpointStore::directory()
{
    return directoryStorage();
}

QString CheckpointStore::locationOf(const QString &workspacePath)
{
    const QFileInfo info(workspacePath);
    const QString canonical = info.canonicalFilePath();
    return canonical.isEmpty() ? info.absoluteFilePath() : canonical;
}

QString CheckpointStore::recordPath(const QString &location) const
{
    return m_dir + QStringLiteral("/location-") + locationKey(location) + QStringLiteral(".json");
}

QString CheckpointStore::stateCachePath(const QString &location) const
{
    return m_dir + QStringLiteral("/location-") + locationKey(location) + QStringLiteral(".state");
}

std::optional<CheckpointStore::Checkpoint> CheckpointStore::read(const QString &file) const
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly) || f.size() > 64 * 1024)
        return std::nullopt;
    const QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
    Checkpoint c;
    c.location = o.value(QStringLiteral("location")).toString();
    c.workspaceId = o.value(QStringLiteral("workspace_id")).toString();
    c.treeSize = o.value(QStringLiteral("tree_size")).toInteger(-1);
    c.time = o.value(QStringLiteral("time")).toString();
    c.needsVerify = o.value(QStringLiteral("needs_verify")).toString();
    if (c.treeSize < 0 || !digestFromHex(o.value(QStringLiteral("root")).toString(), &c.root))
        return std::nullopt;
    return c;
}

std::optional<CheckpointStore::Checkpoint> CheckpointStore::load(const QString &location, const QString &workspaceId) const
{
    if (!isEnabled())
        return std::nullopt;
    if (auto c = read(recordPath(location)); c && c->location == location)
        return c;
    if (workspaceId.isEmpty())
        return std::nullopt;
    auto legacy = read(m_dir + QLatin1Char('/') + workspaceId + QStringLiteral(".json"));
    if (legacy)
        legacy->workspaceId = workspaceId;
    return legacy;
}

QList<CheckpointStore::Checkpoint> CheckpointStore::copiesOf(const QString &workspaceId, const QString &exceptLocation) const
{
    QList<Checkpoint> copies;
    if (!isEnabled() || workspaceId.isEmpty())
        return copies;
    const QStringList files = QDir(m_dir).entryList({QStringLiteral("location-*.json")}, QDir::Files, QDir::Name);
    for (const QString &name : files) {
        const auto c = read(m_dir + QLatin1Char('/') + name);
        if (c && c->workspaceId == workspaceId && c->location != exceptLocation && !c->location.isEmpty())
            copies.append(*c);
    }
    return copies;
}

bool CheckpointStore::remember(const Checkpoint &c, QString *error) const
{
    if (!QDir().mkpath(m_dir)) {
        *error = QStringLiteral("%1: cannot create the checkpoint folder").arg(m_dir);
        return false;
    }
    // Written whole or not at all: a crash leaves the previous checkpoint in place.
    QSaveFile f(recordPath(c.location));
    QJsonObject o{{QStringLiteral("location"), c.location}, {QStringLiteral("workspace_id"), c.workspaceId},
                  {QStringLiteral("tree_size"), c.treeSize}, {QStringLiteral("root"), toHex(c.root)},
                  {QStringLiteral("time"), c.time}};
    if (!c.needsVerify.isEmpty())
        o.insert(QStringLiteral("needs_verify"), c.needsVerify);
    if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(o).toJson()) < 0 || !f.commit()) {
        *error = QStringLiteral("%1: cannot remember the checkpoint (%2)").arg(f.fileName(), f.errorString());
        return false;
    }
    return true;
}

bool CheckpointStore::rememberCurrent(Ledger &ledger, const QString &location, QString *error, bool verified) const
{
    if (!isEnabled())
        return true;
    const QString id = ledger.workspaceId();
    const auto size = ledger.size(error);
    if (!size)
        return false;
    auto known = read(recordPath(location));
    const bool sameWorkspace = known && known->location == location && known->workspaceId == id;
    const QString needsVerify = sameWorkspace && !verified ? known->needsVerify : QString();
    if (sameWorkspace && known->treeSize >= *size && needsVerify == known->needsVerify)
        return true;
    const auto root = ledger.root(*size, error);
    return root && remember(Checkpoint{location, id, *size, *root, QDateTime::currentDateTimeUtc().toString(Qt::ISODate), needsVerify},
                            error);
}

bool CheckpointStore::markNeedsVerify(Ledger &ledger, const QString &location, const QString &reason) const
{
    if (!isEnabled())
        return false;
    const QString id = ledger.workspaceId();
    auto c = read(recordPath(location));
    if (!c || c->location != location || c->workspaceId != id) {
        QString error;
        const auto size = ledger.size(&error);
        const auto root = size ? ledger.root(*size, &error) : std::nullopt;
        if (!root)
            return false;
        c = Checkpoint{location, id, *size, *root, QDateTime::currentDateTimeUtc().toString(Qt::ISODate), QString()};
    }
    c->needsVerify = reason;
    QString error;
    return remember(*c, &error);
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
        return QStringLiteral("the first %1 events no longer match what was seen on %2: the ledger was rewritten")
            .arg(c.treeSize).arg(c.time);
    return QString();
}

} // namespace custody
