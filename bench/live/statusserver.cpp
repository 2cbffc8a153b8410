// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// A control channel with made-up figures on DATA_DIR, until killed: lets
// `switchyard status` be timed without a gateway (bench/live/run.sh).
//   bench_statusserver DATA_DIR
#include <cstdio>

#include <QCoreApplication>
#include <QDir>

#include "common/usagerecord.h"
#include "control/controlserver.h"
#include "live/livefigures.h"

using namespace sy;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_statusserver DATA_DIR\n");
        return 2;
    }
    const QString dataDir = QString::fromLocal8Bit(argv[1]);
    QDir().mkpath(dataDir);
    live::LiveFigures figures;
    for (int i = 0; i < 100; ++i) {
        UsageRecord record;
        record.status = 200;
        record.latencyMs = 100 + i;
        record.ttfbMs = 30;
        record.inputTokens = 1000;
        record.outputTokens = 200;
        record.costMicroUsd = 900;
        figures.record(record);
    }
    control::ControlServer::Source source;
    source.state = [] { return QStringLiteral("serving"); };
    source.url = [] { return QStringLiteral("http://127.0.0.1:7788"); };
    source.paused = [] { return false; };
    source.requestsInFlight = [] { return qint64(1); };
    source.since = [&figures](const QDateTime &from) {
        const live::Figures hour = figures.sum(live::LiveFigures::kSeconds);
        store::UsageAggregate totals;
        totals.bucketStart = from;
        totals.requests = hour.requests;
        totals.errors = hour.errors();
        totals.inputTokens = hour.inputTokens;
        totals.outputTokens = hour.outputTokens;
        totals.costMicroUsd = hour.costMicroUsd;
        return totals;
    };
    source.figures = &figures;
    control::ControlServer server(dataDir, source);
    if (Status listening = server.listen(); !listening) {
        std::fprintf(stderr, "%s\n", qPrintable(listening.error()));
        return 1;
    }
    std::printf("ready\n");
    std::fflush(stdout);
    return QCoreApplication::exec();
}
