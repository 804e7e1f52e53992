#include "storage/RecordIndex.h"

#include "storage/Workspace.h"

#include <QFile>

#include <cstring>

namespace custody {

namespace {
constexpr qint64 kHeader = 8;
constexpr qint64 kEntry = 16;
} // namespace

QByteArray RecordIndex::entry(const Digest &leaf, const Digest &label)
{
    QByteArray e(reinterpret_cast<const char *>(leaf.data()), 8);
    e.append(reinterpret_cast<const char *>(label.data()), 8);
    return e;
}

void RecordIndex::add(const Digest &leaf, const Digest &label)
{
    m_bytes.append(entry(leaf, label));
}

qint64 RecordIndex::size() const
{
    return (m_bytes.size() - kHeader) / kEntry;
}

bool RecordIndex::matches(qint64 row, int offset, const Digest &digest) const
{
    if (row < 0 || row >= size())
        return false;
    return std::memcmp(m_bytes.constData() + kHeader + row * kEntry + offset, digest.data(), 8) == 0;
}

bool RecordIndex::load(Workspace &ws, const DatasetVersion &v, QString *why)
{
    QString error;
    QString hash;
    for (const VersionFile &f : ws.files(v.id, &error))
        if (f.role == QLatin1String(kRole))
            hash = f.objectHash;
    if (hash.isEmpty())
        return false;
    if (!ws.objects().isRegularObject(hash, why))
        return false;
    QFile file(ws.objects().pathFor(hash));
    // Never more than the header and one entry per record the version says it has.
    qint64 expected = 0;
    if (v.recordCount < 0 || __builtin_mul_overflow(v.recordCount, kEntry, &expected)
        || __builtin_add_overflow(expected, kHeader, &expected) || !file.open(QIODevice::ReadOnly) || file.size() != expected) {
        *why = QStringLiteral("its record index %1 is missing or not %2 bytes").arg(hash.left(12)).arg(expected);
        return false;
    }
    const QByteArray bytes = file.readAll();
    if (toHex(Sha256::of(std::string_view(bytes.constData(), size_t(bytes.size())))) != hash || !bytes.startsWith("CUSTRIX1")) {
        *why = QStringLiteral("its record index %1 does not match its hash").arg(hash.left(12));
        return false;
    }
    m_bytes = bytes;
    return true;
}

} // namespace custody
