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
#include "host/datalocation.h"
#include "store/database.h"
#include "store/pruner.h"

namespace sy::cli {

namespace {

using host::DataLocation;

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
