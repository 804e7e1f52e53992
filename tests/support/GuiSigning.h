#pragma once

// Header-only, like GuiTestHelpers.h: GUI tests of the signed workflow (keys, a signed workspace built through
// the core, and driving the passphrase dialog the way a person types into it).

#include "GuiTestHelpers.h"
#include "WorkspaceFixture.h"
#include "identity/EncryptedKeyFile.h"
#include "identity/KeyStore.h"
#include "identity/SigningKey.h"
#include "ledger/SignOff.h"
#include "storage/Workspace.h"

#include <QDialog>
#include <QDir>
#include <QProcessEnvironment>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTemporaryDir>

#include <map>

namespace custody::test {

// isolateSettings(), with a settings file of the test's own: tests that run side by side (ctest -j) must not
// share recent lists or remembered identities.
inline void isolateSettingsFor(const char *testName)
{
    isolateSettings();
    QCoreApplication::setApplicationName(QStringLiteral("CustodyGuiTests-") + QLatin1String(testName));
    QSettings().clear();
}

inline const QByteArray kPassphrase = QByteArrayLiteral("correct horse battery staple");
// One Custody-strength scrypt takes about half a second, more on a loaded machine.
constexpr int kSigningTimeoutMs = 30000;

// The keys of the people in a test. Stored keys go into a temporary key store protected by kPassphrase (one
// Custody-strength scrypt each: make them once per test class); every private half also stays in memory so
// that set-up steps can be signed through the core directly.
class TestKeys
{
public:
    bool isValid() const { return m_dir.isValid(); }
    QString directory() const { return m_dir.filePath(QStringLiteral("keys")); }

    // `stored`: also put it in the key store, for people the UI signs as.
    bool add(const QString &name, bool stored, QString *error)
    {
        std::optional<SigningKey> key = SigningKey::generate(error);
        if (!key)
            return false;
        if (stored) {
            // Handed over with a cheap scrypt; importKey re-encrypts it with Custody's own parameters.
            ScryptParams cheap;
            cheap.n = uint64_t(1) << 10;
            const QByteArray pem = EncryptedKeyFile::encrypt(*key, kPassphrase, error, cheap);
            const QString file = m_dir.filePath(name + QStringLiteral(".handover.pem"));
            QFile f(file);
            if (pem.isEmpty() || !f.open(QIODevice::WriteOnly) || f.write(pem) != pem.size())
                return false;
            f.close();
            const bool imported = KeyStore(directory()).importKey(name, file, kPassphrase, error).has_value();
            QFile::remove(file);
            if (!imported)
                return false;
        }
        m_keys.emplace(name, std::move(*key));
        return true;
    }

    const SigningKey &key(const QString &name) const { return m_keys.at(name); }
    // A public key file as an admin receives it from a colleague.
    QString publicKeyFile(const QString &name) const
    {
        const QString path = m_dir.filePath(name + QStringLiteral(".pub.pem"));
        QFile f(path);
        if (f.open(QIODevice::WriteOnly))
            f.write(key(name).publicKeyPem());
        return path;
    }

private:
    QTemporaryDir m_dir;
    std::map<QString, SigningKey> m_keys;
};

// A home of its own for custody-cli run by a test: the key store `keys` as $XDG_DATA_HOME/custody/keys, its own
// remembered checkpoints, and a file holding kPassphrase for --passphrase-file.
class CliHome
{
public:
    explicit CliHome(const TestKeys &keys)
    {
        m_ok = QDir().mkpath(m_dir.filePath(QStringLiteral("data/custody")))
            && QFile::link(keys.directory(), m_dir.filePath(QStringLiteral("data/custody/keys")));
        QFile f(passphraseFile());
        m_ok = m_ok && f.open(QIODevice::WriteOnly) && f.write(kPassphrase + '\n') == kPassphrase.size() + 1;
    }
    bool isValid() const { return m_ok && m_dir.isValid(); }
    QString passphraseFile() const { return m_dir.filePath(QStringLiteral("passphrase")); }
    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("XDG_STATE_HOME"), m_dir.filePath(QStringLiteral("state")));
        return env;
    }

private:
    QTemporaryDir m_dir;
    bool m_ok = false;
};

// The people of the sign-off tests: root (admin), cora (curator), cole (curator and approver), ada and abe
// (approvers). The keys `stored` lists are in the key store.
inline bool addTeam(TestKeys &keys, const QStringList &stored, QString *error)
{
    for (const char *name : {"root", "cora", "cole", "ada", "abe"}) {
        const QString n = QLatin1String(name);
        if (!keys.add(n, stored.contains(n), error))
            return false;
    }
    return true;
}

