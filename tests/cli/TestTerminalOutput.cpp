#include "CliWorkspace.h"

#include <QRegularExpression>
#include <QTest>

using namespace custody;

namespace {

const QByteArray kFakeLine = "\n#42 fake";
const QByteArray kEscape = "\x1b[2J\x1b]0;owned\x07";
const QByteArray kBidi = "\xe2\x80\xae"; // U+202E RIGHT-TO-LEFT OVERRIDE
const QByteArray kZeroWidth = "\xe2\x80\x8b"; // U+200B ZERO WIDTH SPACE: "r1" + it prints as "r1"

// The first raw control character, C1 character or bidi override in `bytes` other than the line ends
// custody-cli writes itself; an empty string when there is none.
QString firstRawControl(const QByteArray &bytes)
{
    static const QRegularExpression bad(QStringLiteral("[\\x{0}-\\x{9}\\x{b}-\\x{1f}\\x{7f}-\\x{9f}\\x{2028}\\x{2029}"
                                                       "\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}\\x{200b}-\\x{200f}\\x{2060}-\\x{2064}\\x{feff}]"));
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
    test::CliWorkspace m_ws;

    static QByteArray csv(int first, int count, const QByteArray &extraId, const QByteArray &extraLabel)
    {
        QByteArray out = "id,label,\"x" + kEscape + "\",y\n";
        for (int i = first; i < first + count; ++i)
            out += "r" + QByteArray::number(i) + "," + (i % 2 ? "cat" : "dog") + "," + QByteArray::number(i * 7 % 13) + ","
                + QByteArray::number(i % 5) + "\n";
        out += "\"" + extraId + "\",\"" + extraLabel + "\",1,2\n";
        out += "\"r1" + kZeroWidth + "\",\"cat" + kZeroWidth + "\",3,4\n"; // looks like r1, labelled like cat
        return out;
    }
    void expectClean(const QStringList &args)
    {
        const test::CliResult r = m_ws.run(args);
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
        QString error;
        QVERIFY2(m_ws.initSigned(&error), qPrintable(error));
        // v1 and v2 share r0..r59; v2 adds an id carrying escape sequences and a label with a bidi override, and
        // a feature column whose name is an escape sequence reaches drift's table.
        const QStringList provenance{QStringLiteral("--note"), QString::fromUtf8("provenance" + kFakeLine + kEscape),
                                     QStringLiteral("--supplier"), QString::fromUtf8("evil" + kBidi + "corp")};
        QVERIFY2(m_ws.ingestCsv(QStringLiteral("t"), QStringLiteral("v1"), csv(0, 60, "one" + kFakeLine, "cat"), &error,
                                QStringLiteral("cora"), provenance), qPrintable(error));
        QVERIFY2(m_ws.ingestCsv(QStringLiteral("t"), QStringLiteral("v2"), csv(0, 60, "ev" + kEscape + "il", "c" + kBidi + "at"), &error,
                                QStringLiteral("cora"), provenance + QStringList{QStringLiteral("--parent"), QStringLiteral("v1")}),
                 qPrintable(error));
        // A relabel whose label and note each try to append a ledger line of their own.
        const auto decided = m_ws.run(m_ws.signedArgs(QStringLiteral("cora"), QStringLiteral("decide"),
                                                      {QStringLiteral("t@v2"), QString::fromUtf8("ev" + kEscape + "il"),
                                                       QString::fromUtf8("relabel:fox" + kFakeLine), QStringLiteral("--note"),
                                                       QString::fromUtf8("why" + kFakeLine + kEscape)}));
        QVERIFY2(decided.exitCode == 0, decided.err.constData());
        QVERIFY2(firstRawControl(decided.out).isEmpty(), decided.out.constData());
    }

    void humanOutputHasNoRawControlCharacters_data()
    {
        QTest::addColumn<QStringList>("args");
        const auto row = [&](const char *name, const QStringList &rest) { QTest::newRow(name) << m_ws.args(QLatin1String(name), rest); };
        row("log", {});
        row("diff", {QStringLiteral("t@v1"), QStringLiteral("t@v2")});
        row("drift", {QStringLiteral("t@v1"), QStringLiteral("t@v2"), QStringLiteral("--by-class"), QStringLiteral("--no-record")});
        row("show", {QStringLiteral("t@v2")});
        row("versions", {});
        row("verify", {});
    }

    void humanOutputHasNoRawControlCharacters()
    {
        QFETCH(QStringList, args);
        expectClean(args);
    }

    void valuesStayReadable()
    {
        // The escapes are visible and name the character, so a reader still sees what was stored.
        const auto log = m_ws.run(m_ws.args(QStringLiteral("log")));
        QVERIFY2(log.out.contains("label=fox\\n#42 fake"), log.out.constData());
        QVERIFY2(log.out.contains("record=ev\\x1b[2J\\x1b]0;owned\\x07il"), log.out.constData());
        const auto show = m_ws.run(m_ws.args(QStringLiteral("show"), {QStringLiteral("t@v2")}));
        QVERIFY2(show.out.contains("evil\\u202ecorp"), show.out.constData());
        const auto diff = m_ws.run(m_ws.args(QStringLiteral("diff"), {QStringLiteral("t@v1"), QStringLiteral("t@v2")}));
        QVERIFY2(diff.out.contains("r1\\u200b"), diff.out.constData()); // not a second "r1"
    }

    void errorsQuoteArgumentsSafely()
    {
        // An argument echoed in an error message (here a record that does not exist) is escaped too.
        const auto r = m_ws.run(m_ws.signedArgs(QStringLiteral("cora"), QStringLiteral("decide"),
                                                {QStringLiteral("t@v2"), QString::fromUtf8("nobody" + kEscape), QStringLiteral("keep")}));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(firstRawControl(r.err).isEmpty(), r.err.constData());
        QVERIFY2(r.err.contains("nobody\\x1b[2J"), r.err.constData());
        const auto unknown = m_ws.run({QString::fromUtf8("log" + kEscape)});
        QVERIFY2(firstRawControl(unknown.err).isEmpty(), unknown.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestTerminalOutput)
#include "TestTerminalOutput.moc"
