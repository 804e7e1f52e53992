#include "GuiSigning.h"
#include "identity/Identity.h"
#include "identity/IdentityChooser.h"
#include "identity/IdentitySetupDialog.h"
#include "identity/IdentityStatus.h"
#include "shell/MainWindow.h"
#include "widgets/MessageBar.h"
#include "TestSupport.h"

#include <QAction>
#include <QListWidget>
#include <QRadioButton>
#include <QSettings>
#include <QTest>

using namespace custody;
using namespace custody::test;

// First-run identity setup and the chooser, through the window's Identity actions, with a temporary key store.
class TestIdentitySetupDialog : public QObject
{
    Q_OBJECT

private:
    static QAction *action(MainWindow &w, const char *name) { return w.findChild<QAction *>(QLatin1String(name)); }

    static void type(QWidget *dialog, const char *field, const QString &text)
    {
        auto *edit = dialog->findChild<QLineEdit *>(QLatin1String(field));
        QVERIFY(edit);
        edit->setFocus();
        edit->selectAll();
        QTest::keyClicks(edit, text);
    }

private Q_SLOTS:
    void initTestCase() { isolateSettingsFor("TestIdentitySetupDialog"); }

    void strengthHints()
    {
        QVERIFY(IdentitySetupDialog::strengthHint(QString()).contains(QLatin1String("four or more")));
        QVERIFY(IdentitySetupDialog::strengthHint(QStringLiteral("abc")).startsWith(QLatin1String("Too short")));
        QVERIFY(IdentitySetupDialog::strengthHint(QStringLiteral("password")).startsWith(QLatin1String("Weak")));
        QVERIFY(IdentitySetupDialog::strengthHint(QStringLiteral("tr0ub4dor&3")).startsWith(QLatin1String("Fair")));
        QVERIFY(IdentitySetupDialog::strengthHint(QString::fromLatin1(kPassphrase)).startsWith(QLatin1String("Strong")));
    }

    void firstRunCreatesAKeyThroughTheDialog()
    {
        QTemporaryDir keys;
        MainWindow w(keys.path());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(!w.identity()->isSet());
        auto *status = w.findChild<IdentityStatus *>(QStringLiteral("statusIdentity"));
        QVERIFY(status->text().contains(QLatin1String("No identity")));

        // With no key yet, choosing an identity starts the setup.
        action(w, "action_choose_identity")->trigger();
        auto *dialog = waitForTopLevel<IdentitySetupDialog>(QStringLiteral("identitySetupDialog"));
        QVERIFY(dialog);
        QCOMPARE(dialog->mode(), IdentitySetupDialog::Mode::Create);
        auto *ok = dialog->findChild<QPushButton *>(QStringLiteral("identityOkButton"));
        type(dialog, "identityName", QStringLiteral("ada"));
        type(dialog, "identityPassphrase", QString::fromLatin1(kPassphrase));
        type(dialog, "identityPassphraseRepeat", QStringLiteral("correct horse battery stapel"));
        QVERIFY(!ok->isEnabled()); // the two differ
        QVERIFY(dialog->findChild<QLabel *>(QStringLiteral("identityStrengthHint"))->text().contains(QLatin1String("differ")));
        type(dialog, "identityPassphraseRepeat", QString::fromLatin1(kPassphrase));
        QVERIFY(ok->isEnabled());
        QVERIFY(dialog->findChild<QLabel *>(QStringLiteral("identityStrengthHint"))->text().startsWith(QLatin1String("Strong")));
        QTest::mouseClick(ok, Qt::LeftButton);
        // scrypt runs on a worker; the dialog shows it is busy and cannot be cancelled half-way.
        QVERIFY(dialog->isBusy());
        QVERIFY(dialog->findChild<QWidget *>(QStringLiteral("identityBusy"))->isVisible());
        QVERIFY(dialog->findChild<QLineEdit *>(QStringLiteral("identityPassphrase"))->text().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(w.identity()->isSet(), kSigningTimeoutMs);

        QCOMPARE(w.identity()->keyName(), QStringLiteral("ada"));
        QCOMPARE(w.identity()->keyId().size(), 64);
        QVERIFY(QFile::exists(KeyStore(keys.path()).keyPath(QStringLiteral("ada"))));
        QCOMPARE(QSettings().value(QStringLiteral("identity/key")).toString(), QStringLiteral("ada"));
        QVERIFY(status->text().startsWith(QStringLiteral("ada · ") + w.identity()->shortKeyId()));
        QVERIFY(w.messageBar()->text().contains(QLatin1String("You sign as 'ada' now")));
        // The passphrase opens the key: nothing else was stored in its place.
        QString error;
        QVERIFY2(KeyStore(keys.path()).load(QStringLiteral("ada"), kPassphrase, &error), qPrintable(error));
        QTRY_VERIFY(!findTopLevel<IdentitySetupDialog>(QStringLiteral("identitySetupDialog")));
    }

    void importsAnExistingKeyAndShowsAWrongPassphraseInline()
    {
        QTemporaryDir keys;
        QString error;
        std::optional<SigningKey> key = SigningKey::generate(&error);
        QVERIFY(key);
        ScryptParams cheap;
        cheap.n = uint64_t(1) << 10;
        const QString pem = keys.filePath(QStringLiteral("mine.pem"));
        QVERIFY(writeFile(pem, EncryptedKeyFile::encrypt(*key, kPassphrase, &error, cheap)));
        Identity identity(keys.filePath(QStringLiteral("store")));
        IdentitySetupDialog dialog(&identity);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        dialog.findChild<QRadioButton *>(QStringLiteral("identityImportMode"))->click();
        QVERIFY(dialog.findChild<QLineEdit *>(QStringLiteral("identityKeyFile"))->isVisible());
        type(&dialog, "identityKeyFile", pem);
        type(&dialog, "identityName", QStringLiteral("cora"));
        type(&dialog, "identityPassphrase", QStringLiteral("not the passphrase"));
        type(&dialog, "identityPassphraseRepeat", QStringLiteral("not the passphrase"));
        QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("identityOkButton")), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isBusy() && !dialog.errorText().isEmpty(), kSigningTimeoutMs);
        QVERIFY2(dialog.errorText().contains(QLatin1String("wrong passphrase")), qPrintable(dialog.errorText()));
        QVERIFY(dialog.isVisible());
        QVERIFY(!identity.isSet());

