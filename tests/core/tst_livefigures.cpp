// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include <atomic>
#include <memory>
#include <vector>

#include <QTest>
#include <QThread>

#include "common/clock.h"
#include "common/usagerecord.h"
#include "live/livefigures.h"

using namespace sy;
using namespace sy::live;

namespace {

// Time that moves only when the test says; readable from several threads.
class ManualClock final : public Clock
{
public:
    QDateTime nowUtc() const override { return QDateTime::fromMSecsSinceEpoch(m_ms.load(), Qt::UTC); }
    void set(const QDateTime &utc) { m_ms = utc.toMSecsSinceEpoch(); }
    void advanceMs(qint64 ms) { m_ms += ms; }
    void advance(qint64 seconds) { m_ms += seconds * 1000; }

private:
    std::atomic<qint64> m_ms {0};
};

const QDateTime kNoon(QDate(2026, 11, 23), QTime(12, 0), Qt::UTC);

UsageRecord completed(qint64 latencyMs = 100, qint64 costMicroUsd = 1000)
{
    UsageRecord record;
    record.provider = QStringLiteral("openai");
    record.model = QStringLiteral("gpt-4o-mini");
    record.status = 200;
    record.latencyMs = latencyMs;
    record.ttfbMs = latencyMs / 2;
    record.inputTokens = 10;
    record.outputTokens = 5;
    record.costMicroUsd = costMicroUsd;
    return record;
}

UsageRecord ended(Outcome outcome, int status)
{
    UsageRecord record;
    record.outcome = outcome;
    record.status = status;
    record.latencyMs = 3;
    return record;
}

QList<qint64> requestCounts(const QList<Figures> &list)
{
    QList<qint64> counts;
    for (const Figures &figures : list)
        counts.append(figures.requests);
    return counts;
}

} // namespace

class TestLiveFigures : public QObject
{
    Q_OBJECT

private:
    ManualClock m_clock;

private slots:
    void init()
    {
        m_clock.set(kNoon);
        Clock::setInstance(&m_clock);
    }
    void cleanup() { Clock::setInstance(nullptr); }

    void sumsOneSecondByKindAndClass()
    {
        LiveFigures live;
        m_clock.advanceMs(300);
        UsageRecord priced = completed(120, 1500);
        priced.inputTokens = 100;
        priced.outputTokens = 50;
        priced.cachedInputTokens = 10;
        priced.cacheWriteTokens = 7;
        priced.reasoningTokens = 3;
        live.record(priced);
        UsageRecord unpriced = completed(80, -1); // a model without a price
        live.record(unpriced);
        live.record(ended(Outcome::Rejected, 401)); // costs nothing: not unpriced
        UsageRecord providerError = ended(Outcome::Completed, 429);
        providerError.ttfbMs = 2;
        live.record(providerError);
        live.record(ended(Outcome::UpstreamFailed, 502));
        live.record(ended(Outcome::UpstreamTruncated, 200));
        live.record(ended(Outcome::ClientDisconnected, 200));

        // Still the current second: sum() includes it, lastSeconds() does not yet.
        QCOMPARE(live.sum(1).requests, 7);
        QCOMPARE(live.lastSeconds(1).first().requests, 0);
        m_clock.advanceMs(700);
        const Figures second = live.lastSeconds(1).first();
        QCOMPARE(second.requests, 7);
        QCOMPARE(second.rejected, 1);
        QCOMPARE(second.upstreamErrors, 3); // the 429, the 502 and the cut-off stream
        QCOMPARE(second.clientDisconnects, 1);
        QCOMPARE(second.errors(), 5);
        QCOMPARE(second.inputTokens, 110);
        QCOMPARE(second.outputTokens, 55);
        QCOMPARE(second.cachedInputTokens, 10);
        QCOMPARE(second.cacheWriteTokens, 7);
        QCOMPARE(second.reasoningTokens, 3);
        QCOMPARE(second.costMicroUsd, 1500);
        QCOMPARE(second.unpricedRequests, 1);
        QCOMPARE(second.latency.count(), 7);
        QCOMPARE(second.ttfb.count(), 3); // only requests that had a first byte
        QCOMPARE(live.sum(2), second);
    }

    void groupsByClockMinute()
    {
        LiveFigures live;
        live.record(completed()); // 12:00:00
        m_clock.advance(59);
        live.record(completed()); // 12:00:59
        live.record(completed());
        m_clock.advance(1);
        live.record(completed()); // 12:01:00
        m_clock.advance(90);
        live.record(completed()); // 12:02:30
        m_clock.advance(10); // now 12:02:40

        QCOMPARE(requestCounts(live.lastMinutes(3)), (QList<qint64> {3, 1, 1}));
        const QList<Figures> hour = live.lastMinutes(60);
        QCOMPARE(hour.size(), 60);
        QCOMPARE(requestCounts(hour.mid(57)), (QList<qint64> {3, 1, 1}));
        for (const Figures &minute : hour.first(57))
            QVERIFY(minute.isEmpty());
        QCOMPARE(hour.at(57).costMicroUsd, 3000);

        // Spans that start on and just after a minute boundary.
        QCOMPARE(live.sum(161).requests, 5); // from 12:00:00
        QCOMPARE(live.sum(160).requests, 4); // from 12:00:01
        QCOMPARE(live.sum(100).requests, 1); // from 12:01:01
        QCOMPARE(live.sum(101).requests, 2); // from 12:01:00
        QCOMPARE(live.sum(11).requests, 1); // from 12:02:30
        QCOMPARE(live.sum(10).requests, 0); // from 12:02:31
    }

