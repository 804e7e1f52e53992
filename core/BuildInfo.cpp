#include "BuildInfo.h"

#include <Eigen/Core>
#include <openssl/crypto.h>
#include <sqlite3.h>

#include <QtGlobal>

namespace custody {

QString custodyVersion()
{
    return QStringLiteral(CUSTODY_VERSION);
}

QList<LibraryVersion> libraryVersions()
{
    return {
        {QStringLiteral("Qt"), QString::fromLatin1(qVersion())},
        {QStringLiteral("SQLite"), QString::fromLatin1(sqlite3_libversion())},
        {QStringLiteral("OpenSSL"), QString::fromLatin1(OpenSSL_version(OPENSSL_VERSION))},
        {QStringLiteral("Eigen"), QStringLiteral("%1.%2.%3")
                                      .arg(EIGEN_WORLD_VERSION)
                                      .arg(EIGEN_MAJOR_VERSION)
                                      .arg(EIGEN_MINOR_VERSION)},
    };
}

} // namespace custody
