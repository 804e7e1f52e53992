#include "storage/RecordPack.h"

#include "storage/ObjectStore.h"

namespace custody {

bool RecordPack::open(const ObjectStore &store, const QString &hash, QString *error)
{
    m_file.close();
    m_data = nullptr;
    m_size = -1;
    if (hash.isEmpty()) {
        *error = QStringLiteral("the version names no record pack (its pack_hash is empty)");
        return false;
    }
    if (!store.isRegularObject(hash, error))
        return false;
    m_file.setFileName(store.pathFor(hash));
    if (!m_file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("the record pack %1 cannot be read (%2)").arg(hash, m_file.errorString());
        return false;
    }
    m_size = m_file.size();
    if (m_size == 0)
        return true;
    m_data = reinterpret_cast<const char *>(m_file.map(0, m_size));
    if (!m_data) {
        *error = QStringLiteral("the record pack %1 cannot be mapped (%2)").arg(hash, m_file.errorString());
        m_size = -1;
        return false;
    }
    return true;
}

bool RecordPack::content(qint64 offset, qint64 length, std::string_view *out) const
{
    if (offset < 0 || length < 0 || m_size < 0 || offset > m_size || length > m_size - offset)
        return false;
    *out = std::string_view(m_data ? m_data + offset : "", size_t(length));
    return true;
}

} // namespace custody
