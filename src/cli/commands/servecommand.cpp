// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>

#include "cli/commandregistry.h"
#include "cli/datalocation.h"
#include "cli/signalwatcher.h"
#include "common/clock.h"
#include "common/fanoutsink.h"
#include "common/watchedfile.h"
#include "config/configloader.h"
#include "config/configwatcher.h"
#include "gateway/gatewayserver.h"
#include "gateway/gatewaystate.h"
#include "secrets/clientkeystore.h"
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
        QFile::setPermissions(location.dataDir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);

        Result<config::Config> config = location.loadConfig();
        if (!config) {
            context.err << "switchyard serve: " << config.error() << '\n';
            return 2;
        }
        // The state in force: the config plus the client keys issued with `client-key create`.
        config::Config active = std::move(config).value();
        const secrets::ClientKeyStore clientKeys(location.dataDir);
        auto build = [&clientKeys, &context](config::Config withKeys) {
            auto keys = clientKeys.load();
            if (!keys) // fail closed: a damaged key file admits no key from it
                context.err << "switchyard serve: " << keys.error() << Qt::endl;
            for (const secrets::ClientKey &key : keys.ok() ? keys.value() : QList<secrets::ClientKey>())
                withKeys.clientKeys.append({key.name, key.sha256, key.expires});
            if (withKeys.requireClientKey && withKeys.clientKeys.isEmpty())
                context.err << "switchyard serve: no client keys yet, so every API request is refused (401); "
                               "create one with `switchyard client-key create NAME`\n";
            return gateway::GatewayState::create(std::move(withKeys));
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

        gateway::GatewayServer server(state.value(), usage, [&liveMetrics] { return liveMetrics.prometheusText(); });
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
        std::unique_ptr<config::ConfigWatcher> configWatcher;
        if (QFileInfo::exists(location.configFile)) {
            configWatcher = std::make_unique<config::ConfigWatcher>(location.configFile);
            QObject::connect(configWatcher.get(), &config::ConfigWatcher::changed, &server,
                             [&active, &apply](const config::Config &edited) {
                                 if (apply(edited, "config edit"))
                                     active = edited;
                             });
            QObject::connect(configWatcher.get(), &config::ConfigWatcher::rejected, &server,
                             [&context](const QString &reason) {
                                 context.err << "switchyard serve: config edit refused: " << reason << Qt::endl;
                             });
        }
        WatchedFile keyFile(clientKeys.path());
        QObject::connect(&keyFile, &WatchedFile::changed, &server,
                         [&active, &apply] { apply(active, "client key change"); });

        SignalWatcher signalWatcher;
        QObject::connect(&signalWatcher, &SignalWatcher::terminationRequested, &server, [&server] { server.shutdown(); });
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
    // Budgets count what was spent this month before this start, from the daily rollups.
    static void seedBudgets(gateway::GatewayServer &server, const QString &dataDir, CommandContext &context)
    {
        store::UsageQuery query(dataDir);
        if (!query.open())
            return; // no history yet
        const QDate today = Clock::instance().nowUtc().date();
        store::UsageQuery::Request request;
        request.from = QDateTime(QDate(today.year(), today.month(), 1), QTime(0, 0), Qt::UTC);
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
