#include "ledger/VersionTrust.h"

#include "ledger/CheckpointStore.h"
#include "ledger/Ledger.h"
#include "ledger/StateStore.h"
#include "storage/VersionCheck.h"
#include "storage/Workspace.h"

#include <algorithm>

namespace custody {

bool checkVersionAgainstLedger(Workspace &ws, StateStore &verified, const DatasetVersion &v, bool files,
                               QList<VerifyProblem> *problems, QString *error)
{
    const QString name = v.ref.toString();
    const auto recorded = verified.ingestedDigest(name);
    if (!recorded)
        problems->append(VerifyProblem{name, QStringLiteral("the signed ledger does not record this version")});
    else if (*recorded != toHex(v.digest))
        problems->append(VerifyProblem{name, QStringLiteral("its digest differs from the one its ledger event recorded")});
    VerifyReport report;
    if (!VersionCheck::run(ws, v, &report, error))
        return false;
    problems->append(report.problems);
    if (files) {
        for (const VersionFile &f : ws.files(v.id, error)) {
            QString why;
            if (!ws.objects().verify(f.objectHash, f.size, &why))
                problems->append(VerifyProblem{QStringLiteral("%1 file '%2'").arg(name, f.name), why});
        }
    }
    return true;
}

bool versionsHoldForWrite(Workspace &ws, Ledger &ledger, const QStringList &versions, bool files, QString *error,
                          Refusal *refusal)
{
    StateStore *verified = ledger.verifiedState(versions.value(0), error, refusal);
    if (!verified)
        return false;
    QList<VerifyProblem> problems;
    for (const QString &name : versions) {
        if (name.isEmpty())
            continue;
        const auto ref = VersionRef::parse(name);
        QString e;
        const auto v = ref ? ws.version(*ref, &e) : std::nullopt;
        // A version this workspace does not hold is the policy's to refuse (known-version), naming its rule.
        if (v && !checkVersionAgainstLedger(ws, *verified, *v, files, &problems, error))
            return false;
    }
    if (problems.isEmpty())
        return true;
    const Refusal r{QStringLiteral("verified-records"),
                    describeProblems(problems) + QStringLiteral("; nothing was signed. Run 'custody-cli verify'")};
    CheckpointStore().markNeedsVerify(ledger, CheckpointStore::locationOf(ws.path()), r.message);
    if (refusal)
        *refusal = r;
    *error = r.toString();
    return false;
}

QString describeProblems(const QList<VerifyProblem> &problems)
{
    if (problems.isEmpty())
        return QString();
    // A named record says more than "the Merkle root no longer matches".
    const auto named = std::find_if(problems.cbegin(), problems.cend(),
                                    [](const VerifyProblem &p) { return p.subject.contains(QLatin1String(" record '")); });
    const VerifyProblem &p = named != problems.cend() ? *named : problems.first();
    return QStringLiteral("%1: %2%3").arg(p.subject, p.message,
                                          problems.size() > 1 ? QStringLiteral(" (and %1 more problems)").arg(problems.size() - 1)
                                                              : QString());
}

} // namespace custody
