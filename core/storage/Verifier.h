#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>

namespace custody {

class Workspace;

struct VerifyOptions
{
    QString checkpointFile; // an exported signed checkpoint the ledger must extend
};

struct VerifyProblem
{
    QString subject; // "object 3fa4…", "fashion@v2", "fashion@v2 record '17'"
    QString message;
};

struct VerifyReport
{
    QList<VerifyProblem> problems;
    QStringList warnings; // not integrity failures (e.g. unreferenced object files)
    qint64 objectsChecked = 0;
    qint64 versionsChecked = 0;
    qint64 recordsChecked = 0;
    qint64 eventsChecked = 0;
    qint64 signedEvents = 0;

    bool ok() const { return problems.isEmpty(); }
    QJsonObject toJson() const;
};

// Recomputes every object hash, every record hash, every Merkle root, manifest hash and version digest from
// the stored bytes and names each mismatch. Reads only; safe on a read-only workspace.
class Verifier
{
public:
    using Progress = std::function<void(qint64 done, qint64 total)>;
    static bool run(Workspace &workspace, VerifyReport *report, QString *error, const Progress &progress = {},
                    const std::atomic_bool *cancel = nullptr, const VerifyOptions &options = {});
};

} // namespace custody
