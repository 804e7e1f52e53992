// Each rule both front ends apply is one piece of core code: these tests drive a rule through custody-cli and
// through the desktop page on the same workspace and check that they agree.
#include "GuiSigning.h"
#include "GuiTestHelpers.h"
#include "TestSupport.h"
#include "WorkspaceFixture.h"
#include "drift/DriftPage.h"
#include "findings/FindingsPage.h"
#include "findings/ScanBar.h"
#include "findings/review/ReviewHistory.h"
#include "findings/review/ReviewSigner.h"
#include "identity/KeyStore.h"
#include "session/WorkspaceSession.h"
#include "shell/MainWindow.h"
#include "versions/VersionsPage.h"
#include "ledger/Ledger.h"
#include "storage/Workspace.h"
#include "workflow/OpenWorkspace.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace custody;
using namespace custody::test;

namespace {

// Numbered records whose x the batch shifts, so a drift run has something to find.
QList<CsvRecord> shifted(int count, double shift, int firstNumber)
{
    QList<CsvRecord> out = numberedRecords(count, firstNumber);
    for (CsvRecord &r : out)
        r.x += shift;
    return out;
}

QList<QJsonObject> scanEvents(const QString &dir, const QString &kind)
{
    QString e;
    const auto ws = openWorkspace(dir, &e, Workspace::Access::ReadOnly);
    QList<QJsonObject> out;
    if (!ws)
        return out;
    Ledger(*ws).forEach([&](const LedgerEvent &event) {
        if (event.type == QLatin1String("scan.recorded") && event.body().value(QStringLiteral("kind")).toString() == kind)
            out.append(event.body());
        return true;
    }, &e);
    return out;
}

} // namespace