        type(&dialog, "identityPassphrase", QString::fromLatin1(kPassphrase));
        type(&dialog, "identityPassphraseRepeat", QString::fromLatin1(kPassphrase));
        QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("identityOkButton")), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(identity.isSet(), kSigningTimeoutMs);
        QCOMPARE(identity.keyId(), key->keyId());
        QVERIFY(!dialog.isVisible());
    }

    void choosesAmongSeveralKeys()
    {
        TestKeys keys;
        QString error;
        QVERIFY(keys.add(QStringLiteral("ada"), true, &error));
        QVERIFY(keys.add(QStringLiteral("abe"), true, &error));
        QSettings().remove(QStringLiteral("identity/key"));
        MainWindow w(keys.directory());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.identity()->needsChoice());
        auto *status = w.findChild<IdentityStatus *>(QStringLiteral("statusIdentity"));
        QVERIFY(status->text().contains(QLatin1String("Choose your identity")));
        QTest::mouseClick(status, Qt::LeftButton);
        auto *chooser = waitForTopLevel<IdentityChooser>(QStringLiteral("identityChooser"));
        QVERIFY(chooser);
        QListWidget *list = chooser->keyList();
        QCOMPARE(list->count(), 2);
        QVERIFY(list->item(0)->text().startsWith(QLatin1String("abe"))); // sorted by name
        list->setCurrentRow(1);
        QTest::mouseClick(chooser->findChild<QPushButton *>(QStringLiteral("identityChooseButton")), Qt::LeftButton);
        QCOMPARE(w.identity()->keyName(), QStringLiteral("ada"));
        QCOMPARE(w.identity()->keyId(), keys.key(QStringLiteral("ada")).keyId());
        QVERIFY(status->text().startsWith(QStringLiteral("ada · ")));
        // Remembered for the next window.
        MainWindow again(keys.directory());
        QCOMPARE(again.identity()->keyName(), QStringLiteral("ada"));
    }
};

QTEST_MAIN(TestIdentitySetupDialog)
#include "TestIdentitySetupDialog.moc"
