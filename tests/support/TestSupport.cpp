#include "TestSupport.h"

namespace custody::test {

QString dataPath(const QString &relative)
{
    return QStringLiteral(CUSTODY_TEST_DATA "/") + relative;
}

QString cliPath()
{
    return QStringLiteral(CUSTODY_CLI_PATH);
}

} // namespace custody::test
