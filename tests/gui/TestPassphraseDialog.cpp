#include "GuiSigning.h"
#include "identity/PassphraseDialog.h"

#include <QLabel>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace custody;
using namespace custody::test;

// The dialog every signing step goes through: the key is opened off the GUI thread, a wrong passphrase is
// said inside the dialog, and the step runs only with the right one.
class TestPassphraseDialog : public QObject
{
    Q_OBJECT

private:
    TestKeys m_keys;

private Q_SLOTS:
    void initTestCase()
    {
        isolateSettingsFor("TestPassphraseDialog");
        QString error;
        QVERIFY2(m_keys.add(QStringLiteral("ada"), true, &error), qPrintable(error));
    }

    void wrongPassphraseIsShownInlineThenTheRightOneSigns()
    {
        auto ran = std::make_shared<std::atomic_int>(0);
        auto onGuiThread = std::make_shared<std::atomic_bool>(true);
        auto keyId = std::make_shared<QString>();
        QThread *gui = QThread::currentThread();
        PassphraseDialog dialog(m_keys.directory(), QStringLiteral("ada"), m_keys.key(QStringLiteral("ada")).keyId(),
                                QStringLiteral("Approve fashion@v2 as ada"), [=](const SigningKey &key) {
                                    ++*ran;
                                    *onGuiThread = QThread::currentThread() == gui;
                                    *keyId = key.keyId();
                                    return QString();
                                });
        QSignalSpy succeeded(&dialog, &PassphraseDialog::succeeded);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QCOMPARE(dialog.findChild<QLabel *>(QStringLiteral("passphraseDescription"))->text(), QStringLiteral("Approve fashion@v2 as ada"));
        auto *field = dialog.findChild<QLineEdit *>(QStringLiteral("passphraseField"));
        QCOMPARE(field->echoMode(), QLineEdit::Password);
        auto *sign = dialog.findChild<QPushButton *>(QStringLiteral("passphraseSignButton"));
        QVERIFY(!sign->isEnabled());

        QTest::keyClicks(field, QStringLiteral("correct horse battery stapler"));
        QTest::mouseClick(sign, Qt::LeftButton);
        QVERIFY(dialog.isBusy());
        QVERIFY(field->text().isEmpty()); // the secret left the field at once
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isBusy(), kSigningTimeoutMs);
        QVERIFY2(dialog.errorText().contains(QLatin1String("wrong passphrase for key 'ada'")), qPrintable(dialog.errorText()));
        QVERIFY(dialog.isVisible());
        QCOMPARE(ran->load(), 0);
        QCOMPARE(succeeded.size(), 0);

        QTest::keyClicks(field, QString::fromLatin1(kPassphrase));
        QTest::keyClick(field, Qt::Key_Return);
        QVERIFY(succeeded.wait(kSigningTimeoutMs));
        QCOMPARE(ran->load(), 1);
        QVERIFY(!onGuiThread->load());
        QCOMPARE(*keyId, m_keys.key(QStringLiteral("ada")).keyId());
        QVERIFY(!dialog.isVisible());
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
    }

    void aFailedStepClosesTheDialogWithTheCoreMessage()
    {
        PassphraseDialog dialog(m_keys.directory(), QStringLiteral("ada"), m_keys.key(QStringLiteral("ada")).keyId(),
                                QStringLiteral("Approve fashion@v2 as ada"), [](const SigningKey &) {
                                    return QStringLiteral("refused by rule 'no-self-approval': you submitted fashion@v2");
                                });
        QSignalSpy failed(&dialog, &PassphraseDialog::failed);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QTest::keyClicks(dialog.findChild<QLineEdit *>(QStringLiteral("passphraseField")), QString::fromLatin1(kPassphrase));
        QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("passphraseSignButton")), Qt::LeftButton);
        // Cancel does nothing while the step runs: it cannot be taken back half-way.
        dialog.reject();
        QVERIFY(dialog.isVisible());
        QVERIFY(failed.wait(kSigningTimeoutMs));
        QVERIFY(failed.constFirst().constFirst().toString().contains(QLatin1String("no-self-approval")));
        QVERIFY(!dialog.isVisible());
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
    }

    void aMissingKeyIsSaidInline()
    {
        PassphraseDialog dialog(m_keys.directory(), QStringLiteral("nobody"), QString(), QStringLiteral("Sign"),
                                [](const SigningKey &) { return QString(); });
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QTest::keyClicks(dialog.findChild<QLineEdit *>(QStringLiteral("passphraseField")), QStringLiteral("anything"));
        QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("passphraseSignButton")), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.errorText().isEmpty(), kSigningTimeoutMs);
        QVERIFY(dialog.isVisible());
    }
};

QTEST_MAIN(TestPassphraseDialog)
#include "TestPassphraseDialog.moc"
