#pragma once

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace custody::test {

// Path of a file under tests/data, the reference vectors and fixtures copied into the repository.
QString dataPath(const QString &relative);
// Path of the built custody-cli, for tests that run the command line as a pipeline would.
QString cliPath();

// Writes `bytes` to `path` (creating folders); fails the calling test through QVERIFY-friendly bool.
bool writeFile(const QString &path, const QByteArray &bytes);
// A small grey PNG of w x h with a deterministic pattern seeded by `seed`.
bool writePng(const QString &path, int w, int h, int seed);
// Every object file and temporary file under DIR/objects, sorted: "nothing was left behind" checks.
QStringList objectFiles(const QString &workspaceDir);

struct CliResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};
// Runs custody-cli with `args` and no standard input, as a pipeline would.
CliResult runCli(const QStringList &args);
// The same with its own environment (another key store through XDG_DATA_HOME, say).
CliResult runCli(const QStringList &args, const QProcessEnvironment &environment);

} // namespace custody::test
