// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include <memory>

#include <QCommandLineParser>
#include <QJsonDocument>
#include <QJsonObject>

#include "cli/command.h"
#include "cli/commandregistry.h"
#include "control/controlclient.h"
#include "host/datalocation.h"

namespace sy::cli {

namespace {

using host::DataLocation;

// The exit code when no gateway runs on the data dir, so a status line can tell "not
// running" from "broken".
constexpr int kNotRunning = 3;
constexpr int kTimeoutMs = 2000;

QString dollars(double usd)
{
    // Cents hide what a few small requests cost; below a cent show four places.
    return QStringLiteral("$") + QString::number(usd, 'f', (usd != 0 && usd < 0.01) ? 4 : 2);
}

// switchyard status [--json] [--data-dir DIR]: what the gateway running on the data dir is
// doing, read over its control channel (fast enough for a shell prompt or a status bar).
class StatusCommand final : public Command
{
public:
    QString name() const override { return QStringLiteral("status"); }
    QString summary() const override
    {
        return QStringLiteral("Show the running gateway's state and today's and this month's requests and spend");
    }

    int run(CommandContext &context) override
    {
        QCommandLineParser parser;
        parser.setApplicationDescription(summary());
        DataLocation::addOptions(parser);
        parser.addOption({QStringLiteral("json"), QStringLiteral("Print one JSON object.")});
        parser.addHelpOption();
        if (!parser.parse(QStringList {name()} + context.arguments)) {
            context.err << "switchyard status: " << parser.errorText() << '\n';
            return 2;
        }
        if (parser.isSet(QStringLiteral("help"))) {
            context.out << parser.helpText();
            return 0;
        }
        const bool json = parser.isSet(QStringLiteral("json"));
        const DataLocation location = DataLocation::fromParser(parser);

        const control::ControlClient::Answer answer
            = control::ControlClient::ask(location.dataDir, QStringLiteral("status"), kTimeoutMs);
        if (answer.error == control::ControlClient::Error::NotRunning) {
            if (json)
                context.out << compact(
                    QJsonObject {{QStringLiteral("running"), false}, {QStringLiteral("data_dir"), location.dataDir}})
                            << '\n';
            else
                context.out << "not running (no gateway on " << location.dataDir << ")\n";
            return kNotRunning;
        }
        if (answer.error != control::ControlClient::Error::None) {
            context.err << "switchyard status: " << answer.errorString << '\n';
            return 1;
        }
        if (!answer.reply.value(u"ok").toBool()) {
            context.err << "switchyard status: " << answer.reply.value(u"error").toString() << '\n';
            return 1;
        }

        QJsonObject status = answer.reply;
        status.remove(u"ok");
        status.remove(u"id");
        status.remove(u"v");
        status.insert(u"running", true);
        if (json) {
            context.out << compact(status) << '\n';
            return 0;
        }
        printText(context.out, status);
        return 0;
    }

private:
    static QString compact(const QJsonObject &object)
    {
        return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
    }

    static void printText(QTextStream &out, const QJsonObject &status)
    {
        out << "state:     " << status.value(u"state").toString(QStringLiteral("unknown"));
        if (const QString url = status.value(u"url").toString(); !url.isEmpty())
            out << " at " << url;
        out << " (pid " << status.value(u"pid").toInteger() << ")\n";
        for (const auto &[field, label] : {std::pair {u"today", "today:     "}, std::pair {u"month", "month:     "}}) {
            if (!status.contains(field))
                continue;
            const QJsonObject totals = status.value(field).toObject();
            out << label << totals.value(u"requests").toInteger() << " requests, "
                << dollars(totals.value(u"cost_usd").toDouble());
            if (const qint64 unpriced = totals.value(u"unpriced_requests").toInteger())
                out << " + " << unpriced << " unpriced";
            if (const qint64 errors = totals.value(u"errors").toInteger())
                out << ", " << errors << (errors == 1 ? " error" : " errors");
            out << '\n';
        }
        if (status.contains(u"burn_rate_usd_per_hour"))
            out << "burn rate: " << dollars(status.value(u"burn_rate_usd_per_hour").toDouble())
                << "/hour (last 15 minutes)\n";
        if (status.contains(u"in_flight"))
            out << "in flight: " << status.value(u"in_flight").toInteger() << '\n';
    }
};

const CommandRegistry::Registration kRegistration {[] { return std::make_unique<StatusCommand>(); }};

} // namespace
} // namespace sy::cli
