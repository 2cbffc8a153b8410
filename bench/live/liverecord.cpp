// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// What LiveFigures::record() costs a gateway thread: WRITERS threads record as fast as
// they can for SECONDS while a reader takes lastMinutes(60) and sum(900) once a second
// (what the dashboard does), then the same without a reader.
//   bench_liverecord [SECONDS] [WRITERS]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>
#include <vector>

#include <QCoreApplication>

#include "common/usagerecord.h"
#include "live/livefigures.h"
#include "live/recentrequests.h"

using namespace sy;
using Clock = std::chrono::steady_clock;

namespace {

struct Run
{
    double nsPerRecord = 0; // wall time per record on one writer thread
    double recordsPerSecond = 0; // all writers together
    double worstReadUs = 0;
    int reads = 0;
};

template<typename Sink>
Run measure(Sink &sink, int seconds, int writers, bool reader)
{
    std::atomic<bool> stop {false};
    std::vector<qint64> counts(size_t(writers), 0);
    std::vector<std::thread> threads;
    const auto start = Clock::now();
    for (int w = 0; w < writers; ++w) {
        threads.emplace_back([&, w] {
            UsageRecord record;
            record.provider = QStringLiteral("openai");
            record.model = QStringLiteral("gpt-4o-mini");
            record.status = 200;
            record.inputTokens = 120;
            record.outputTokens = 40;
            record.costMicroUsd = 33;
            qint64 n = 0;
            while (!stop.load(std::memory_order_relaxed)) {
                for (int i = 0; i < 256; ++i) {
                    record.latencyMs = 50 + (n + i) % 900;
                    record.ttfbMs = record.latencyMs / 3;
                    sink.record(record);
                }
                n += 256;
            }
            counts[size_t(w)] = n;
        });
    }
    Run run;
    std::thread readerThread;
    if (reader) {
        readerThread = std::thread([&] {
            while (!stop.load()) {
                const auto t0 = Clock::now();
                if constexpr (std::is_same_v<Sink, live::LiveFigures>) {
                    const QList<live::Figures> minutes = sink.lastMinutes(60);
                    const live::Figures burn = sink.sum(900);
                    Q_UNUSED(minutes);
                    Q_UNUSED(burn);
                } else {
                    const QList<UsageRecord> latest = sink.latest(200);
                    Q_UNUSED(latest);
                }
                const double us = std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
                run.worstReadUs = std::max(run.worstReadUs, us);
                ++run.reads;
                std::this_thread::sleep_for(std::chrono::seconds(1));
            }
        });
    }
    std::this_thread::sleep_for(std::chrono::seconds(seconds));
    stop = true;
    for (std::thread &thread : threads)
        thread.join();
    if (readerThread.joinable())
        readerThread.join();
    const double elapsedNs = std::chrono::duration<double, std::nano>(Clock::now() - start).count();
    qint64 total = 0;
    for (qint64 count : counts)
        total += count;
    run.nsPerRecord = elapsedNs * writers / double(total);
    run.recordsPerSecond = double(total) / (elapsedNs / 1e9);
    return run;
}

void print(const char *what, const Run &run)
{
    std::printf("%-44s %8.1f ns/record  %12.0f records/s", what, run.nsPerRecord, run.recordsPerSecond);
    if (run.reads)
        std::printf("  worst read %.0f us (%d reads)", run.worstReadUs, run.reads);
    std::printf("\n");
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int seconds = argc > 1 ? std::max(1, atoi(argv[1])) : 5;
    const int writers = argc > 2 ? std::max(1, atoi(argv[2])) : 2;
    {
        live::LiveFigures figures;
        print("LiveFigures, 1 writer, no reader", measure(figures, seconds, 1, false));
    }
    {
        live::LiveFigures figures;
        print(qPrintable(QStringLiteral("LiveFigures, %1 writers + reader").arg(writers)),
              measure(figures, seconds, writers, true));
    }
    {
        live::RecentRequests recent;
        print(qPrintable(QStringLiteral("RecentRequests, %1 writers + reader").arg(writers)),
              measure(recent, seconds, writers, true));
    }
    return 0;
}
