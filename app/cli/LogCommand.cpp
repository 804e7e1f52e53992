#include "Cli.h"
#include "TerminalText.h"

#include "ledger/Ledger.h"
#include "ledger/LedgerVerifier.h"
#include "ledger/StateStore.h"
#include "storage/Database.h"
#include "storage/Workspace.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace custody::cli {

namespace {
// One line a person can read: the body's most telling fields.
QString summarize(const LedgerEvent &e)
{
    const QJsonObject b = e.body();
    QStringList parts;
    // key_id: a revocation or a role change names its principal by key only (the key list maps it to a name).
    for (const char *key : {"version", "record", "action", "label", "name", "key_id", "roles", "reason", "released", "digest", "batch_digest"}) {
        const QJsonValue v = b.value(QLatin1String(key));
        if (v.isUndefined())
            continue;
        QString text = v.isArray() ? v.toVariant().toStringList().join(QLatin1Char(',')) : v.toVariant().toString();
        if (QLatin1String(key).endsWith(QLatin1String("digest")) || QLatin1String(key) == QLatin1String("key_id"))
            text = text.left(16);
        parts.append(QStringLiteral("%1=%2").arg(QLatin1String(key), text));
    }
    if (e.type == EventType::Genesis)
        parts.append(QStringLiteral("approvals_required=%1").arg(b.value(QStringLiteral("policy")).toObject().value(QStringLiteral("approvals_required")).toInt()));
    return printable(parts.join(QLatin1Char(' ')));
}
} // namespace

int runLog(const Context &ctx)
{
    QCommandLineParser parser;
    parser.addOption(workspaceOption());
    parser.addOption(jsonOption());
    if (const int rc = ctx.parse(parser, QStringLiteral("log"), QStringLiteral("-w DIR [--json]"), 0); rc != Continue)
        return rc;
    const auto ws = ctx.openWorkspace(parser, true);
    if (!ws)
        return UsageOrIoError;
    Ledger ledger(*ws);
    // Who signed what, as the events alone prove it: not the derived tables (a row edited by SQL could rename a
    // key) nor a signature column (an event inserted by SQL can carry one copied from another event).
    Database replayDb;
    QString error;
    if (!replayDb.open(QStringLiteral(":memory:"), Database::Mode::Create, &error) || !replayDb.exec(StateStore::schemaSql(), &error))
        return ctx.fail(error);
    StateStore proven(replayDb);
    QString problem;
    const qint64 firstUnproven = LedgerVerifier::firstUnprovenEvent(*ws, proven, &problem, &error);
    if (firstUnproven < 0)
        return ctx.fail(error);
    if (firstUnproven > 0)
        ctx.err << "warning: the ledger does not verify from event " << firstUnproven << " (" << printable(problem)
                << "): those events are marked '!' and prove nothing; run 'custody-cli verify'\n";
    const auto proves = [&](const LedgerEvent &e) { return firstUnproven == 0 || e.seq < firstUnproven; };
    QHash<QString, QString> names;
    for (const Principal &p : proven.principals())
        names.insert(p.keyId, p.name);
    const bool json = parser.isSet(QStringLiteral("json"));
    QJsonArray events;
    const bool ok = ledger.forEach([&](const LedgerEvent &e) {
        const QString who = e.actor.isEmpty() ? QStringLiteral("(unsigned)") : printable(names.value(e.actor, e.actor.left(16)));
        if (json) {
            events.append(QJsonObject{{QStringLiteral("seq"), e.seq}, {QStringLiteral("time"), e.time}, {QStringLiteral("type"), e.type},
                                      {QStringLiteral("actor"), e.actor}, {QStringLiteral("actor_name"), names.value(e.actor)},
                                      {QStringLiteral("signed"), e.isSigned() && proves(e)}, {QStringLiteral("verified"), proves(e)},
                                      {QStringLiteral("hash"), toHex(e.hash)},
                                      {QStringLiteral("body"), e.body()}});
        } else {
            ctx.out << qSetFieldWidth(6) << Qt::right << e.seq << qSetFieldWidth(0) << (proves(e) ? "  " : "! ") << printable(e.time.left(19)) << "  "
                    << qSetFieldWidth(12) << Qt::left << who << qSetFieldWidth(0) << " " << qSetFieldWidth(23) << printable(e.type)
                    << qSetFieldWidth(0) << " " << summarize(e) << "\n";
        }
        return true;
    }, &error);
    if (!ok)
        return ctx.fail(error);
    if (json)
        ctx.out << QJsonDocument(QJsonObject{{QStringLiteral("events"), events}}).toJson(QJsonDocument::Indented);
    return Clean;
}

} // namespace custody::cli
