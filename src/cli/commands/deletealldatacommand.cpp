// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>

#include "cli/awaitcallback.h"
#include "cli/commandregistry.h"
#include "common/instancelock.h"
#include "control/controlclient.h"
#include "host/datalocation.h"
#include "secrets/dataeraser.h"

namespace sy::cli {

namespace {

using host::DataLocation;

// `switchyard delete-all-data --yes`: the database, the config, the client key hashes and
// every provider key Switchyard stored, wherever it stored them. Without --yes it lists
// what would go and deletes nothing.
class DeleteAllDataCommand final : public Command
{
public:
    QString name() const override { return QStringLiteral("delete-all-data"); }
    QString summary() const override { return QStringLiteral("Delete every file and key Switchyard keeps"); }

    int run(CommandContext &context) override
    {
        QCommandLineParser parser;
        parser.setApplicationDescription(summary());
        DataLocation::addOptions(parser);
        parser.addOption({QStringLiteral("yes"), QStringLiteral("Really delete.")});
        if (!parser.parse(QStringList {name()} + context.arguments) || !parser.positionalArguments().isEmpty()) {
            context.err << "usage: switchyard delete-all-data --yes [--data-dir DIR] [--config FILE]\n";
            return 2;
        }
        const DataLocation location = DataLocation::fromParser(parser);
        // Never from under a running gateway; and none starts while this runs.
        InstanceLock lock(location.dataDir);
        const bool dataDirExists = QFileInfo::exists(location.dataDir);
        if (Status locked = dataDirExists ? lock.acquire() : success(); !locked) {
            context.err << "switchyard delete-all-data: " << locked.error() << '\n';
            // Say which one runs and how it stops; its rows and keys stay until it has.
            const auto hello = control::ControlClient::ask(location.dataDir, QStringLiteral("hello"), 2000);
            if (hello.error == control::ControlClient::Error::None && hello.reply.value(u"ok").toBool()) {
                const qint64 pid = hello.reply.value(u"pid").toInteger();
                const bool app = hello.reply.value(u"commands").toArray().contains(QStringLiteral("raise"));
                if (app)
                    context.err << "the Switchyard app (pid " << pid
                                << ") runs the gateway: choose Quit in its tray icon's menu or its File menu";
                else
                    context.err << "switchyard serve (pid " << pid
                                << ") runs the gateway: stop it with Ctrl+C in its terminal or kill -TERM " << pid;
                context.err << ", then run delete-all-data again\n";
            } else {
                context.err << "stop the gateway running on " << location.dataDir
                            << " (Ctrl+C in the terminal of switchyard serve, or Quit in the app), then run "
                               "delete-all-data again\n";
            }
            return 1;
        }
        // The store preference does not matter here: both stores are emptied.
        secrets::ProviderKeyVault vault(location.dataDir, secrets::StorePreference::Auto);
        secrets::DataEraser eraser(location.dataDir, location.configFile, vault);
        const QStringList inventory = eraser.inventory();
        if (!parser.isSet(QStringLiteral("yes"))) {
            context.out << (inventory.isEmpty() ? "nothing to delete\n" : "would delete:\n");
            for (const QString &line : inventory)
                context.out << "  " << line << '\n';
            context.err << "nothing was deleted; run again with --yes to delete all of it\n";
            return inventory.isEmpty() ? 0 : 2;
        }
        const Status erased = awaitCallback<Status>([&](auto done) { eraser.eraseAll(done); });
        lock.release();
        QDir().rmdir(location.dataDir); // the lock file was the last thing in it
        // The folders the standard locations made go too when nothing else is in them.
        for (const QString &folder : location.standardFolders())
            QDir().rmdir(folder);
        if (!erased) {
            context.err << "switchyard delete-all-data: not everything could be deleted: " << erased.error() << '\n';
            return 1;
        }
        for (const QString &line : inventory)
            context.out << "deleted " << line << '\n';
        return 0;
    }
};

const CommandRegistry::Registration kRegistration {[] { return std::make_unique<DeleteAllDataCommand>(); }};

} // namespace
} // namespace sy::cli
