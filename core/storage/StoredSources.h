#pragma once

#include <QHash>
#include <QString>
#include <QTemporaryDir>

namespace custody {

// Paths that read the copies an ingest stored instead of the files it was given: symbolic links, named like
// the originals (formats told by extension and messages naming a file keep working), to the stored objects.
// An ingest parses these, so a source rewritten while it is being read cannot give records that differ from
// the original the version keeps.
class StoredSources
{
public:
    bool add(const QString &original, const QString &objectPath, QString *error);
    // The link for `original`, or `original` itself when it was not stored (an image folder).
    QString path(const QString &original);
    // `message` with every link path replaced by the original it stands for, as path() was given it.
    QString originalNames(QString message) const;

private:
    QTemporaryDir m_dir;
    QHash<QString, QString> m_links; // absolute original -> link
    QHash<QString, QString> m_names; // link -> the original as a caller named it
};

} // namespace custody
