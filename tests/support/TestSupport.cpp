#include "TestSupport.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QProcess>

namespace custody::test {

QString dataPath(const QString &relative)
{
    return QStringLiteral(CUSTODY_TEST_DATA "/") + relative;
}

QString cliPath()
{
    return QStringLiteral(CUSTODY_CLI_PATH);
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

bool writePng(const QString &path, int w, int h, int seed)
{
    QDir().mkpath(QFileInfo(path).path());
    QImage image(w, h, QImage::Format_Grayscale8);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            image.scanLine(y)[x] = uchar((x * 7 + y * 13 + seed * 31) & 0xff);
    return image.save(path, "PNG");
}

QStringList objectFiles(const QString &workspaceDir)
{
    QStringList out;
    const QString root = workspaceDir + QStringLiteral("/objects");
    QDirIterator it(root, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        out.append(QDir(root).relativeFilePath(it.next()));
    out.sort();
    return out;
}

CliResult runCli(const QStringList &args)
{
    return runCli(args, QProcessEnvironment::systemEnvironment());
}

CliResult runCli(const QStringList &args, const QProcessEnvironment &environment)
{
    QProcess p;
    p.setProcessEnvironment(environment);
    p.setInputChannelMode(QProcess::ForwardedInputChannel);
    p.setStandardInputFile(QProcess::nullDevice());
    p.start(cliPath(), args);
    p.waitForFinished(120000);
    return CliResult{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
                     p.readAllStandardError()};
}

} // namespace custody::test
