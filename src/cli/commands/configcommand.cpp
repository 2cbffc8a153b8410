// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include <QCommandLineParser>
#include <QJsonDocument>

#include "cli/commandregistry.h"
#include "common/privatefile.h"
#include "config/configloader.h"
#include "config/configwriter.h"
#include "host/datalocation.h"
#include "pricing/pricebook.h"

namespace sy::cli {

namespace {

using host::DataLocation;

// `switchyard config export [--output FILE]` and `switchyard config import FILE`: the
// user's settings as JSON, without any secret, to keep, share or move to another machine.
// An import is validated whole first; a bad file changes nothing. A running gateway
// applies an import like any other config edit.
class ConfigCommand final : public Command
{
public:
    QString name() const override { return QStringLiteral("config"); }
    QString summary() const override { return QStringLiteral("Export or import the configuration (no secrets)"); }

    int run(CommandContext &context) override
    {
        QCommandLineParser parser;
        parser.setApplicationDescription(summary());
        DataLocation::addOptions(parser);
        parser.addOption({QStringLiteral("output"), QStringLiteral("With export: write here instead of stdout."),
                          QStringLiteral("FILE")});
        parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("export, or import FILE"));
        if (!parser.parse(QStringList {name()} + context.arguments)) {
            context.err << "switchyard config: " << parser.errorText() << '\n';
            return 2;
        }
        const QStringList args = parser.positionalArguments();
        const DataLocation location = DataLocation::fromParser(parser);
        if (args.value(0) == u"export" && args.size() == 1)
            return exportConfig(location, parser.value(QStringLiteral("output")), context);
        if (args.value(0) == u"import" && args.size() == 2)
            return importConfig(location, args.at(1), context);
        context.err
            << "usage: switchyard config export [--output FILE] | import FILE [--data-dir DIR] [--config FILE]\n";
        return 2;
    }

private:
    static int exportConfig(const DataLocation &location, const QString &output, CommandContext &context)
    {
        auto config = location.loadConfig();
        if (!config) {
            context.err << "switchyard config: " << config.error() << '\n';
            return 1;
        }
        const QByteArray json = QJsonDocument(config::ConfigWriter::toJson(config.value())).toJson();
        if (output.isEmpty()) {
            context.out << QString::fromUtf8(json) << Qt::flush;
            return 0;
        }
        if (Status written = writePrivateFile(output, json); !written) {
            context.err << "switchyard config: " << written.error() << '\n';
            return 1;
        }
        return 0;
    }

    static int importConfig(const DataLocation &location, const QString &file, CommandContext &context)
    {
        auto config = config::ConfigLoader::fromFile(file);
        if (!config) {
            context.err << "switchyard config: " << file << " was not imported: " << config.error() << '\n';
            return 1;
        }
        if (auto prices = pricing::PriceBook::load(config->priceOverrides); !prices) {
            context.err << "switchyard config: " << file << " was not imported: prices: " << prices.error() << '\n';
            return 1;
        }
        // Saved as the model reads it: fields Switchyard does not know (a pasted key, say)
        // are not carried into the config.
        const QByteArray json = QJsonDocument(config::ConfigWriter::toJson(config.value())).toJson();
        if (Status written = writePrivateFile(location.configFile, json); !written) {
            context.err << "switchyard config: " << written.error() << '\n';
            return 1;
        }
        context.out << "imported " << file << " into " << location.configFile << '\n';
        return 0;
    }
};

const CommandRegistry::Registration kRegistration {[] { return std::make_unique<ConfigCommand>(); }};

} // namespace
} // namespace sy::cli
