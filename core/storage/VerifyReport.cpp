#include "storage/VerifyReport.h"

#include <QJsonArray>

namespace custody {

QJsonObject VerifyReport::toJson() const
{
    QJsonArray list;
    for (const VerifyProblem &p : problems)
        list.append(QJsonObject{{QStringLiteral("subject"), p.subject}, {QStringLiteral("problem"), p.message}});
    return QJsonObject{{QStringLiteral("ok"), ok()},
                       {QStringLiteral("problems"), list},
                       {QStringLiteral("warnings"), QJsonArray::fromStringList(warnings)},
                       {QStringLiteral("objects_checked"), objectsChecked},
                       {QStringLiteral("versions_checked"), versionsChecked},
                       {QStringLiteral("records_checked"), recordsChecked}};
}

} // namespace custody