// animals@v1 (100 records, ingested while the workspace was unsigned, then adopted), made signed by root with
// two approvals required; the team registered; animals@v2 ingested by cora (5 removed, 10 added, 2
// relabelled) with cora's decisions: r100 and r101 excluded, r102 kept, r103 relabelled 'fox'.
inline bool buildSignedWorkspace(WorkspaceFixture &f, const TestKeys &keys, QString *error)
{
    if (!f.isValid() || !f.ingestCsv(QStringLiteral("animals"), QStringLiteral("v1"), numberedRecords(100))) {
        *error = f.error();
        return false;
    }
    SignOff signOff(f.workspace());
    const auto add = [&](const char *name, QStringList roles) {
        return signOff.addPrincipal(keys.key(QStringLiteral("root")), QLatin1String(name), keys.key(QLatin1String(name)).publicKey(),
                                    roles, error);
    };
    if (!signOff.makeSigned(QStringLiteral("root"), keys.key(QStringLiteral("root")), 2, error)
        || !add("cora", {QStringLiteral("curator")}) || !add("cole", {QStringLiteral("curator"), QStringLiteral("approver")})
        || !add("ada", {QStringLiteral("approver")}) || !add("abe", {QStringLiteral("approver")}))
        return false;
    QList<CsvRecord> v2 = numberedRecords(100).mid(5) + numberedRecords(10, 100);
    v2[0].label = QStringLiteral("fox");
    v2[1].label = QStringLiteral("fox");
    f.setSigner(&keys.key(QStringLiteral("cora")));
    const bool ingested = f.ingestCsv(QStringLiteral("animals"), QStringLiteral("v2"), v2, QStringLiteral("v1")) != 0;
    f.setSigner(nullptr);
    if (!ingested) {
        *error = f.error();
        return false;
    }
    const VersionRef ref{QStringLiteral("animals"), QStringLiteral("v2")};
    const SigningKey &cora = keys.key(QStringLiteral("cora"));
    return signOff.decide(cora, ref, QStringLiteral("r100"), QStringLiteral("exclude"), {}, QStringLiteral("trigger patch"), error)
        && signOff.decide(cora, ref, QStringLiteral("r101"), QStringLiteral("exclude"), {}, {}, error)
        && signOff.decide(cora, ref, QStringLiteral("r102"), QStringLiteral("keep"), {}, {}, error)
        && signOff.decide(cora, ref, QStringLiteral("r103"), QStringLiteral("relabel"), QStringLiteral("fox"), {}, error);
}

// A signed step through the core, as another person (or the command line) would take it meanwhile.
inline bool signAs(WorkspaceFixture &f, const SigningKey &key, const QString &step, QString *error,
                   const QString &argument = {})
{
    SignOff signOff(f.workspace());
    const VersionRef ref{QStringLiteral("animals"), QStringLiteral("v2")};
    if (step == QLatin1String("submit"))
        return signOff.submit(key, ref, error);
    if (step == QLatin1String("approve"))
        return signOff.approve(key, ref, error);
    if (step == QLatin1String("veto"))
        return signOff.veto(key, ref, argument, error);
    ReleaseResult r;
    return signOff.release(key, ref, argument, &r, error);
}

// Waits for the save dialog named `objectName`, types `path` over the name it suggests and saves.
inline bool saveInFileDialog(const QString &objectName, const QString &path)
{
    auto *dialog = waitForTopLevel<QFileDialog>(objectName);
    if (!dialog)
        return false;
    const QFileInfo info(path);
    dialog->setDirectory(info.absolutePath());
    auto *name = dialog->findChild<QLineEdit *>(QStringLiteral("fileNameEdit"));
    if (!name)
        return false;
    name->setText(info.fileName());
    return QMetaObject::invokeMethod(dialog, "accept");
}

// Waits for the passphrase dialog, types `passphrase` into it and presses Sign, as a person would.
inline QDialog *typePassphrase(const QByteArray &passphrase)
{
    auto *dialog = waitForTopLevel<QDialog>(QStringLiteral("passphraseDialog"));
    if (!dialog)
        return nullptr;
    auto *field = dialog->findChild<QLineEdit *>(QStringLiteral("passphraseField"));
    auto *sign = dialog->findChild<QPushButton *>(QStringLiteral("passphraseSignButton"));
    if (!field || !sign)
        return nullptr;
    field->setFocus();
    QTest::keyClicks(field, QString::fromUtf8(passphrase));
    QTest::mouseClick(sign, Qt::LeftButton);
    return dialog;
}

} // namespace custody::test
