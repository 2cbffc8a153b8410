// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QLoggingCategory>

#include "cli/commandregistry.h"
#include "cli/signalwatcher.h"
#include "host/datalocation.h"
#include "host/eventlog.h"
#include "host/host.h"

namespace sy::cli {

namespace {

using host::DataLocation;

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

        host::Host host(DataLocation::fromParser(parser));
        // The host's event log is what the user reads on the terminal.
        QObject::connect(&host.events(), &host::EventLog::added, &host, [&context](const host::EventLog::Event &event) {
            context.err << "switchyard serve: " << event.message << Qt::endl;
        });
        QObject::connect(&host, &host::Host::started, &host,
                         [&context](const QString &url) { context.out << "listening on " << url << Qt::endl; });
        int failure = 0;
        QObject::connect(&host, &host::Host::startFailed, &host,
                         [&failure](const QString &, host::Host::StartError error) {
                             failure = error == host::Host::StartError::Config ? 2 : 1;
                             QCoreApplication::exit(failure);
                         });
        // Every finished request is on disk before stopped().
        QObject::connect(&host, &host::Host::stopped, qApp, [] { QCoreApplication::quit(); });
        SignalWatcher signalWatcher;
        QObject::connect(&signalWatcher, &SignalWatcher::terminationRequested, &host, &host::Host::stop);

        // Started from the event loop, so a start that fails at once still ends it.
        QMetaObject::invokeMethod(&host, &host::Host::start, Qt::QueuedConnection);
        const int code = QCoreApplication::exec();
        if (failure != 0)
            return failure;
        context.out << "stopped" << Qt::endl;
        return code;
    }
};

const CommandRegistry::Registration kRegistration {[] { return std::make_unique<ServeCommand>(); }};

} // namespace
} // namespace sy::cli
