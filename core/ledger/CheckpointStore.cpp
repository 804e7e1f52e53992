#include "ledger/CheckpointStore.h"
#include "formats/RegularFile.h"

#include "ledger/Ledger.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonArray>
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

std::optional<CheckpointStore::Checkpoint> CheckpointStore::read(const QString &file, QString *why) const
{
    QString problem;
    const auto c = readRecord(file, &problem);
    if (why)
        *why = problem;
    return c;
}

QString CheckpointStore::unreadable(const QString &location) const
{
    const QString file = recordPath(location);
    QString why;
    if (!isEnabled() || (!QFileInfo(file).isSymLink() && !QFileInfo::exists(file)) || read(file, &why))
        return QString();
    return QStringLiteral("the checkpoint remembered for this folder (%1) cannot be used: %2; this open is checked as if "
                          "the folder were new").arg(file, why);
}

std::optional<CheckpointStore::Checkpoint> CheckpointStore::readRecord(const QString &file, QString *why) const
{
    QFile f;
    if (!openRegularFile(&f, file, why))
        return std::nullopt;
    if (f.size() > 64 * 1024) {
        *why = QStringLiteral("it is larger than a checkpoint record can be");
        return std::nullopt;
    }
    QJsonParseError parse;
    const QJsonObject o = QJsonDocument::fromJson(f.readAll(), &parse).object();
    if (parse.error != QJsonParseError::NoError) {
        *why = QStringLiteral("it is not valid JSON (%1)").arg(parse.errorString());
        return std::nullopt;
    }
    Checkpoint c;
    c.location = o.value(QStringLiteral("location")).toString();
    c.workspaceId = o.value(QStringLiteral("workspace_id")).toString();
    c.treeSize = o.value(QStringLiteral("tree_size")).toInteger(-1);
    c.time = o.value(QStringLiteral("time")).toString();
    c.needsVerify = o.value(QStringLiteral("needs_verify")).toString();
    if (c.treeSize < 0 || !digestFromHex(o.value(QStringLiteral("root")).toString(), &c.root)) {
        *why = QStringLiteral("it has no valid tree_size and root");
        return std::nullopt;
    }
    for (const QJsonValue &v : o.value(QStringLiteral("previous")).toArray()) {
        const QJsonObject p = v.toObject();
        Checkpoint before;
        before.location = c.location;
        before.workspaceId = p.value(QStringLiteral("workspace_id")).toString();
        before.treeSize = p.value(QStringLiteral("tree_size")).toInteger(-1);
        before.time = p.value(QStringLiteral("time")).toString();
        if (before.treeSize >= 0 && digestFromHex(p.value(QStringLiteral("root")).toString(), &before.root) && c.previous.size() < 64)
            c.previous.append(before);
    }
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
        if (!c || c->location == exceptLocation || c->location.isEmpty())
            continue;
        if (c->workspaceId == workspaceId)
            copies.append(*c);
        for (Checkpoint before : c->previous) {
            if (before.workspaceId == workspaceId) {
                before.isPrevious = true;
                copies.append(before);
            }
        }
    }
    return copies;
}

bool CheckpointStore::remember(const Checkpoint &c, QString *error) const
{
    if (!QDir().mkpath(m_dir)) {
        *error = QStringLiteral("%1: cannot create the checkpoint folder").arg(m_dir);
        return false;
    }
    // As private as the key store: what is remembered here is what the workspace is checked against.
    QFile::setPermissions(m_dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    // Written whole or not at all: a crash leaves the previous checkpoint in place.
    QSaveFile f(recordPath(c.location));
    QJsonObject o{{QStringLiteral("location"), c.location}, {QStringLiteral("workspace_id"), c.workspaceId},
                  {QStringLiteral("tree_size"), c.treeSize}, {QStringLiteral("root"), toHex(c.root)},
                  {QStringLiteral("time"), c.time}};
    if (!c.needsVerify.isEmpty())
        o.insert(QStringLiteral("needs_verify"), c.needsVerify);
    QJsonArray previous;
    for (const Checkpoint &p : c.previous)
        previous.append(QJsonObject{{QStringLiteral("workspace_id"), p.workspaceId}, {QStringLiteral("tree_size"), p.treeSize},
                                    {QStringLiteral("root"), toHex(p.root)}, {QStringLiteral("time"), p.time}});
    if (!previous.isEmpty())
        o.insert(QStringLiteral("previous"), previous);
    if (!f.open(QIODevice::WriteOnly) || !f.setPermissions(QFile::ReadOwner | QFile::WriteOwner)
        || f.write(QJsonDocument(o).toJson()) < 0 || !f.commit()) {
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
    if (!root)
        return false;
    Checkpoint now{location, id, *size, *root, QDateTime::currentDateTimeUtc().toString(Qt::ISODate), needsVerify, {}, false};
    // What this location held before keeps counting: an older copy of it must not become writable elsewhere.
    if (known && known->location == location) {
        now.previous = known->previous;
        if (!sameWorkspace) {
            known->previous.clear();
            now.previous.append(*known);
        }
    }
    return remember(now, error);
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
        c = Checkpoint{location, id, *size, *root, QDateTime::currentDateTimeUtc().toString(Qt::ISODate), QString(), {}, false};
    }
    c->needsVerify = reason;
    QString error;
    return remember(*c, &error);
}

bool CheckpointStore::adoptedFrom(Ledger &ledger, const QString &workspaceId)
{
    QString error;
    bool found = false;
    ledger.forEach([&](const LedgerEvent &e) {
        found = e.body().value(QStringLiteral("previous_workspace")).toString() == workspaceId;
        return !found;
    }, &error, 1, EventType::WorkspaceAdopted);
    return found;
}

QString CheckpointStore::adoptedTooEarly(Ledger &ledger, const Checkpoint &seen)
{
    QString error;
    qint64 adoptedAt = 0; // the seq of the adoption of seen's identity
    ledger.forEach([&](const LedgerEvent &e) {
        if (e.body().value(QStringLiteral("previous_workspace")).toString() != seen.workspaceId)
            return true;
        adoptedAt = e.seq;
        return false;
    }, &error, 1, EventType::WorkspaceAdopted);
    if (adoptedAt == 0)
        return QString(); // not a descendant of that identity: another workspace
    if (adoptedAt - 1 < seen.treeSize)
        return QStringLiteral("it was adopted from workspace %1 after %2 events, but %3 were seen here on %4: an older copy was "
                              "adopted and put in its place").arg(seen.workspaceId.left(12)).arg(adoptedAt - 1).arg(seen.treeSize).arg(seen.time);
    const auto root = ledger.root(seen.treeSize, &error);
    if (!root || *root != seen.root)
        return QStringLiteral("its history before its adoption from workspace %1 differs from what was seen here on %2")
            .arg(seen.workspaceId.left(12), seen.time);
    return QString();
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
