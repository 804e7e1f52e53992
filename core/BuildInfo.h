#pragma once

#include <QList>
#include <QString>

namespace custody {

// A library Custody is built on and the version in use, for the About dialog and bug reports.
struct LibraryVersion
{
    QString name;
    QString version;
};

QString custodyVersion();
// Qt (run time), SQLite (run time), OpenSSL (run time) and Eigen (compile time: header-only), in that order.
QList<LibraryVersion> libraryVersions();
// What `--version` prints: "<program> <version>" and one line naming each library and its version in use.
QString versionReport(const QString &program);

} // namespace custody
