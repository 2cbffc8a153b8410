// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include <QCommandLineParser>

#include "cli/commandregistry.h"
#include "host/datalocation.h"
#include "secrets/clientkeystore.h"
#include "store/usagequery.h"

namespace sy::cli {

namespace {

using host::DataLocation;

// `switchyard client-key create NAME [--expires DATE] | list | revoke NAME`: the keys
// local tools use to reach the gateway. A new key is printed once; only its hash is kept.
class ClientKeyCommand final : public Command
{
public:
    QString name() const override { return QStringLiteral("client-key"); }
    QString summary() const override { return QStringLiteral("Create, list or revoke client keys"); }

    int run(CommandContext &context) override
    {
        QCommandLineParser parser;
        parser.setApplicationDescription(summary());
        DataLocation::addOptions(parser);
        parser.addOption({QStringLiteral("expires"), QStringLiteral("With create: expiry (UTC date or timestamp)."),
                          QStringLiteral("DATE")});
        parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("create NAME, list or revoke NAME"));
        if (!parser.parse(QStringList {name()} + context.arguments)) {
            context.err << "switchyard client-key: " << parser.errorText() << '\n';
            return 2;
        }
        const QStringList args = parser.positionalArguments();
        const QString action = args.value(0);
        secrets::ClientKeyStore store(DataLocation::fromParser(parser).dataDir);

        if (action == u"list" && args.size() == 1) {
            auto keys = store.load();
            if (!keys) {
                context.err << "switchyard client-key: " << keys.error() << '\n';
                return 1;
            }
            // Last use comes from the usage history: the key file is never written per request.
            store::UsageQuery usage(DataLocation::fromParser(parser).dataDir);
            QHash<QString, QDateTime> lastUsed;
            if (usage.open()) {
                if (auto found = usage.lastUsedByClient())
                    lastUsed = found.value();
            }
            for (const secrets::ClientKey &key : keys.value()) {
                const QDateTime used = lastUsed.value(key.name);
                context.out << key.name << '\t' << key.prefix << "…\tcreated " << key.created.toString(Qt::ISODate)
                            << (used.isValid() ? QStringLiteral("\tlast used ") + used.toString(Qt::ISODate)
                                               : QStringLiteral("\tnever used"))
                            << (key.expires.isValid() ? QStringLiteral("\texpires ") + key.expires.toString(Qt::ISODate)
                                                      : QString())
                            << '\n';
            }
            return 0;
        }
        if (action == u"create" && args.size() == 2) {
            QDateTime expires;
            if (parser.isSet(QStringLiteral("expires"))) {
                const QString value = parser.value(QStringLiteral("expires"));
                expires = QDateTime::fromString(value, Qt::ISODate);
                if (!expires.isValid() && QDate::fromString(value, Qt::ISODate).isValid())
                    expires = QDateTime(QDate::fromString(value, Qt::ISODate), QTime(0, 0), Qt::UTC);
                if (!expires.isValid()) {
                    context.err << "switchyard client-key: --expires takes a date (2027-01-31) or a UTC timestamp\n";
                    return 2;
                }
            }
            auto key = store.create(args.at(1), expires);
            if (!key) {
                context.err << "switchyard client-key: " << key.error() << '\n';
                return 1;
            }
            context.out << key.value() << '\n';
            context.err << "this key is shown once: only its hash is kept\n";
            return 0;
        }
        if (action == u"revoke" && args.size() == 2) {
            if (Status revoked = store.revoke(args.at(1)); !revoked) {
                context.err << "switchyard client-key: " << revoked.error() << '\n';
                return 1;
            }
            context.out << "revoked " << args.at(1) << '\n';
            return 0;
        }
        context.err << "usage: switchyard client-key create NAME [--expires DATE] | list | revoke NAME "
                       "[--data-dir DIR]\n";
        return 2;
    }
};

const CommandRegistry::Registration kRegistration {[] { return std::make_unique<ClientKeyCommand>(); }};

} // namespace
} // namespace sy::cli
