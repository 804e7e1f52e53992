#include "job/Cancel.h"

namespace custody {

QString cancelledMessage(const QString &what, const QString &consequence)
{
    QString message = what.isEmpty() ? QStringLiteral("cancelled") : what + QStringLiteral(" cancelled");
    if (!consequence.isEmpty())
        message += QStringLiteral("; ") + consequence;
    return message;
}

} // namespace custody
