#pragma once

#include "hashing/Sha256.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>

namespace custody {

// The body of a ledger checkpoint in the C2SP tlog-checkpoint format (https://c2sp.org/tlog-checkpoint):
//
//   <origin>\n  <tree size, decimal>\n  <root hash, standard base64>\n  [<extension line>\n ...]
//
// signed as a SignedNote. The origin names the log (e.g. "custody.example/workspace/<id>"), so a signature
// for one workspace's ledger cannot be replayed as another's.
struct Checkpoint
{
    QString origin;
    uint64_t treeSize = 0;
    Digest rootHash{}; // RFC 6962 Merkle root (SHA-256)
    QStringList extraLines;

    // Origin and extension lines must be non-empty UTF-8 without control characters.
    bool validate(QString *error) const;
    QByteArray body() const; // only meaningful when validate() passes
    static std::optional<Checkpoint> parse(const QByteArray &body, QString *error);

    bool operator==(const Checkpoint &other) const = default;
};

} // namespace custody
