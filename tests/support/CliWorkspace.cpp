#include "CliWorkspace.h"

namespace custody::test {

namespace {
QString failure(const QStringList &args, const CliResult &r)
{
    return QStringLiteral("custody-cli %1 exited %2: %3").arg(args.value(0)).arg(r.exitCode).arg(QString::fromUtf8(r.err));
}
} // namespace

CliWorkspace::CliWorkspace() : m_env(QProcessEnvironment::systemEnvironment())
{
    for (const char *name : {"data", "config", "state"})
        m_env.insert(QStringLiteral("XDG_%1_HOME").arg(QString::fromLatin1(name).toUpper()), m_dir.filePath(QLatin1String(name)));
}

bool CliWorkspace::init(QString *error)
{
    const QStringList a{QStringLiteral("init"), path()};
    const CliResult r = run(a);
    if (r.exitCode != 0)
        *error = failure(a, r);
    return r.exitCode == 0;
}

bool CliWorkspace::initSigned(QString *error)
{
    if (!writeFile(filePath(QStringLiteral("pass")), "correct horse battery staple\n")) {
        *error = QStringLiteral("cannot write the passphrase file");
        return false;
    }
    const QString pass = filePath(QStringLiteral("pass"));
    QList<QStringList> steps;
    for (const char *who : {"admin", "cora"})
        steps.append({QStringLiteral("key"), QStringLiteral("create"), QLatin1String(who), QStringLiteral("--passphrase-file"), pass});
    steps.append({QStringLiteral("init"), path(), QStringLiteral("--admin"), QStringLiteral("admin"), QStringLiteral("--passphrase-file"), pass});
    for (const QStringList &a : steps) {
        if (const CliResult r = run(a); r.exitCode != 0) {
            *error = failure(a, r);
            return false;
        }
    }
    const CliResult pub = run({QStringLiteral("key"), QStringLiteral("export-public"), QStringLiteral("cora")});
    const QString pubFile = filePath(QStringLiteral("cora.pub"));
    const QStringList add = signedArgs(QStringLiteral("admin"), QStringLiteral("principal"),
                                       {QStringLiteral("add"), QStringLiteral("cora"), pubFile, QStringLiteral("--roles"), QStringLiteral("curator")});
    if (!writeFile(pubFile, pub.out)) {
        *error = QStringLiteral("cannot write cora's public key");
        return false;
    }
    const CliResult r = run(add);
    if (r.exitCode != 0)
        *error = failure(add, r);
    return r.exitCode == 0;
}

bool CliWorkspace::ingestCsv(const QString &dataset, const QString &label, const QByteArray &csv, QString *error,
                             const QString &as, const QStringList &extra)
{
    const QString file = filePath(dataset + QLatin1Char('-') + label + QStringLiteral(".csv"));
    if (!writeFile(file, csv)) {
        *error = QStringLiteral("cannot write %1").arg(file);
        return false;
    }
    const QStringList rest = QStringList{QStringLiteral("--dataset"), dataset, QStringLiteral("--version"), label,
                                         QStringLiteral("--id-column"), QStringLiteral("id"), QStringLiteral("--label-column"),
                                         QStringLiteral("label")}
        + extra + QStringList{file};
    const QStringList a = as.isEmpty() ? args(QStringLiteral("ingest"), rest) : signedArgs(as, QStringLiteral("ingest"), rest);
    const CliResult r = run(a);
    if (r.exitCode != 0)
        *error = failure(a, r);
    return r.exitCode == 0;
}

QStringList CliWorkspace::args(const QString &command, const QStringList &rest) const
{
    return QStringList{command, QStringLiteral("-w"), path()} + rest;
}

QStringList CliWorkspace::signedArgs(const QString &who, const QString &command, const QStringList &rest) const
{
    return QStringList{command, QStringLiteral("-w"), path(), QStringLiteral("--as"), who, QStringLiteral("--passphrase-file"),
                       filePath(QStringLiteral("pass"))}
        + rest;
}

} // namespace custody::test
