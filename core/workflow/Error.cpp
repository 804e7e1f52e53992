#include "workflow/Error.h"
#include "job/Cancel.h"

#include "ledger/Policy.h"

namespace custody {

Error Error::refused(const Refusal &refusal)
{
    return Error{Kind::Refused, refusal.toString(), refusal.rule};
}

Error Error::fromStep(const QString &message, const Refusal &refusal)
{
    return refusal.rule.isEmpty() ? Error{Kind::Failed, message, {}} : refused(refusal);
}

Error Error::cancelled(const QString &what)
{
    return Error{Kind::Cancelled, cancelledMessage(what), {}};
}

} // namespace custody
