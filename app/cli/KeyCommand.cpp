#include "Cli.h"
#include "TerminalText.h"

#include "identity/KeyStore.h"
#include "identity/PassphraseSource.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace custody::cli {

namespace {

std::optional<QByteArray> newPassphrase(const Context &ctx, const QCommandLineParser &parser, const QString &name)
{
    QString error;
    const QString file = parser.value(QStringLiteral("passphrase-file"));
    auto passphrase = file.isEmpty()
        ? PassphraseSource::readPassphraseFromTerminal(QStringLiteral("New passphrase for key '%1': ").arg(name), true, &error)
        : PassphraseSource::readPassphraseFile(file, &error);
    if (!passphrase)
        ctx.fail(error);
    return passphrase;
}

} // namespace

int runKey(const Context &ctx)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("ACTION"), QStringLiteral("create NAME | list | export-public NAME | import NAME FILE"));
    parser.addOption(QCommandLineOption(QStringLiteral("passphrase-file"),
                                        QStringLiteral("Read the passphrase from the first line of FILE instead of the terminal."),
                                        QStringLiteral("FILE")));
    parser.addOption(jsonOption());
    const QString synopsis = QStringLiteral("create NAME | list [--json] | export-public NAME | import NAME FILE  [--passphrase-file FILE]");
    if (const int rc = ctx.parse(parser, QStringLiteral("key"), synopsis); rc != Continue)
        return rc;
    const QStringList pos = parser.positionalArguments();
    const QString action = pos.value(0);
    KeyStore store;
    QString error;
    if (action == QLatin1String("create") && pos.size() == 2) {
        auto passphrase = newPassphrase(ctx, parser, pos[1]);
        if (!passphrase)
            return UsageOrIoError;
        const auto key = store.create(pos[1], *passphrase, &error);
        wipeSecret(&*passphrase);
        if (!key)
            return ctx.fail(error);
        ctx.out << "Created key '" << printable(pos[1]) << "' (key id " << key->keyId() << ") in " << printable(store.keyPath(pos[1])) << "\n";
        return Clean;
    }
    if (action == QLatin1String("import") && pos.size() == 3) {
        auto passphrase = newPassphrase(ctx, parser, pos[1]);
        if (!passphrase)
            return UsageOrIoError;
        const auto key = store.importKey(pos[1], pos[2], *passphrase, &error);
        wipeSecret(&*passphrase);
        if (!key)
            return ctx.fail(error);
        ctx.out << "Imported key '" << printable(pos[1]) << "' (key id " << key->keyId() << ")\n";
        return Clean;
    }
    if (action == QLatin1String("list") && pos.size() == 1) {
        const QList<KeyStore::Entry> keys = store.list(&error);
        if (!error.isEmpty())
            return ctx.fail(error);
        if (parser.isSet(QStringLiteral("json"))) {
            QJsonArray list;
            for (const KeyStore::Entry &k : keys)
                list.append(QJsonObject{{QStringLiteral("name"), k.name}, {QStringLiteral("key_id"), k.keyId}});
            ctx.out << QJsonDocument(QJsonObject{{QStringLiteral("keys"), list}}).toJson(QJsonDocument::Indented);
            return Clean;
        }
        if (keys.isEmpty())
            ctx.out << "No keys in " << printable(store.directory()) << ". Create one with 'custody-cli key create NAME'.\n";
        for (const KeyStore::Entry &k : keys)
            ctx.out << qSetFieldWidth(24) << Qt::left << printable(k.name) << qSetFieldWidth(0) << printable(k.keyId) << "\n";
        return Clean;
    }
    if (action == QLatin1String("export-public") && pos.size() == 2) {
        const auto key = store.publicKey(pos[1], &error);
        if (!key)
            return ctx.fail(error);
        ctx.out << key->pem();
        return Clean;
    }
    return ctx.fail(QStringLiteral("usage: custody-cli key %1").arg(synopsis));
}

} // namespace custody::cli