    void ringWrapsAfterAnHour()
    {
        LiveFigures live;
        live.record(completed()); // 12:00:00
        m_clock.advance(3599); // 12:59:59
        QCOMPARE(live.sum(3600).requests, 1);
        QCOMPARE(live.lastSeconds(3600).at(1).requests, 1); // 11:59:59 is the first
        QCOMPARE(live.lastMinutes(60).first().requests, 1);
        m_clock.advance(1); // 13:00:00: 12:00:00 has left the hour
        QCOMPARE(live.sum(3600).requests, 0);
        QCOMPARE(live.lastSeconds(3600).first().requests, 1); // 12:00:00, the first whole second before now
        QCOMPARE(live.lastMinutes(60).first().requests, 0); // 12:01
        live.record(completed()); // the same ring slot as 12:00:00, emptied first
        QCOMPARE(live.sum(1).requests, 1);
        QCOMPARE(live.sum(3600).requests, 1);
        QCOMPARE(live.lastMinutes(1).first().requests, 1);
        m_clock.advance(1);
        QCOMPARE(live.lastSeconds(3600).last().requests, 1);
        QCOMPARE(live.lastSeconds(3600).first().requests, 0);
    }

    void silenceReadsAsZero()
    {
        LiveFigures live;
        live.record(completed());
        m_clock.advance(600);
        live.record(completed());
        m_clock.advance(1);
        const QList<Figures> seconds = live.lastSeconds(602); // 11:59:59 .. 12:10:00
        QCOMPARE(seconds.size(), 602);
        qint64 total = 0;
        for (int i = 0; i < seconds.size(); ++i) {
            total += seconds.at(i).requests;
            QCOMPARE(seconds.at(i).requests, (i == 1 || i == 601) ? 1 : 0);
        }
        QCOMPARE(total, 2);
        QCOMPARE(live.activeSeconds(0, LiveFigures::nowSecond()).size(), 2);

        // Two silent hours later the slots still hold the old seconds: none may show.
        m_clock.advance(7200);
        QCOMPARE(live.sum(3600).requests, 0);
        for (const Figures &figures : live.lastSeconds(3600))
            QVERIFY(figures.isEmpty());
        for (const Figures &figures : live.lastMinutes(60))
            QVERIFY(figures.isEmpty());
        QVERIFY(live.activeSeconds(0, LiveFigures::nowSecond()).isEmpty());
    }

