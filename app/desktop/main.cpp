// custody: the desktop application. Only argument parsing here; the window and its pages live in ui/.
#include "BuildInfo.h"
#include "demo/DemoWorkspace.h"
#include "storage/Workspace.h"
#include "identity/Identity.h"
#include "shell/MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QSettings>
#include <QTimer>

#include <cstdio>

int main(int argc, char *argv[])
{
    QApplication::setOrganizationName(QStringLiteral("Custody"));
    QApplication::setOrganizationDomain(QStringLiteral("custody.org"));
    QApplication::setApplicationName(QStringLiteral("Custody"));
    QApplication::setApplicationVersion(custody::custodyVersion());

    // Parsed before QApplication exists, so --help, --version and usage errors work without a display.
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Keeps machine-learning training data trustworthy: content-hashed, immutable dataset versions."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demo(QStringLiteral("demo"),
                                  QStringLiteral("Open the demo workspace (Fashion-MNIST with planted poison), "
                                                 "building it first when it does not exist."));
    parser.addOption(demo);
    parser.addPositionalArgument(QStringLiteral("workspace"), QStringLiteral("The workspace folder to open."),
                                 QStringLiteral("[WORKSPACE]"));
    // --help and --version are answered before QApplication exists, so they work without a display.
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    const QStringList informational = {QStringLiteral("-h"), QStringLiteral("--help"), QStringLiteral("-?"),
                                       QStringLiteral("--help-all"), QStringLiteral("-v"), QStringLiteral("--version")};
    for (const QString &argument : arguments.mid(1)) {
        if (informational.contains(argument)) {
            parser.parse(arguments);
            if (parser.isSet(QStringLiteral("version"))) {
                fputs(qPrintable(custody::versionReport(QStringLiteral("custody"))), stdout);
                return 0;
            }
            // Without an application object Qt cannot name the program; say it ourselves.
            fputs(qPrintable(parser.helpText().replace(QStringLiteral("<executable_name>"), QStringLiteral("custody"))),
                  stdout);
            return 0;
        }
    }

    QApplication app(argc, argv); // takes Qt's own options (-platform, -style, ...) out of the arguments
    parser.process(app);
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1 || (parser.isSet(demo) && !positional.isEmpty())) {
        fprintf(stderr, "custody: give one workspace folder, or --demo\n\n%s", qPrintable(parser.helpText()));
        return 2;
    }
    // Without its data the demo cannot be built: say which package brings it before any window opens.
    if (parser.isSet(demo) && !custody::Workspace::looksLikeWorkspace(custody::defaultDemoWorkspacePath())) {
        if (const QString missing = custody::missingDemoData(custody::DemoOptions()); !missing.isEmpty()) {
            fprintf(stderr, "custody: cannot build the demo workspace: %s\n", qPrintable(missing));
            return 1;
        }
    }
    QApplication::setDesktopFileName(QStringLiteral("org.custody.Custody"));
    QApplication::setWindowIcon(custody::MainWindow::applicationIcon());

    custody::MainWindow window;
    window.show();
    // Opened once the event loop runs, so the window paints first and a demo build runs beside it.
    if (parser.isSet(demo)) {
        QTimer::singleShot(0, &window, [&window] { window.openDemoWorkspace(); });
    } else if (!positional.isEmpty()) {
        const QString dir = positional.constFirst();
        QTimer::singleShot(0, &window, [&window, dir] { window.openWorkspace(dir); });
    }
    // First run: a person with no key yet is offered to create or import one, once; later the status bar
    // and the Identity menu keep offering it.
    QSettings settings;
    if (window.identity() && !window.identity()->isSet() && window.identity()->keys().isEmpty()
        && !settings.value(QStringLiteral("identity/offeredSetup")).toBool()) {
        settings.setValue(QStringLiteral("identity/offeredSetup"), true);
        QTimer::singleShot(0, &window, [&window] {
            if (QAction *setUp = window.findChild<QAction *>(QStringLiteral("action_new_identity")))
                setUp->trigger();
        });
    }
    return app.exec();
}
