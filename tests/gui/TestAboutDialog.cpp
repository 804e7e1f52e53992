#include "shell/AboutDialog.h"
#include "GuiTestHelpers.h"
#include "shell/MainWindow.h"

#include <Eigen/Core>
#include <openssl/crypto.h>
#include <sqlite3.h>

#include <QAction>
#include <QClipboard>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QTest>
#include <QTreeWidget>

using namespace custody;
using namespace custody::test;

class TestAboutDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { isolateSettings(); }

    // custody --version answers before any window or display exists, with the same versions as the About box.
    void versionOptionNamesTheLibraries()
    {
        QProcess custody;
        custody.start(QStringLiteral(CUSTODY_DESKTOP_PATH), {QStringLiteral("--version")});
        QVERIFY(custody.waitForFinished(30000));
        QCOMPARE(custody.exitCode(), 0);
        const QList<QByteArray> lines = custody.readAllStandardOutput().trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines[0], QByteArray("custody " CUSTODY_VERSION));
        const QByteArray eigen = QByteArray::number(EIGEN_WORLD_VERSION) + '.' + QByteArray::number(EIGEN_MAJOR_VERSION)
            + '.' + QByteArray::number(EIGEN_MINOR_VERSION);
        QCOMPARE(lines[1], "Qt " + QByteArray(qVersion()) + ", SQLite " + QByteArray(sqlite3_libversion())
                               + ", OpenSSL " + QByteArray(OpenSSL_version(OPENSSL_VERSION_STRING)) + ", Eigen " + eigen);
    }

    void listsTheFourLibraryVersions()
    {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.findChild<QAction *>(QStringLiteral("action_about"))->trigger();
        auto *dialog = waitForTopLevel<AboutDialog>(QStringLiteral("aboutDialog"));
        QVERIFY(dialog);
        QCOMPARE(dialog->findChild<QLabel *>(QStringLiteral("aboutTitle"))->text(),
                 QStringLiteral("Custody " CUSTODY_VERSION));

        QTreeWidget *libraries = dialog->findChild<QTreeWidget *>(QStringLiteral("libraryVersions"));
        QVERIFY(libraries);
        QMap<QString, QString> versions;
        for (int i = 0; i < libraries->topLevelItemCount(); ++i)
            versions.insert(libraries->topLevelItem(i)->text(0), libraries->topLevelItem(i)->text(1));
        QCOMPARE(versions.size(), 4);
        QCOMPARE(versions.value(QStringLiteral("Qt")), QString::fromLatin1(qVersion()));
        QCOMPARE(versions.value(QStringLiteral("SQLite")), QString::fromLatin1(sqlite3_libversion()));
        QCOMPARE(versions.value(QStringLiteral("OpenSSL")), QString::fromLatin1(OpenSSL_version(OPENSSL_VERSION_STRING)));
        QVERIFY(versions.value(QStringLiteral("OpenSSL")).startsWith(QLatin1String("3.")));
        QCOMPARE(versions.value(QStringLiteral("Eigen")), QStringLiteral("%1.%2.%3")
                                                              .arg(EIGEN_WORLD_VERSION)
                                                              .arg(EIGEN_MAJOR_VERSION)
                                                              .arg(EIGEN_MINOR_VERSION));

        // "Copy versions" puts all of it on the clipboard for a bug report.
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("aboutCopyButton")), Qt::LeftButton);
        const QString copied = QApplication::clipboard()->text();
        for (const QString &name : versions.keys())
            QVERIFY2(copied.contains(name + QLatin1Char(' ') + versions.value(name)), qPrintable(copied));
        dialog->close();
    }
};

QTEST_MAIN(TestAboutDialog)
#include "TestAboutDialog.moc"
