// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include <memory>

#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include "cli/command.h"
#include "cli/commandregistry.h"
#include "common/clock.h"
#include "common/instancelock.h"
#include "control/controlclient.h"
#include "host/datalocation.h"
#include "store/database.h"
#include "store/pruner.h"

namespace sy::cli {

namespace {

using host::DataLocation;

constexpr int kAskTimeoutMs = 2000;
constexpr int kPruneTimeoutMs = 120'000; // a large history may take a while to delete and vacuum

// switchyard prune [--data-dir DIR] [--config FILE] [--retention-months N]: applies the
// retention policy now and prints what it removed.
class PruneCommand final : public Command
{
public:
    QString name() const override { return QStringLiteral("prune"); }
    QString summary() const override { return QStringLiteral("Delete usage history older than the retention period"); }

    int run(CommandContext &context) override
    {
        QCommandLineParser parser;
        DataLocation::addOptions(parser);
        parser.addOption({QStringLiteral("retention-months"),
                          QStringLiteral("Keep this many months (default: the config's retention_months, or 24)."),
                          QStringLiteral("N")});
        if (!parser.parse(QStringList {name()} + context.arguments)) {
            context.err << "switchyard prune: " << parser.errorText() << '\n';
            return 2;
        }
        const DataLocation location = DataLocation::fromParser(parser);
        store::Pruner::Options options;
        options.retentionMonths = configuredRetention(location.configFile).value_or(24);
        if (parser.isSet(QStringLiteral("retention-months"))) {
            bool ok = false;
            options.retentionMonths = parser.value(QStringLiteral("retention-months")).toInt(&ok);
            if (!ok || options.retentionMonths < 1) {
                context.err << "switchyard prune: --retention-months must be a whole number of months, at least 1\n";
                return 2;
            }
        }
        // A gateway running on the data dir is the one SQLite writer: retention goes through it.
        const auto hello = control::ControlClient::ask(location.dataDir, QStringLiteral("hello"), kAskTimeoutMs);
        if (hello.error == control::ControlClient::Error::None && hello.reply.value(u"ok").toBool()) {
            const qint64 pid = hello.reply.value(u"pid").toInteger();
            if (parser.isSet(QStringLiteral("retention-months"))) {
                context.err << "switchyard prune: a gateway runs on " << location.dataDir << " (pid " << pid
                            << ") and prunes by its config's retention_months; stop it to prune with "
                               "--retention-months, or run prune without it\n";
                return 2;
            }
            const auto pruned = control::ControlClient::ask(location.dataDir, QStringLiteral("prune"), kPruneTimeoutMs);
            if (pruned.error != control::ControlClient::Error::None) {
                context.err << "switchyard prune: " << pruned.errorString << '\n';
                return 1;
            }
            if (!pruned.reply.value(u"ok").toBool()) {
                context.err << "switchyard prune: the running gateway (pid " << pid
                            << ") could not prune: " << pruned.reply.value(u"error").toString() << '\n';
                return 1;
            }
            context.out << "removed " << pruned.reply.value(u"requests_removed").toInteger()
                        << " requests older than the retention period, through the running gateway (pid " << pid
                        << ")\n";
            return 0;
        }
        if (hello.error != control::ControlClient::Error::NotRunning) {
            context.err << "switchyard prune: a gateway's control channel on " << location.dataDir
                        << " did not answer: "
                        << (hello.errorString.isEmpty() ? hello.reply.value(u"error").toString() : hello.errorString)
                        << '\n';
            return 1;
        }
        // Nobody answers; still, never a second writer beside a gateway that holds the data dir.
        InstanceLock lock(location.dataDir);
        if (QFileInfo::exists(location.dataDir)) {
            if (Status locked = lock.acquire(); !locked) {
                context.err << "switchyard prune: " << locked.error() << '\n';
                return 1;
            }
        }
        const QString path = store::Database::filePath(location.dataDir);
        if (!QFileInfo::exists(path)) {
            context.out << "nothing to prune: no usage database in " << location.dataDir << '\n';
            return 0;
        }
        store::Database database(path, QStringLiteral("prune"), store::Database::Mode::ReadWrite);
        if (Status status = database.open(); !status) {
            context.err << "switchyard prune: " << status.error() << '\n';
            return 1;
        }
        store::Pruner pruner(database.db(), options);
        const auto report = pruner.pruneAll(Clock::instance().nowUtc());
        if (!report) {
            context.err << "switchyard prune: " << report.error() << '\n';
            return 1;
        }
        context.out << "removed " << report->requests << " requests older than " << report->cutoff.toString(Qt::ISODate)
                    << " (" << options.retentionMonths << " months)\n"
                    << "removed " << report->hourlyRows << " hourly and " << report->dailyRows
                    << " daily aggregate rows\n"
                    << "freed " << report->freedPages * report->pageSize / 1024 << " KiB\n";
        return 0;
    }

private:
    static std::optional<int> configuredRetention(const QString &configFile)
    {
        QFile file(configFile);
        if (!file.open(QIODevice::ReadOnly))
            return std::nullopt;
        const QJsonValue value = QJsonDocument::fromJson(file.readAll()).object().value(u"retention_months");
        if (!value.isDouble() || value.toInt() < 1)
            return std::nullopt;
        return value.toInt();
    }
};

const CommandRegistry::Registration registration {[] { return std::make_unique<PruneCommand>(); }};

} // namespace

} // namespace sy::cli
