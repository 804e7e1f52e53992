#include "BuildInfo.h"

#include <Eigen/Core>
#include <openssl/crypto.h>
#include <sqlite3.h>

#include <QStringList>
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
        // The bare version ("3.0.19"); OPENSSL_VERSION would repeat the name and add a build date.
        {QStringLiteral("OpenSSL"), QString::fromLatin1(OpenSSL_version(OPENSSL_VERSION_STRING))},
        {QStringLiteral("Eigen"), QStringLiteral("%1.%2.%3")
                                      .arg(EIGEN_WORLD_VERSION)
                                      .arg(EIGEN_MAJOR_VERSION)
                                      .arg(EIGEN_MINOR_VERSION)},
    };
}

QString versionReport(const QString &program)
{
    QStringList libraries;
    for (const LibraryVersion &library : libraryVersions())
        libraries.append(library.name + QLatin1Char(' ') + library.version);
    return QStringLiteral("%1 %2\n%3\n").arg(program, custodyVersion(), libraries.join(QStringLiteral(", ")));
}

} // namespace custody
