// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// Store benchmarks: insert rate, CSV export, dashboard aggregates. Prints one line per
// measurement with the process's peak RSS.
#include <cstdio>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include "common/calendar.h"
#include "limits/budgethistory.h"
#include "limits/budgettracker.h"
#include "store/calendartotals.h"
#include "store/metricsstore.h"
#include "store/storewriter.h"
#include "store/usagecsvexporter.h"
#include "store/usagequery.h"

using namespace sy;
using namespace sy::store;

namespace {

long peakRssKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toLong();
    }
    return -1;
}

void report(const char *what, qint64 rows, qint64 ms)
{
    std::printf("%-28s %10lld rows %8lld ms %10.0f rows/s  peak RSS %ld MiB\n", what, (long long)rows, (long long)ms,
                ms > 0 ? rows * 1000.0 / ms : 0.0, peakRssKiB() / 1024);
    std::fflush(stdout);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOption(
        {QStringLiteral("rows"), QStringLiteral("Rows to insert."), QStringLiteral("N"), QStringLiteral("1000000")});
    parser.addOption(
        {QStringLiteral("dir"), QStringLiteral("Data dir (kept); default a temporary one."), QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("queries-only"),
                      QStringLiteral("Skip the inserts and the export: time the queries on --dir's database.")});
    parser.process(app);
    const bool queriesOnly = parser.isSet(QStringLiteral("queries-only"));
    const qint64 rows = parser.value(QStringLiteral("rows")).toLongLong();
    QTemporaryDir temporary;
    const QString dir = parser.isSet(QStringLiteral("dir")) ? parser.value(QStringLiteral("dir")) : temporary.path();

    // 24 months of history, 40 clients × providers × models, spread evenly.
    const QDateTime end = QDateTime::currentDateTimeUtc();
    const qint64 spanMs = qint64(730) * 86'400'000;
    QStringList models;
    for (int i = 0; i < 20; ++i)
        models << QStringLiteral("model-%1").arg(i);
    const auto fill = [&](UsageRecord &r, qint64 i) {
        r.startedAt = QDateTime::fromMSecsSinceEpoch(end.toMSecsSinceEpoch() - spanMs + i * spanMs / rows, Qt::UTC);
        r.client = i % 2 ? QStringLiteral("agent") : QStringLiteral("script");
        r.model = models.at(int(i % models.size()));
        r.latencyMs = i % 5000;
        r.ttfbMs = i % 700;
        r.inputTokens = 1000 + i % 100;
        r.outputTokens = 100;
        r.cachedInputTokens = i % 3 ? 0 : 512;
        r.costMicroUsd = i % 50 ? 1234 : -1;
    };
    if (!queriesOnly) {
        // The writer alone, as the store thread runs it: batches of 1,000 rows, each one
        // transaction with its rollups. Only write() is timed, not making the records.
        QTemporaryDir writerDir;
        StoreWriter writer(writerDir.filePath(QStringLiteral("usage.sqlite")), {});
        StoreWriter::Events events;
        if (Status status = writer.open(events); !status) {
            std::fprintf(stderr, "%s\n", qPrintable(status.error()));
            return 1;
        }
        std::vector<UsageRecord> batch(1000);
        for (UsageRecord &r : batch) {
            r.provider = QStringLiteral("openai");
            r.endpoint = QStringLiteral("/v1/chat/completions");
            r.status = 200;
            r.priceBookVersion = QStringLiteral("2026-11-22");
        }
        qint64 written = 0;
        qint64 elapsedNs = 0;
        for (qint64 i = 0; i < rows; i += qint64(batch.size())) {
            for (qsizetype j = 0; j < qsizetype(batch.size()); ++j)
                fill(batch[size_t(j)], i + j);
            QElapsedTimer timer;
            timer.start();
            written += writer.write(batch, events);
            elapsedNs += timer.nsecsElapsed();
        }
        report("insert (StoreWriter alone)", written, elapsedNs / 1'000'000);
    }
    if (!queriesOnly) {
        MetricsStore::Options options;
        options.dataDir = dir;
        options.maxQueuedRows = 2'000'000;
        MetricsStore store(options);
        if (Status status = store.open(); !status) {
            std::fprintf(stderr, "%s\n", qPrintable(status.error()));
            return 1;
        }
        QElapsedTimer timer;
        timer.start();
        UsageRecord r;
        r.provider = QStringLiteral("openai");
        r.endpoint = QStringLiteral("/v1/chat/completions");
        r.status = 200;
        r.priceBookVersion = QStringLiteral("2026-11-22");
        for (qint64 i = 0; i < rows; ++i) {
            fill(r, i);
            store.record(r);
            // Stay within the queue bound, as a gateway producing at this rate would.
            if (i % 500'000 == 499'999)
                store.flush();
        }
        store.flush();
        report("insert (MetricsStore)", store.stats().committed, timer.elapsed());
    }
    if (!queriesOnly) {
        QFile devNull(QStringLiteral("/dev/null"));
        devNull.open(QIODevice::WriteOnly);
        UsageCsvExporter exporter(dir);
        QElapsedTimer timer;
        timer.start();
        const auto exported = exporter.write(devNull);
        report("csv export", exported ? exported.value() : -1, timer.elapsed());
    }
    {
        UsageQuery query(dir);
        query.open();
        for (const auto &[name, days] :
             {std::pair {"aggregate 30 days (daily)", 30}, std::pair {"aggregate 24 months", 730}}) {
            UsageQuery::Request request;
            request.from = end.addDays(-days);
            request.to = end;
            QElapsedTimer timer;
            timer.start();
            const auto result = query.aggregate(request);
            std::printf("%-28s %10lld buckets %6lld ms\n", name, result ? (long long)result->size() : -1LL,
                        (long long)timer.elapsed());
        }
        UsageQuery::Request hourly;
        hourly.granularity = UsageQuery::Granularity::Hour;
        hourly.from = end.addDays(-7);
        hourly.to = end;
        QElapsedTimer timer;
        timer.start();
        const auto result = query.aggregate(hourly);
        std::printf("%-28s %10lld buckets %6lld ms\n", "aggregate 7 days (hourly)",
                    result ? (long long)result->size() : -1LL, (long long)timer.elapsed());
        // Exact totals (UsageQuery::totals) for the calendar's today and this month, in the
        // system's zone and in a half-hour one, whose midnight falls mid-hour.
        for (const QTimeZone &zone : {QTimeZone::systemTimeZone(), QTimeZone("Asia/Kolkata")}) {
            const QDateTime now = QDateTime::currentDateTimeUtc();
            for (const auto &[what, from] : {std::pair {"today", Calendar::startOfDay(now, zone)},
                                             std::pair {"this month", Calendar::startOfMonth(now, zone)}}) {
                QElapsedTimer t;
                t.start();
                const auto total = query.total(from, now);
                const qint64 us = t.nsecsElapsed() / 1000;
                std::printf("%-28s %10lld requests %5lld.%03lld ms (%s)\n",
                            qPrintable(QStringLiteral("totals %1").arg(QLatin1StringView(what))),
                            total ? (long long)total->requests : -1LL, (long long)(us / 1000), (long long)(us % 1000),
                            zone.id().constData());
            }
        }
        {
            // Budget seeding at start: the history cut at every midnight of this month.
            limits::BudgetTracker budgets;
            Calendar::setZone(QTimeZone("Asia/Kolkata"));
            QElapsedTimer t;
            t.start();
            const Status seeded = limits::BudgetHistory::load(budgets, dir, QDateTime::currentDateTimeUtc());
            std::printf("%-28s %10s %13lld ms (Asia/Kolkata)\n", "budget history load", seeded ? "ok" : "failed",
                        (long long)t.elapsed());
            // Today and this month from memory: the history load at start, then each answer.
            CalendarTotals totals(dir);
            t.restart();
            const Status loaded = totals.load(QDateTime::currentDateTimeUtc());
            std::printf("%-28s %10s %13lld ms (Asia/Kolkata)\n", "calendar totals load", loaded ? "ok" : "failed",
                        (long long)t.elapsed());
            t.restart();
            qint64 requests = 0;
            constexpr int kAsks = 10'000;
            for (int i = 0; i < kAsks; ++i)
                requests += totals.thisMonth(QDateTime::currentDateTimeUtc()).requests;
            std::printf("%-28s %10lld requests %9.1f us per answer\n", "calendar totals this month",
                        (long long)(requests / kAsks), t.nsecsElapsed() / 1000.0 / kAsks);
            Calendar::setZone(QTimeZone());
        }
    }
    std::printf("database %lld MiB\n", (long long)(QFileInfo(dir + QStringLiteral("/usage.sqlite")).size() >> 20));
    return 0;
}
