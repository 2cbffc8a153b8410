// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include <QCommandLineParser>

#include "cli/awaitcallback.h"
#include "cli/commandregistry.h"
#include "cli/hiddeninput.h"
#include "host/datalocation.h"
#include "secrets/providerkeyvault.h"

namespace sy::cli {

namespace {

using host::DataLocation;

// `switchyard provider-key set ID [--label L] | remove ID [--label L] | list`: the keys
// Switchyard uses to call providers, kept in the OS keychain or the encrypted file. A key
// is read from stdin (hidden on a terminal) and never printed again: list shows where
// each key lives and its last four characters. A running gateway picks changes up at once.
class ProviderKeyCommand final : public Command
{
public:
    QString name() const override { return QStringLiteral("provider-key"); }
    QString summary() const override { return QStringLiteral("Set, list or remove provider API keys"); }

    int run(CommandContext &context) override
    {
        QCommandLineParser parser;
        parser.setApplicationDescription(summary());
        DataLocation::addOptions(parser);
        parser.addOption({QStringLiteral("label"),
                          QStringLiteral("Which key of the provider's pool (default: \"default\")."),
                          QStringLiteral("NAME")});
        parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("set ID, remove ID or list"));
        if (!parser.parse(QStringList {name()} + context.arguments)) {
            context.err << "switchyard provider-key: " << parser.errorText() << '\n';
            return 2;
        }
        const QStringList args = parser.positionalArguments();
        const QString action = args.value(0);
        const DataLocation location = DataLocation::fromParser(parser);
        auto config = location.loadConfig();
        if (!config) {
            context.err << "switchyard provider-key: " << config.error() << '\n';
            return 2;
        }
        secrets::ProviderKeyVault vault(location.dataDir, config->secretStore);
        const QString label = parser.value(QStringLiteral("label"));

        if (action == u"list" && args.size() == 1)
            return list(vault, config.value(), context);
        if (action == u"set" && args.size() == 2) {
            if (!config->provider(args.at(1))) {
                context.err << "switchyard provider-key: no provider '" << args.at(1) << "' in " << location.configFile
                            << '\n';
                return 1;
            }
            const QByteArray secret = readSecretLine(context.in, context.err,
                                                     QStringLiteral("API key for %1 (input hidden): ").arg(args.at(1)));
            if (secret.isEmpty()) {
                context.err << "switchyard provider-key: no key on stdin\n";
                return 1;
            }
            const auto stored = awaitCallback<Result<secrets::StoredProviderKey>>([&](auto done) {
                vault.set(args.at(1), label.isEmpty() ? secrets::ProviderKeyVault::defaultLabel() : label, secret,
                          done);
            });
            if (!stored) {
                context.err << "switchyard provider-key: " << stored.error() << '\n';
                return 1;
            }
            context.out << "stored key " << stored->label << " for " << stored->provider << " in the "
                        << secrets::locationName(stored->location) << " (…" << stored->last4 << ")\n";
            return 0;
        }
        if (action == u"remove" && args.size() == 2) {
            const auto removed = awaitCallback<Result<int>>([&](auto done) { vault.remove(args.at(1), label, done); });
            if (!removed) {
                context.err << "switchyard provider-key: " << removed.error() << '\n';
                return 1;
            }
            context.out << "removed " << removed.value() << (removed.value() == 1 ? " key" : " keys") << " of "
                        << args.at(1) << '\n';
            return 0;
        }
        context.err << "usage: switchyard provider-key set ID [--label NAME] | remove ID [--label NAME] | list "
                       "[--data-dir DIR] [--config FILE]\n";
        return 2;
    }

private:
    static int list(const secrets::ProviderKeyVault &vault, const config::Config &config, CommandContext &context)
    {
        auto keys = vault.list();
        if (!keys) {
            context.err << "switchyard provider-key: " << keys.error() << '\n';
            return 1;
        }
        for (const config::ProviderConfig &provider : config.providers) {
            if (!provider.apiKeyEnv.isEmpty())
                context.out << provider.id << "\tenv\tenvironment $" << provider.apiKeyEnv
                            << (qEnvironmentVariableIsSet(provider.apiKeyEnv.toLocal8Bit().constData()) ? ""
                                                                                                        : " (unset)")
                            << '\n';
            for (const secrets::StoredProviderKey &key : std::as_const(keys.value())) {
                if (key.provider == provider.id && !key.pending)
                    print(key, context);
            }
        }
        for (const secrets::StoredProviderKey &key : std::as_const(keys.value())) {
            if (!config.provider(key.provider) && !key.pending)
                print(key, context); // a key for a provider the config no longer has
        }
        return 0;
    }

    static void print(const secrets::StoredProviderKey &key, CommandContext &context)
    {
        context.out << key.provider << '\t' << key.label << '\t' << secrets::locationName(key.location) << "\t…"
                    << key.last4 << "\tset " << key.created.toString(Qt::ISODate) << '\n';
    }
};

const CommandRegistry::Registration kRegistration {[] { return std::make_unique<ProviderKeyCommand>(); }};

} // namespace
} // namespace sy::cli
