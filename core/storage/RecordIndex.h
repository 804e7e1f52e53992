#pragma once

#include "hashing/Sha256.h"

#include <QByteArray>
#include <QString>

namespace custody {

class Workspace;
struct DatasetVersion;

// What each record of a version was when the version was made, kept as one of the version's stored files
// (role "record-index", so the manifest's files digest, and through it the version digest, binds it): per
// record in row order, the first 8 bytes of its Merkle leaf and of its label hash. When a version's records no
// longer match its Merkle root, verify uses it to name the records that changed and say what changed (a label
// rewritten with SQL, an id or an embedding). Written by ingest and release.
class RecordIndex
{
public:
    static constexpr const char *kRole = "record-index";
    static constexpr const char *kName = "records.index";

    static QByteArray header() { return QByteArrayLiteral("CUSTRIX1"); }
    // One record's entry, as add() appends it (for a writer that streams the index instead of keeping it).
    static QByteArray entry(const Digest &leaf, const Digest &label);

    void add(const Digest &leaf, const Digest &label);
    const QByteArray &bytes() const { return m_bytes; }
    qint64 size() const;

    // The index stored with `version`; false when it has none (made before indexes were kept) or it is
    // unreadable or malformed (*why says which).
    bool load(Workspace &workspace, const DatasetVersion &version, QString *why);
    bool leafMatches(qint64 row, const Digest &leaf) const { return matches(row, 0, leaf); }
    bool labelMatches(qint64 row, const Digest &label) const { return matches(row, 8, label); }

private:
    bool matches(qint64 row, int offset, const Digest &digest) const;
    QByteArray m_bytes = header();
};

} // namespace custody
