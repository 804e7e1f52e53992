#include "TestSupport.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace custody;
using test::runCli;

namespace {

const QByteArray kFakeLine = "\n#42 fake";
const QByteArray kEscape = "\x1b[2J\x1b]0;owned\x07";
const QByteArray kBidi = "\xe2\x80\xae"; // U+202E RIGHT-TO-LEFT OVERRIDE

// The first raw control character, C1 character or bidi override in `bytes` other than the line ends
// custody-cli writes itself; an empty string when there is none.
QString firstRawControl(const QByteArray &bytes)
{
    static const QRegularExpression bad(QStringLiteral("[\\x{0}-\\x{9}\\x{b}-\\x{1f}\\x{7f}-\\x{9f}\\x{2028}\\x{2029}"
                                                       "\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}]"));
    const QString text = QString::fromUtf8(bytes);
    const auto m = bad.match(text);
    if (!m.hasMatch())
        return {};
    return QStringLiteral("U+%1 at %2 in: %3").arg(uint(m.captured().at(0).unicode()), 4, 16, QLatin1Char('0'))
        .arg(m.capturedStart()).arg(text.mid(qMax(0, m.capturedStart() - 40), 80));
}

} // namespace

// Ids, labels, notes, provenance and names come from files and people: printed for a person, none of them may
// fake a line, move the cursor or reorder the text around it (issue 11, "Messages and concurrency").
class TestTerminalOutput : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QString m_ws;

    QString pass() const { return m_tmp.filePath(QStringLiteral("pass")); }
    QStringList as(const QString &who, const QString &command, const QStringList &rest) const
    {
        return QStringList{command, QStringLiteral("-w"), m_ws, QStringLiteral("--as"), who, QStringLiteral("--passphrase-file"), pass()} + rest;
    }
    static QByteArray csv(int first, int count, const QByteArray &extraId, const QByteArray &extraLabel)
    {
        QByteArray out = "id,label,\"x" + kEscape + "\",y\n";
        for (int i = first; i < first + count; ++i)
            out += "r" + QByteArray::number(i) + "," + (i % 2 ? "cat" : "dog") + "," + QByteArray::number(i * 7 % 13) + ","
                + QByteArray::number(i % 5) + "\n";
        out += "\"" + extraId + "\",\"" + extraLabel + "\",1,2\n";
        return out;
    }
    void expectClean(const QStringList &args)
    {
        const test::CliResult r = runCli(args);
        QVERIFY2(r.exitCode == 0 || r.exitCode == 1 || r.exitCode == 3,
                 qPrintable(args.join(QLatin1Char(' ')) + QStringLiteral(": ") + QString::fromUtf8(r.err)));
        QVERIFY2(!r.out.isEmpty(), qPrintable(args.first()));
        for (const QByteArray &stream : {r.out, r.err}) {
            const QString raw = firstRawControl(stream);
            QVERIFY2(raw.isEmpty(), qPrintable(args.first() + QStringLiteral(": raw ") + raw));
            QVERIFY2(!stream.contains(kFakeLine), qPrintable(args.first() + QStringLiteral(" printed a faked line")));
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        qputenv("XDG_DATA_HOME", m_tmp.filePath(QStringLiteral("data")).toLocal8Bit());
        qputenv("XDG_CONFIG_HOME", m_tmp.filePath(QStringLiteral("config")).toLocal8Bit());
        qputenv("XDG_STATE_HOME", m_tmp.filePath(QStringLiteral("state")).toLocal8Bit());
        m_ws = m_tmp.filePath(QStringLiteral("ws"));
        QVERIFY(test::writeFile(pass(), "correct horse battery staple\n"));
        for (const QString &who : {QStringLiteral("admin"), QStringLiteral("cora")}) {
            const auto r = runCli({QStringLiteral("key"), QStringLiteral("create"), who, QStringLiteral("--passphrase-file"), pass()});
            QVERIFY2(r.exitCode == 0, r.err.constData());
        }
        QVERIFY(test::writeFile(m_tmp.filePath(QStringLiteral("cora.pub")),
                                runCli({QStringLiteral("key"), QStringLiteral("export-public"), QStringLiteral("cora")}).out));
        QCOMPARE(runCli({QStringLiteral("init"), m_ws, QStringLiteral("--admin"), QStringLiteral("admin"), QStringLiteral("--passphrase-file"), pass()}).exitCode, 0);
        QCOMPARE(runCli(as(QStringLiteral("admin"), QStringLiteral("principal"),
                           {QStringLiteral("add"), QStringLiteral("cora"), m_tmp.filePath(QStringLiteral("cora.pub")), QStringLiteral("--roles"),
                            QStringLiteral("curator")})).exitCode, 0);

        // v1 and v2 share r0..r59; v2 adds an id carrying escape sequences and a label with a bidi override, and
        // a feature column whose name is an escape sequence reaches drift's table.
        QVERIFY(test::writeFile(m_tmp.filePath(QStringLiteral("v1.csv")), csv(0, 60, "one" + kFakeLine, "cat")));
        QVERIFY(test::writeFile(m_tmp.filePath(QStringLiteral("v2.csv")), csv(0, 60, "ev" + kEscape + "il", "c" + kBidi + "at")));
        for (const char *label : {"v1", "v2"}) {
            QStringList args = as(QStringLiteral("cora"), QStringLiteral("ingest"),
                                  {QStringLiteral("--dataset"), QStringLiteral("t"), QStringLiteral("--version"), QLatin1String(label),
                                   QStringLiteral("--id-column"), QStringLiteral("id"), QStringLiteral("--label-column"), QStringLiteral("label"),
                                   QStringLiteral("--note"), QString::fromUtf8("provenance" + kFakeLine + kEscape),
                                   QStringLiteral("--supplier"), QString::fromUtf8("evil" + kBidi + "corp"),
                                   m_tmp.filePath(QLatin1String(label) + QStringLiteral(".csv"))});
            if (QLatin1String(label) == QLatin1String("v2"))
                args << QStringLiteral("--parent") << QStringLiteral("v1");
            const auto r = runCli(args);
            QVERIFY2(r.exitCode == 0, r.err.constData());
        }
        // A relabel whose label and note each try to append a ledger line of their own.
        const auto decided = runCli(as(QStringLiteral("cora"), QStringLiteral("decide"),
                                       {QStringLiteral("t@v2"), QString::fromUtf8("ev" + kEscape + "il"),
                                        QString::fromUtf8("relabel:fox" + kFakeLine), QStringLiteral("--note"),
                                        QString::fromUtf8("why" + kFakeLine + kEscape)}));
        QVERIFY2(decided.exitCode == 0, decided.err.constData());
        QVERIFY2(firstRawControl(decided.out).isEmpty(), decided.out.constData());
    }

    void humanOutputHasNoRawControlCharacters_data()
    {
        QTest::addColumn<QStringList>("args");
        const QString ws = m_tmp.filePath(QStringLiteral("ws"));
        const auto row = [&](const char *name, QStringList args) { QTest::newRow(name) << args; };
        row("log", {QStringLiteral("log"), QStringLiteral("-w"), ws});
        row("diff", {QStringLiteral("diff"), QStringLiteral("-w"), ws, QStringLiteral("t@v1"), QStringLiteral("t@v2")});
        row("drift", {QStringLiteral("drift"), QStringLiteral("-w"), ws, QStringLiteral("t@v1"), QStringLiteral("t@v2"),
                      QStringLiteral("--by-class"), QStringLiteral("--no-record")});
        row("show", {QStringLiteral("show"), QStringLiteral("-w"), ws, QStringLiteral("t@v2")});
        row("versions", {QStringLiteral("versions"), QStringLiteral("-w"), ws});
        row("verify", {QStringLiteral("verify"), QStringLiteral("-w"), ws});
    }

    void humanOutputHasNoRawControlCharacters()
    {
        QFETCH(QStringList, args);
        expectClean(args);
    }

    void valuesStayReadable()
    {
        // The escapes are visible and name the character, so a reader still sees what was stored.
        const auto log = runCli({QStringLiteral("log"), QStringLiteral("-w"), m_ws});
        QVERIFY2(log.out.contains("label=fox\\n#42 fake"), log.out.constData());
        QVERIFY2(log.out.contains("record=ev\\x1b[2J\\x1b]0;owned\\x07il"), log.out.constData());
        const auto show = runCli({QStringLiteral("show"), QStringLiteral("-w"), m_ws, QStringLiteral("t@v2")});
        QVERIFY2(show.out.contains("evil\\u202ecorp"), show.out.constData());
    }

    void errorsQuoteArgumentsSafely()
    {
        // An argument echoed in an error message (here a record that does not exist) is escaped too.
        const auto r = runCli(as(QStringLiteral("cora"), QStringLiteral("decide"),
                                 {QStringLiteral("t@v2"), QString::fromUtf8("nobody" + kEscape), QStringLiteral("keep")}));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(firstRawControl(r.err).isEmpty(), r.err.constData());
        QVERIFY2(r.err.contains("nobody\\x1b[2J"), r.err.constData());
        const auto unknown = runCli({QString::fromUtf8("log" + kEscape)});
        QVERIFY2(firstRawControl(unknown.err).isEmpty(), unknown.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestTerminalOutput)
#include "TestTerminalOutput.moc"
