#pragma once

#include "TestSupport.h"

#include <QProcessEnvironment>
#include <QTemporaryDir>

namespace custody::test {

// A workspace made and used through custody-cli alone, in a home of its own (key store, remembered checkpoints,
// settings): for suites that run the command line as a pipeline or several people at once would.
class CliWorkspace
{
public:
    CliWorkspace();
    QString path() const { return m_dir.filePath(QStringLiteral("ws")); }
    QString filePath(const QString &name) const { return m_dir.filePath(name); }
    QProcessEnvironment environment() const { return m_env; }

    // An unsigned workspace.
    bool init(QString *error);
    // A signed workspace: keys "admin" (its admin) and "cora" (a curator) in the key store, one passphrase.
    bool initSigned(QString *error);
    // Writes `csv` and ingests it as DATASET@LABEL (signed by `as` when given).
    bool ingestCsv(const QString &dataset, const QString &label, const QByteArray &csv, QString *error,
                   const QString &as = {}, const QStringList &extra = {});

    // custody-cli COMMAND -w WS ARGS...
    QStringList args(const QString &command, const QStringList &rest = {}) const;
    // custody-cli COMMAND -w WS --as WHO --passphrase-file FILE ARGS...
    QStringList signedArgs(const QString &who, const QString &command, const QStringList &rest = {}) const;
    CliResult run(const QStringList &arguments) const { return runCli(arguments, m_env); }

private:
    QTemporaryDir m_dir;
    QProcessEnvironment m_env;
};

} // namespace custody::test
