// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QPointer>
#include <QTimer>

#include "cli/commandregistry.h"
#include "cli/datalocation.h"
#include "cli/signalwatcher.h"
#include "common/clock.h"
#include "common/fanoutsink.h"
#include "common/instancelock.h"
#include "common/watchedfile.h"
#include "config/configloader.h"
#include "config/configwatcher.h"
#include "gateway/gatewayserver.h"
#include "gateway/gatewaystate.h"
#include "secrets/clientkeystore.h"
#include "secrets/providerkeyvault.h"
#include "store/livemetrics.h"
#include "store/metricsstore.h"
#include "store/usagequery.h"

namespace sy::cli {

namespace {

// `switchyard serve`: the gateway without a window, until SIGINT or SIGTERM.
class ServeCommand final : public Command
{
public:
    QString name() const override { return QStringLiteral("serve"); }
    QString summary() const override { return QStringLiteral("Run the gateway headless"); }

    int run(CommandContext &context) override
    {
        QCommandLineParser parser;
        parser.setApplicationDescription(summary());
        DataLocation::addOptions(parser);
        parser.addOption({QStringLiteral("log-rules"),
                          QStringLiteral("Logging filter rules, e.g. \"switchyard.*.debug=true\"."),
                          QStringLiteral("RULES")});
        parser.addHelpOption();
        if (!parser.parse(QStringList {name()} + context.arguments)) {
            context.err << "switchyard serve: " << parser.errorText() << '\n';
            return 2;
        }
        if (parser.isSet(QStringLiteral("help"))) {
            context.out << parser.helpText();
            return 0;
        }
        if (parser.isSet(QStringLiteral("log-rules")))
            QLoggingCategory::setFilterRules(parser.value(QStringLiteral("log-rules")).replace(u';', u'\n'));

        const DataLocation location = DataLocation::fromParser(parser);
        if (!QDir().mkpath(location.dataDir)) {
            context.err << "switchyard serve: cannot create data directory " << location.dataDir << '\n';
            return 1;
        }
        QFile::setPermissions(location.dataDir,
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        InstanceLock lock(location.dataDir);
        if (Status locked = lock.acquire(); !locked) {
            context.err << "switchyard serve: " << locked.error() << '\n';
            return 1;
        }
        if (!lock.warning().isEmpty()) // held, but the disk is full: say so, and serve
            context.err << "switchyard serve: " << lock.warning() << Qt::endl;

        Result<config::Config> config = location.loadConfig();
        if (!config) {
            context.err << "switchyard serve: " << config.error() << '\n';
            return 2;
        }
        // The state in force: the config, the client keys issued with `client-key create` and
        // the provider keys from the keychain or the encrypted file.
        config::Config active = std::move(config).value();
        const secrets::ClientKeyStore clientKeys(location.dataDir);
        secrets::ProviderKeyVault vault(location.dataDir, active.secretStore);
        secrets::ProviderKeyring providerKeys = loadProviderKeys(vault, context);
        auto build = [&clientKeys, &providerKeys, &context](config::Config withKeys) {
            auto keys = clientKeys.load();
            if (!keys) // fail closed: a damaged key file admits no key from it
                context.err << "switchyard serve: " << keys.error() << Qt::endl;
            for (const secrets::ClientKey &key : keys.ok() ? keys.value() : QList<secrets::ClientKey>())
                withKeys.clientKeys.append({key.name, key.sha256, key.expires});
            if (withKeys.requireClientKey && withKeys.clientKeys.isEmpty())
                context.err << "switchyard serve: no client keys yet, so every API request is refused (401); "
                               "create one with `switchyard client-key create NAME`\n";
            return gateway::GatewayState::create(std::move(withKeys), providerKeys);
        };
        const int retentionMonths = active.retentionMonths;
        auto state = build(active);
        if (!state) {
            context.err << "switchyard serve: " << state.error() << '\n';
            return 2;
        }

        store::MetricsStore::Options storeOptions;
        storeOptions.dataDir = location.dataDir;
        storeOptions.retentionMonths = retentionMonths;
        store::MetricsStore usageStore(storeOptions);
        if (Status opened = usageStore.open(); !opened)
            context.err << "switchyard serve: usage history is off: " << opened.error() << '\n';
        if (!usageStore.recoveryNote().isEmpty())
            context.err << "switchyard serve: " << usageStore.recoveryNote() << '\n';
        store::LiveMetrics liveMetrics;
        FanOutSink usage {&usageStore, &liveMetrics};

        gateway::GatewayServer server(state.value(), usage, [&liveMetrics, &usageStore]() -> QByteArray {
            return liveMetrics.prometheusText() + usageStore.prometheusText();
        });
        seedBudgets(server, location.dataDir, context);
        if (Status listening = server.listen(); !listening) {
            context.err << "switchyard serve: " << listening.error() << '\n';
            return 1;
        }
        context.out << "listening on " << server.url() << Qt::endl;

        // Edits to the config and to the client keys apply to the next requests; requests in
        // flight finish as they began.
        auto apply = [&server, &context, &build](const config::Config &config, const char *what) {
            auto next = build(config);
            if (!next) {
                context.err << "switchyard serve: " << what << " refused: " << next.error() << Qt::endl;
                return false;
            }
            server.reload(next.value());
            context.err << "switchyard serve: " << what << " applied" << Qt::endl;
            return true;
        };
        // Watched even before it exists: `config import` may write the first one.
        config::ConfigWatcher configWatcher(location.configFile);
        QObject::connect(&configWatcher, &config::ConfigWatcher::changed, &server,
                         [&active, &apply](const config::Config &edited) {
                             if (apply(edited, "config edit"))
                                 active = edited;
                         });
        QObject::connect(&configWatcher, &config::ConfigWatcher::rejected, &server, [&context](const QString &reason) {
            context.err << "switchyard serve: config edit refused: " << reason << Qt::endl;
        });
        WatchedFile keyFile(clientKeys.path());
        QObject::connect(&keyFile, &WatchedFile::changed, &server,
                         [&active, &apply] { apply(active, "client key change"); });
        // `provider-key set/remove` rewrite the catalog; the keys are read again (new ones
        // only: the vault keeps what it read) and apply to the next requests.
        WatchedFile providerKeyCatalog(vault.catalogPath());
        int keyLoads = 0; // only the newest load applies, whichever order the keychain answers in
        QObject::connect(&providerKeyCatalog, &WatchedFile::changed, &server, [&] {
            vault.load([&, load = ++keyLoads](secrets::ProviderKeyring keys, const QStringList &problems) {
                if (load != keyLoads)
                    return;
                for (const QString &problem : problems)
                    context.err << "switchyard serve: provider key unavailable: " << problem << Qt::endl;
                providerKeys = std::move(keys);
                apply(active, "provider key change");
            });
        });

        SignalWatcher signalWatcher;
        QObject::connect(&signalWatcher, &SignalWatcher::terminationRequested, &server,
                         [&server] { server.shutdown(); });
        // Every finished request is on disk before the process ends.
        QObject::connect(&server, &gateway::GatewayServer::stopped, qApp, [&usageStore] {
            usageStore.flush();
            QCoreApplication::quit();
        });
        const int code = QCoreApplication::exec();
        context.out << "stopped" << Qt::endl;
        return code;
    }

private:
    // Keys come before the listener opens, so the first request already has them. A
    // keychain waiting for the user to unlock it does not hold the gateway back for long.
    static secrets::ProviderKeyring loadProviderKeys(secrets::ProviderKeyVault &vault, CommandContext &context)
    {
        constexpr int kKeychainPatienceMs = 15'000;
        // Shared with the callback, which may come after this function has given up.
        auto loaded = std::make_shared<std::optional<secrets::ProviderKeyring>>();
        QEventLoop loop;
        QPointer<QEventLoop> waiting(&loop);
        vault.load([loaded, waiting, &context](secrets::ProviderKeyring keys, const QStringList &problems) {
            for (const QString &problem : problems)
                context.err << "switchyard serve: provider key unavailable: " << problem << Qt::endl;
            if (!waiting)
                context.err << "switchyard serve: the keychain answered late; stored keys apply from the next "
                               "provider-key change"
                            << Qt::endl;
            *loaded = std::move(keys);
            if (waiting)
                waiting->quit();
        });
        QTimer::singleShot(kKeychainPatienceMs, &loop, &QEventLoop::quit);
        if (!loaded->has_value())
            loop.exec();
        if (!loaded->has_value())
            context.err << "switchyard serve: the keychain did not answer in " << kKeychainPatienceMs / 1000
                        << " s; starting without stored provider keys" << Qt::endl;
        return loaded->value_or(secrets::ProviderKeyring());
    }

    // Budgets and balances count what was spent before this start, from the daily rollups.
    static void seedBudgets(gateway::GatewayServer &server, const QString &dataDir, CommandContext &context)
    {
        store::UsageQuery query(dataDir);
        if (!query.open())
            return; // no history yet
        // Every day of the daily rollup (days × clients rows: small), so a prepaid balance
        // may start on any day, even one set by a later config edit.
        store::UsageQuery::Request request;
        request.byProvider = false;
        request.byModel = false;
        auto spent = query.aggregate(request);
        if (!spent) {
            context.err << "switchyard serve: budgets start from zero: " << spent.error() << '\n';
            return;
        }
        for (const store::UsageAggregate &day : spent.value())
            server.budgets().addRecorded(day.client, day.costMicroUsd, day.bucketStart);
    }
};

const CommandRegistry::Registration kRegistration {[] { return std::make_unique<ServeCommand>(); }};

} // namespace
} // namespace sy::cli
