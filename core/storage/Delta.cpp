#include "storage/Delta.h"
#include "job/Cancel.h"

#include "storage/Workspace.h"

#include <QHash>
#include <QJsonArray>

#include <algorithm>

namespace custody {

int Delta::conflictingDuplicateGroups() const
{
    int n = 0;
    for (const DuplicateGroup &g : duplicates)
        n += g.conflictingLabels ? 1 : 0;
    return n;
}

QJsonObject Delta::toJson() const
{
    QJsonArray groups;
    for (const DuplicateGroup &g : duplicates) {
        groups.append(QJsonObject{{QStringLiteral("ids"), QJsonArray::fromStringList(g.ids)},
                                  {QStringLiteral("labels"), QJsonArray::fromStringList(g.labels)},
                                  {QStringLiteral("conflicting_labels"), g.conflictingLabels}});
    }
    QJsonArray twins;
    for (const auto &[removedId, addedId] : normalisationTwins)
        twins.append(QJsonObject{{QStringLiteral("removed"), removedId}, {QStringLiteral("added"), addedId}});
    return QJsonObject{{QStringLiteral("added"), QJsonArray::fromStringList(added)},
                       {QStringLiteral("removed"), QJsonArray::fromStringList(removed)},
                       {QStringLiteral("modified"), QJsonArray::fromStringList(modified)},
                       {QStringLiteral("relabelled"), QJsonArray::fromStringList(relabelled)},
                       {QStringLiteral("duplicates"), groups},
                       {QStringLiteral("normalisation_twins"), twins}};
}

namespace {
bool collectIds(Database &db, const char *sql, qint64 a, qint64 b, QStringList *out, QString *error)
{
    Statement st(db, sql);
    st.bind(1, a).bind(2, b);
    while (st.step())
        out->append(st.columnText(0));
    if (st.failed()) {
        *error = st.error();
        return false;
    }
    return true;
}
bool isAscii(const QString &s)
{
    for (const QChar c : s)
        if (c.unicode() > 0x7f)
            return false;
    return true;
}

} // namespace

QList<QStringList> normalisationCollisions(Workspace &workspace, qint64 versionId, QString *error)
{
    // Only ids outside ASCII can collide (ASCII is its own normal form).
    QHash<QString, QStringList> byNormalForm;
    Statement st(workspace.db(), "SELECT record_id FROM record WHERE version_id = ?1 ORDER BY row");
    st.bind(1, versionId);
    while (st.step()) {
        const std::string_view raw = st.columnTextView(0);
        if (std::all_of(raw.begin(), raw.end(), [](char c) { return (c & 0x80) == 0; }))
            continue;
        const QString id = QString::fromUtf8(raw.data(), qsizetype(raw.size()));
        byNormalForm[id.normalized(QString::NormalizationForm_C)].append(id);
    }
    if (st.failed())
        *error = st.error();
    QList<QStringList> groups;
    for (auto it = byNormalForm.constBegin(); it != byNormalForm.constEnd(); ++it)
        if (it.value().size() > 1)
            groups.append(it.value());
    std::sort(groups.begin(), groups.end());
    return groups;
}

bool computeDelta(Workspace &workspace, const DatasetVersion &a, const DatasetVersion &b, Delta *delta,
                  QString *error, const std::atomic_bool *cancel)
{
    Database &db = workspace.db();
    *delta = Delta();
    const auto cancelled = [&] {
        if (cancel && cancel->load()) {
            *error = cancelledMessage();
            return true;
        }
        return false;
    };
    // Each query walks the (version_id, record_id) index; results come in B's (or A's) record order.
    const bool ok =
        collectIds(db, "SELECT nb.record_id FROM record nb WHERE nb.version_id = ?2 AND NOT EXISTS "
                       "(SELECT 1 FROM record oa WHERE oa.version_id = ?1 AND oa.record_id = nb.record_id) "
                       "ORDER BY nb.row", a.id, b.id, &delta->added, error)
        && !cancelled() && collectIds(db, "SELECT oa.record_id FROM record oa WHERE oa.version_id = ?1 AND NOT EXISTS "
                          "(SELECT 1 FROM record nb WHERE nb.version_id = ?2 AND nb.record_id = oa.record_id) "
                          "ORDER BY oa.row", a.id, b.id, &delta->removed, error)
        && !cancelled() && collectIds(db, "SELECT nb.record_id FROM record nb JOIN record oa ON oa.version_id = ?1 "
                          "AND oa.record_id = nb.record_id WHERE nb.version_id = ?2 "
                          "AND oa.content_hash <> nb.content_hash ORDER BY nb.row", a.id, b.id, &delta->modified, error)
        && !cancelled() && collectIds(db, "SELECT nb.record_id FROM record nb JOIN record oa ON oa.version_id = ?1 "
                          "AND oa.record_id = nb.record_id WHERE nb.version_id = ?2 "
                          "AND oa.content_hash = nb.content_hash AND oa.label IS NOT nb.label ORDER BY nb.row",
                      a.id, b.id, &delta->relabelled, error);
    if (!ok || cancelled())
        return false;
    QHash<QString, QString> removedByNormalForm;
    for (const QString &id : std::as_const(delta->removed))
        if (!isAscii(id))
            removedByNormalForm.insert(id.normalized(QString::NormalizationForm_C), id);
    if (!removedByNormalForm.isEmpty())
        for (const QString &id : std::as_const(delta->added))
            if (!isAscii(id))
                if (const auto it = removedByNormalForm.constFind(id.normalized(QString::NormalizationForm_C)); it != removedByNormalForm.constEnd())
                    delta->normalisationTwins.append({it.value(), id});

    // Identical content under different ids inside B: walk the content index, group neighbours.
    Statement dup(db, "SELECT r.content_hash, r.record_id, r.label FROM record r JOIN "
                      "(SELECT content_hash FROM record WHERE version_id = ?1 GROUP BY content_hash "
                      "HAVING count(*) > 1) d ON d.content_hash = r.content_hash "
                      "WHERE r.version_id = ?1 ORDER BY r.content_hash, r.row");
    dup.bind(1, b.id);
    QByteArray current;
    while (dup.step()) {
        const QByteArray hash = dup.columnBlob(0);
        if (hash != current || delta->duplicates.isEmpty()) {
            delta->duplicates.append(DuplicateGroup());
            current = hash;
        }
        DuplicateGroup &g = delta->duplicates.last();
        g.ids.append(dup.columnText(1));
        g.labels.append(dup.columnText(2));
        if (g.labels.size() > 1 && g.labels.last() != g.labels.first())
            g.conflictingLabels = true;
        if ((delta->duplicates.size() & 1023) == 0 && cancelled())
            return false;
    }
    if (dup.failed()) {
        *error = dup.error();
        return false;
    }
    return true;
}

} // namespace custody
