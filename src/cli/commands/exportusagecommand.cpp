// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include <memory>

#include <unistd.h>

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QFileDevice>
#include <QLocale>
#include <QSaveFile>

#include "cli/command.h"
#include "cli/commandregistry.h"
#include "cli/terminal.h"
#include "host/datalocation.h"
#include "store/usagecsvexporter.h"

namespace sy::cli {

namespace {

using host::DataLocation;

// switchyard export-usage --data-dir DIR [--from DATE] [--to DATE] [--output FILE]
class ExportUsageCommand final : public Command
{
public:
    QString name() const override { return QStringLiteral("export-usage"); }
    QString summary() const override { return QStringLiteral("Export the usage history as CSV"); }

    int run(CommandContext &context) override
    {
        QCommandLineParser parser;
        DataLocation::addOptions(parser);
        parser.addOption(
            {QStringLiteral("from"), QStringLiteral("First day or instant (UTC) to export."), QStringLiteral("DATE")});
        parser.addOption(
            {QStringLiteral("to"), QStringLiteral("Last day or instant (UTC) to export."), QStringLiteral("DATE")});
        parser.addOption(
            {QStringLiteral("output"), QStringLiteral("Write to FILE instead of stdout."), QStringLiteral("FILE")});
        if (!parser.parse(QStringList {name()} + context.arguments)) {
            context.err << "switchyard export-usage: " << parser.errorText() << '\n';
            return 2;
        }
        const DataLocation location = DataLocation::fromParser(parser);
        store::UsageCsvExporter exporter(location.dataDir);
        std::optional<qint64> from;
        std::optional<qint64> to;
        for (const auto &[option, bound, target] :
             {std::tuple {QStringLiteral("from"), store::UsageCsvExporter::Bound::From, &from},
              std::tuple {QStringLiteral("to"), store::UsageCsvExporter::Bound::To, &to}}) {
            if (!parser.isSet(option))
                continue;
            const auto parsed = store::UsageCsvExporter::parseBound(parser.value(option), bound);
            if (!parsed) {
                context.err << "switchyard export-usage: --" << option << ": " << parsed.error() << '\n';
                return 2;
            }
            *target = parsed.value();
        }
        exporter.setRange(from, to);
        if (isTerminal(context.err, STDERR_FILENO))
            showProgress(exporter, context.err);

        if (parser.isSet(QStringLiteral("output"))) {
            // Written whole or not at all: a failed export never leaves half a file.
            QSaveFile file(parser.value(QStringLiteral("output")));
            if (!file.open(QIODevice::WriteOnly)) {
                context.err << "switchyard export-usage: " << file.errorString() << '\n';
                return 1;
            }
            const auto rows = exporter.write(file);
            if (!rows || !file.commit()) {
                context.err << "switchyard export-usage: " << (rows ? file.errorString() : rows.error()) << '\n';
                return 1;
            }
            context.err << "exported " << rows.value() << " requests to " << file.fileName() << '\n';
            return 0;
        }
        // CSV bytes go straight to the output stream's device (stdout, or a test's
        // buffer), not through the text stream's codec, so memory stays flat.
        context.out.flush();
        QIODevice *device = context.out.device();
        if (!device) {
            context.err << "switchyard export-usage: the output stream has no device\n";
            return 1;
        }
        QIODevice &out = *device;
        const auto rows = exporter.write(out);
        if (auto *file = qobject_cast<QFileDevice *>(device))
            file->flush();
        if (!rows) {
            context.err << "switchyard export-usage: " << rows.error() << '\n';
            return 1;
        }
        return 0;
    }

private:
    // A line on the terminal that counts the rows up, rewritten at most five times a second
    // and ended once, when every row is out.
    static void showProgress(store::UsageCsvExporter &exporter, QTextStream &err)
    {
        exporter.setProgress([shown = QElapsedTimer(), ended = false, &err](qint64 written, qint64 total) mutable {
            const bool done = written == total;
            if (ended || (shown.isValid() && shown.elapsed() < 200 && !done))
                return;
            shown.start();
            ended = done;
            const QLocale english(QLocale::English);
            err << "\rexporting: " << english.toString(written) << " of " << english.toString(total) << " requests ("
                << (total > 0 ? written * 100 / total : 100) << "%)" << (done ? "\n" : "") << Qt::flush;
        });
    }
};

const CommandRegistry::Registration registration {[] { return std::make_unique<ExportUsageCommand>(); }};

} // namespace

} // namespace sy::cli
