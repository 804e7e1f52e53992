#include "storage/StoredSources.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace custody {

bool StoredSources::add(const QString &original, const QString &objectPath, QString *error)
{
    const QString key = QFileInfo(original).absoluteFilePath();
    if (m_links.contains(key))
        return true;
    // One folder per source: two sources may share a name.
    const QString folder = m_dir.filePath(QString::number(m_links.size()));
    const QString link = folder + QLatin1Char('/') + QFileInfo(original).fileName();
    if (!m_dir.isValid() || !QDir().mkpath(folder) || !QFile::link(QFileInfo(objectPath).absoluteFilePath(), link)) {
        *error = QStringLiteral("%1: cannot prepare the stored copy for reading (%2)")
                     .arg(original, m_dir.isValid() ? link : m_dir.errorString());
        return false;
    }
    m_links.insert(key, link);
    return true;
}

QString StoredSources::path(const QString &original)
{
    const auto it = m_links.constFind(QFileInfo(original).absoluteFilePath());
    if (it == m_links.constEnd())
        return original;
    m_names.insert(it.value(), original);
    return it.value();
}

QString StoredSources::originalNames(QString message) const
{
    for (auto it = m_links.constBegin(); it != m_links.constEnd(); ++it)
        message.replace(it.value(), m_names.value(it.value(), it.key()));
    return message;
}

} // namespace custody
