#pragma once

// Header-only on purpose: the shared test-support library links only the core, while these helpers need
// Qt Widgets, which every GUI test gets through custody_ui.

#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>
#include <QWidget>

namespace custody::test {

// Settings and recent lists of GUI tests go to a throw-away location, never the developer's own.
inline void isolateSettings()
{
    // One settings file per test executable: suites run side by side under ctest -j must not see each other's
    // recent workspaces or remembered identities.
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("CustodyTests"));
    QCoreApplication::setApplicationName(QStringLiteral("CustodyGuiTests-")
                                         + QFileInfo(QCoreApplication::applicationFilePath()).completeBaseName());
    QSettings().clear();
}

// The visible top-level widget of type T named `objectName` (a dialog an action opened), or null.
template<typename T>
T *findTopLevel(const QString &objectName)
{
    for (QWidget *w : QApplication::topLevelWidgets()) {
        if (auto *t = qobject_cast<T *>(w); t && t->objectName() == objectName && t->isVisible())
            return t;
    }
    return nullptr;
}

template<typename T>
T *waitForTopLevel(const QString &objectName, int timeoutMs = 5000)
{
    T *found = nullptr;
    if (!QTest::qWaitFor([&] { return (found = findTopLevel<T>(objectName)) != nullptr; }, timeoutMs))
        return nullptr;
    return found;
}

// Waits for the non-native file dialog named `objectName` that an action opened, chooses `path` in it and
// accepts it, as a person would after browsing to the folder.
inline bool chooseInFileDialog(const QString &objectName, const QString &path)
{
    QFileDialog *dialog = waitForTopLevel<QFileDialog>(objectName);
    if (!dialog)
        return false;
    const QFileInfo info(path);
    dialog->setDirectory(info.absolutePath());
    dialog->selectFile(info.absoluteFilePath());
    return QMetaObject::invokeMethod(dialog, "accept"); // the Open/Choose button
}

// Saves a picture of `widget` (for looking at the layout); false when it cannot be written.
inline bool saveScreenshot(QWidget *widget, const QString &path)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    return widget->grab().save(path);
}

} // namespace custody::test
