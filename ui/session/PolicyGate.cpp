#include "session/PolicyGate.h"

#include "identity/Identity.h"
#include "session/WorkspaceSession.h"
#include "ledger/Ledger.h"
#include "storage/Workspace.h"

namespace custody {

QString PolicyGate::preconditionMissing(WorkspaceSession *session, Identity *identity)
{
    if (!session->isOpen())
        return QObject::tr("Open a workspace first.");
    if (!session->integrityProblem().isEmpty())
        return QObject::tr("This workspace is read-only: %1").arg(session->integrityProblem());
    if (session->isReadOnly())
        return QObject::tr("This workspace is open read-only.");
    if (!identity->isSet())
        return QObject::tr("Set up or choose your identity first (Identity menu): every change is signed with your key.");
    return QString();
}

QString PolicyGate::whyNot(WorkspaceSession *session, Identity *identity, const QString &type, const QJsonObject &body)
{
    if (const QString missing = preconditionMissing(session, identity); !missing.isEmpty())
        return missing;
    Ledger ledger(*session->workspace());
    if (const auto refused = Policy::authorize(ledger.state(), type, body, identity->keyId()))
        return describe(*refused);
    return QString();
}

QString PolicyGate::describe(const Refusal &refusal)
{
    QString message = refusal.message;
    // The core's sentence names the command line; in the desktop the way is a menu item.
    if (refusal.rule == QLatin1String("signed-workspace"))
        message = QObject::tr("this workspace is unsigned; make it signed first (Ledger ▸ Make Workspace Signed…)");
    return QObject::tr("Refused by rule '%1': %2").arg(refusal.rule, message);
}

} // namespace custody