class TestFrontEndsAgree : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<WorkspaceFixture> m_fixture;
    qint64 m_v1 = 0, m_v2 = 0, m_loose = 0, m_other = 0;

    bool open(MainWindow &w)
    {
        w.resize(1280, 800);
        w.show();
        return QTest::qWaitForWindowExposed(&w) && w.openWorkspace(m_fixture->path());
    }

    // The baseline custody-cli scan picks for NAME@LABEL when none is named ("" for none).
    QString cliScanBaseline(const QString &version)
    {
        const auto r = runCli({QStringLiteral("scan"), QStringLiteral("-w"), m_fixture->path(), version,
                               QStringLiteral("--json"), QStringLiteral("--no-record"),
                               QStringLiteral("--detectors"), QStringLiteral("delta,duplicates")});
        const QJsonObject json = QJsonDocument::fromJson(r.out).object();
        if (json.isEmpty())
            qWarning("custody-cli scan: %s", r.err.constData());
        return json.value(QStringLiteral("baseline")).toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        isolateSettings();
        QCoreApplication::setApplicationName(QStringLiteral("CustodyGuiTests-TestFrontEndsAgree"));
        QSettings().clear();
        m_fixture = std::make_unique<WorkspaceFixture>();
        QVERIFY2(m_fixture->isValid(), qPrintable(m_fixture->error()));
        m_v1 = m_fixture->ingestCsv(QStringLiteral("t"), QStringLiteral("v1"), numberedRecords(400));
        m_v2 = m_fixture->ingestCsv(QStringLiteral("t"), QStringLiteral("v2"), shifted(400, 50.0, 1000), QStringLiteral("v1"));
        // Made after v2 in the same dataset but with no parent; and a version of another dataset.
        m_loose = m_fixture->ingestCsv(QStringLiteral("t"), QStringLiteral("loose"), numberedRecords(300, 5000));
        m_other = m_fixture->ingestCsv(QStringLiteral("u"), QStringLiteral("v1"), numberedRecords(300, 9000));
        QVERIFY2(m_v1 && m_v2 && m_loose && m_other, qPrintable(m_fixture->error()));
        m_fixture->release();
    }

    // The default baseline is the parent, or none: never the previous version, never another dataset's.
    void defaultBaselineIsTheSameRule()
    {
        QCOMPARE(cliScanBaseline(QStringLiteral("t@v2")), QStringLiteral("t@v1"));
        QCOMPARE(cliScanBaseline(QStringLiteral("t@loose")), QString());
        QCOMPARE(cliScanBaseline(QStringLiteral("u@v1")), QString());

        MainWindow w;
        QVERIFY(open(w));
        ScanBar *bar = w.page<FindingsPage>()->scanBar();
        const auto pageBaseline = [&](qint64 version) -> QString {
            if (!bar->selectVersion(version))
                return QStringLiteral("(not selectable)");
            const auto v = w.session()->findVersion(bar->baselineId());
            return v ? v->ref.toString() : QString();
        };
        QCOMPARE(pageBaseline(m_v2), QStringLiteral("t@v1"));
        QCOMPARE(pageBaseline(m_loose), QString());
        QCOMPARE(pageBaseline(m_other), QString());

        // The drift dashboard proposes the same baseline, and none for a version without a parent.
        w.page<VersionsPage>()->selectVersion(m_v2);
        QTest::keySequence(&w, QKeySequence(Qt::CTRL | Qt::Key_5));
        QCOMPARE(w.pages()->currentWidget(), w.page<DriftPage>());
        QCOMPARE(w.page<DriftPage>()->baselineId(), m_v1);
        w.page<DriftPage>()->chooseWithParent(m_loose);
        QCOMPARE(w.page<DriftPage>()->baselineId(), qint64(0));
        QCOMPARE(w.page<DriftPage>()->batchId(), m_loose);
        QVERIFY(!w.findChild<QPushButton *>(QStringLiteral("driftRunButton"))->isEnabled());
    }

    // A drift run is recorded whichever front end runs it, with the same event body. The dashboard always tests
    // inside every class too (its class views need it), which is the command line's --by-class.
    void driftRunIsRecordedByBoth()
    {
        const auto cli = runCli({QStringLiteral("drift"), QStringLiteral("-w"), m_fixture->path(), QStringLiteral("t@v1"),
                                 QStringLiteral("t@v2"), QStringLiteral("--by-class")});
        QVERIFY2(cli.exitCode == 0, cli.err.constData());
        QList<QJsonObject> events = scanEvents(m_fixture->path(), QStringLiteral("drift"));
        QCOMPARE(events.size(), 1);
        const QJsonObject fromCli = events.constFirst();

        MainWindow w;
        QVERIFY(open(w));
        w.page<VersionsPage>()->selectVersion(m_v2);
        QTest::keySequence(&w, QKeySequence(Qt::CTRL | Qt::Key_5));
        DriftPage *page = w.page<DriftPage>();
        QCOMPARE(page->baselineId(), m_v1);
        QSignalSpy recorded(page, &DriftPage::runRecorded);
        QTest::mouseClick(w.findChild<QPushButton *>(QStringLiteral("driftRunButton")), Qt::LeftButton);
        QVERIFY(recorded.wait(30000));
        QVERIFY(page->recordedEvent() > 0);
        QVERIFY2(page->verdictLabel()->text().contains(QStringLiteral("Recorded as ledger event %1").arg(page->recordedEvent())),
                 qPrintable(page->verdictLabel()->text()));

        events = scanEvents(m_fixture->path(), QStringLiteral("drift"));
        QCOMPARE(events.size(), 2);
        QCOMPARE(events.constLast(), fromCli); // version, baseline, kind, options and result digest alike
        QCOMPARE(fromCli.value(QStringLiteral("baseline")).toString(), QStringLiteral("t@v1"));
        QCOMPARE(fromCli.value(QStringLiteral("result_digest")).toString().size(), 64);
    }

    // A decision is the same signed event whether custody-cli decide or the desktop's review history takes it
    // (both go through SignOff::decideAll).
    void decisionIsTheSameEventFromBoth()
    {
        TestKeys keys;
        QString error;
        QVERIFY2(addTeam(keys, {QStringLiteral("cora")}, &error), qPrintable(error));
        WorkspaceFixture fixture;
        QVERIFY2(buildSignedWorkspace(fixture, keys, &error), qPrintable(error));
        fixture.release();
        // custody-cli reads cora's key from the test's key store ($XDG_DATA_HOME/custody/keys).
        const CliHome home(keys);
        QVERIFY(home.isValid());
        const auto cli = runCli({QStringLiteral("decide"), QStringLiteral("-w"), fixture.path(), QStringLiteral("--as"),
                                 QStringLiteral("cora"), QStringLiteral("--passphrase-file"), home.passphraseFile(),
                                 QStringLiteral("animals@v2"), QStringLiteral("r104"), QStringLiteral("relabel:fox"),
                                 QStringLiteral("--note"), QStringLiteral("stamped")}, home.environment());
        QVERIFY2(cli.exitCode == 0, cli.err.constData());

        auto ws = openWorkspace(fixture.path(), &error);
        QVERIFY2(ws, qPrintable(error));
        ReviewSigner signer;
        signer.setWorkspacePath(fixture.path());
        std::optional<SigningKey> cora = KeyStore(keys.directory()).load(QStringLiteral("cora"), kPassphrase, &error);
        QVERIFY2(cora, qPrintable(error));
        signer.setKey(std::make_shared<const SigningKey>(std::move(*cora)));
        ReviewHistory history(&signer);
        const VersionRef batch{QStringLiteral("animals"), QStringLiteral("v2")};
        history.setBatch(ws.get(), batch);
        QSignalSpy changed(&history, &ReviewHistory::decisionsChanged);
        QString why;
        QVERIFY2(history.decide({ReviewTarget{105, QStringLiteral("r105"), std::nullopt}}, QStringLiteral("relabel"),
                                QStringLiteral("fox"), QStringLiteral("stamped"), &why),
                 qPrintable(why));
        QVERIFY(changed.wait(kSigningTimeoutMs));

        QList<LedgerEvent> decisions;
        Ledger(*ws).forEach([&](const LedgerEvent &e) {
            if (e.type == QLatin1String("decision.made"))
                decisions.append(e);
            return true;
        }, &error);
        QVERIFY(decisions.size() >= 2);
        const LedgerEvent fromCli = decisions[decisions.size() - 2], fromPage = decisions.last();
        QCOMPARE(fromCli.actor, keys.key(QStringLiteral("cora")).keyId());
        QCOMPARE(fromPage.actor, fromCli.actor);
        QVERIFY(fromCli.isSigned() && fromPage.isSigned());
        QJsonObject a = fromCli.body(), b = fromPage.body();
        QCOMPARE(a.take(QStringLiteral("record")).toString(), QStringLiteral("r104"));
        QCOMPARE(b.take(QStringLiteral("record")).toString(), QStringLiteral("r105"));
        QCOMPARE(a, b); // version, action, label and note alike
        QCOMPARE(a.value(QStringLiteral("label")).toString(), QStringLiteral("fox"));
    }
};

QTEST_MAIN(TestFrontEndsAgree)
#include "TestFrontEndsAgree.moc"
