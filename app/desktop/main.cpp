// custody: the desktop application. Only argument parsing here; the window and its pages live in ui/.
#include "BuildInfo.h"
#include "MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Custody"));
    QApplication::setOrganizationDomain(QStringLiteral("custody.org"));
    QApplication::setApplicationName(QStringLiteral("Custody"));
    QApplication::setApplicationVersion(custody::custodyVersion());
    QApplication::setDesktopFileName(QStringLiteral("org.custody.Custody"));
    QApplication::setWindowIcon(custody::MainWindow::applicationIcon());

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
    parser.process(app);
    if (parser.positionalArguments().size() > 1 || (parser.isSet(demo) && !parser.positionalArguments().isEmpty())) {
        parser.showHelp(2);
    }

    custody::MainWindow window;
    window.show();
    // Opened once the event loop runs, so the window paints first and a demo build runs beside it.
    if (parser.isSet(demo)) {
        QTimer::singleShot(0, &window, [&window] { window.openDemoWorkspace(); });
    } else if (!parser.positionalArguments().isEmpty()) {
        const QString dir = parser.positionalArguments().constFirst();
        QTimer::singleShot(0, &window, [&window, dir] { window.openWorkspace(dir); });
    }
    return app.exec();
}
