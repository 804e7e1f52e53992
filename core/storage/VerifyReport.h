#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace custody {

// What verify found: each problem names its subject. Filled by the storage checks (objects, records, digests)
// and by the ledger's (ledger/LedgerVerifier.h); workflow/Verifier.h runs both.
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

} // namespace custody