    void percentiles_data()
    {
        QTest::addColumn<QList<qint64>>("samples");
        QTest::addColumn<qint64>("p50");
        QTest::addColumn<qint64>("p95");
        // Below about 30 ms the buckets are 1 ms wide, so these are exact.
        QTest::newRow("four") << QList<qint64> {10, 20, 25, 5} << qint64(10) << qint64(25);
        QTest::newRow("one") << QList<qint64> {7} << qint64(7) << qint64(7);
        QTest::newRow("zero") << QList<qint64> {0, 0, 1} << qint64(1) << qint64(1);
        QList<qint64> hundred;
        for (int i = 1; i <= 100; ++i)
            hundred.append(i * 10); // 10 .. 1000 ms
        QTest::newRow("10..1000") << hundred << qint64(500) << qint64(950);
        QList<qint64> twenty(19, 100);
        twenty.append(60'000); // one slow request among 20 is above p95
        QTest::newRow("one slow in twenty") << twenty << qint64(100) << qint64(100);
        QTest::newRow("long") << QList<qint64> {600'000, 900'000} << qint64(600'000) << qint64(900'000);
    }

    void percentiles()
    {
        QFETCH(QList<qint64>, samples);
        QFETCH(qint64, p50);
        QFETCH(qint64, p95);
        LiveFigures live;
        // Spread over two minutes so the minute sums are what is read.
        for (int i = 0; i < samples.size(); ++i) {
            live.record(completed(samples.at(i)));
            m_clock.advance(i % 2 ? 61 : 1);
        }
        const Figures all = live.sum(3600);
        QCOMPARE(all.latency.count(), samples.size());
        // The bucket's upper bound: never below the true value, at most 12.5 % above it.
        const qint64 got50 = all.latency.percentile(0.5);
        const qint64 got95 = all.latency.percentile(0.95);
        QVERIFY2(got50 >= p50 && got50 <= p50 + p50 / 8, qPrintable(QString::number(got50)));
        QVERIFY2(got95 >= p95 && got95 <= p95 + p95 / 8, qPrintable(QString::number(got95)));
        if (p50 <= 25)
            QCOMPARE(got50, p50);
        if (p95 <= 25)
            QCOMPARE(got95, p95);
    }

    void histogramBounds()
    {
        QCOMPARE(LatencyHistogram().percentile(0.5), -1);
        QCOMPARE(LatencyHistogram::upperBoundMs(0), 1);
        for (int i = 1; i < LatencyHistogram::kBuckets; ++i) {
            const qint64 low = LatencyHistogram::upperBoundMs(i - 1), high = LatencyHistogram::upperBoundMs(i);
            QVERIFY(high > low);
            // Any duration in the bucket is at least low + 1: the bound is at most 12.5 % above it.
            QVERIFY2(double(high) / double(low + 1) <= 1.125, qPrintable(QString::number(i)));
            QCOMPARE(LatencyHistogram::bucketOf(high), i);
            QCOMPARE(LatencyHistogram::bucketOf(low + 1), i);
        }
        QVERIFY(LatencyHistogram::upperBoundMs(LatencyHistogram::kBuckets - 1) >= 20 * 60 * 1000);
        QCOMPARE(LatencyHistogram::bucketOf(24 * 3600 * 1000), LatencyHistogram::kBuckets - 1);
    }

    void unpricedCountedApart()
    {
        LiveFigures live;
        live.record(completed(100, 2000));
        live.record(completed(100, -1)); // usage, no price
        live.record(completed(100, 0)); // priced at zero (a free model): priced
        UsageRecord noUsage = completed(100, -1);
        noUsage.inputTokens = noUsage.outputTokens = -1; // answered, usage unreadable
        live.record(noUsage);
        live.record(ended(Outcome::Rejected, 429)); // a budget refusal
        const Figures figures = live.sum(1);
        QCOMPARE(figures.costMicroUsd, 2000);
        QCOMPARE(figures.unpricedRequests, 2);
        QCOMPARE(figures.requests, 5);
    }

    void burnRateOverFifteenMinutes()
    {
        LiveFigures live;
        live.record(completed(100, 1'000'000)); // 12:00:00, 16 minutes before now: not counted
        m_clock.advance(60);
        live.record(completed(100, 100'000)); // 12:01:00: first second of the window
        m_clock.advance(600);
        live.record(completed(100, 150'000));
        m_clock.advance(299); // 12:15:59
        QCOMPARE(live.burnRateMicroUsdPerHour(), 4 * 250'000);
        m_clock.advance(1);
        QCOMPARE(live.burnRateMicroUsdPerHour(), 4 * 150'000);
    }

    void mirrorsThroughActiveSeconds()
    {
        LiveFigures source;
        for (int i = 0; i < 200; ++i) {
            source.record(completed(i, i));
            m_clock.advance(i % 7 == 0 ? 30 : 1);
        }
        LiveFigures mirror;
        for (const LiveFigures::Second &second : source.activeSeconds(0, LiveFigures::nowSecond()))
            mirror.merge(second.second, second.figures);
        QCOMPARE(mirror.lastMinutes(60), source.lastMinutes(60));
        QCOMPARE(mirror.lastSeconds(3600), source.lastSeconds(3600));
        QCOMPARE(mirror.sum(3600), source.sum(3600));
        mirror.merge(LiveFigures::nowSecond() - 3600, source.sum(3600)); // too old: dropped
        QCOMPARE(mirror.sum(3600), source.sum(3600));
    }

    void recordsFromSeveralThreads()
    {
        LiveFigures live;
        constexpr int kThreads = 4, kEach = 20'000;
        std::atomic<bool> done {false};
        std::atomic<int> reads {0};
        std::unique_ptr<QThread> reader(QThread::create([&] {
            while (!done) {
                if (live.lastMinutes(60).size() == 60 && live.sum(900).requests >= 0)
                    ++reads;
            }
        }));
        reader->start();
        std::vector<std::unique_ptr<QThread>> writers;
        for (int t = 0; t < kThreads; ++t) {
            writers.emplace_back(QThread::create([&live, t] {
                for (int i = 0; i < kEach; ++i)
                    live.record(completed(t * 10 + i % 10, 1));
            }));
            writers.back()->start();
        }
        for (auto &writer : writers)
            QVERIFY(writer->wait(60'000));
        done = true;
        QVERIFY(reader->wait(60'000));
        QVERIFY(reads > 0);
        const Figures total = live.sum(1);
        QCOMPARE(total.requests, kThreads * kEach);
        QCOMPARE(total.costMicroUsd, kThreads * kEach);
        QCOMPARE(total.latency.count(), kThreads * kEach);
        QCOMPARE(live.lastMinutes(1).first(), total);
    }
};

QTEST_GUILESS_MAIN(TestLiveFigures)
#include "tst_livefigures.moc"
