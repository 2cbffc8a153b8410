// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include <memory>
#include <vector>

#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include "common/usagerecord.h"
#include "live/recentrequests.h"

using namespace sy;
using namespace sy::live;

namespace {

UsageRecord numbered(int n)
{
    UsageRecord record;
    record.model = QStringLiteral("model-%1").arg(n);
    record.status = 200;
    record.attempts = n;
    return record;
}

QList<int> numbers(const QList<UsageRecord> &records)
{
    QList<int> result;
    for (const UsageRecord &record : records)
        result.append(record.attempts);
    return result;
}

} // namespace

class TestRecentRequests : public QObject
{
    Q_OBJECT

private slots:
    void newestFirstUnderTheCap()
    {
        RecentRequests recent(5);
        QCOMPARE(recent.capacity(), 5);
        QVERIFY(recent.latest(10).isEmpty());
        for (int n = 1; n <= 3; ++n)
            recent.record(numbered(n));
        QCOMPARE(numbers(recent.latest(10)), (QList<int> {3, 2, 1}));
        QCOMPARE(numbers(recent.latest(2)), (QList<int> {3, 2}));
        QCOMPARE(recent.latest(2).first().model, QStringLiteral("model-3"));
    }

    void capDropsTheOldest()
    {
        RecentRequests recent(5);
        for (int n = 1; n <= 12; ++n)
            recent.record(numbered(n));
        QCOMPARE(numbers(recent.latest(100)), (QList<int> {12, 11, 10, 9, 8}));
        QCOMPARE(recent.sequence(), 12u);
        recent.record(numbered(13));
        QCOMPARE(numbers(recent.latest(100)), (QList<int> {13, 12, 11, 10, 9}));
        QCOMPARE(numbers(recent.latest(0)), QList<int>());
    }

    void sincePicksUpNewRows()
    {
        RecentRequests recent(4);
        quint64 seen = 0;
        QVERIFY(recent.since(seen, &seen).isEmpty());
        QCOMPARE(seen, 0u);
        recent.record(numbered(1));
        recent.record(numbered(2));
        QCOMPARE(numbers(recent.since(seen, &seen)), (QList<int> {2, 1}));
        QCOMPARE(seen, 2u);
        QVERIFY(recent.since(seen, &seen).isEmpty());
        for (int n = 3; n <= 9; ++n) // more than the ring holds: the oldest are gone
            recent.record(numbered(n));
        QCOMPARE(numbers(recent.since(seen, &seen)), (QList<int> {9, 8, 7, 6}));
        QCOMPARE(seen, 9u);
    }

    void signalsEachRecord()
    {
        RecentRequests recent(3);
        QSignalSpy spy(&recent, &RecentRequests::recorded);
        recent.record(numbered(7));
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.first().first().value<UsageRecord>().attempts, 7);
    }

    void recordsFromSeveralThreads()
    {
        RecentRequests recent(100);
        constexpr int kThreads = 4, kEach = 5000;
        std::vector<std::unique_ptr<QThread>> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back(QThread::create([&recent, t] {
                for (int i = 0; i < kEach; ++i)
                    recent.record(numbered(t * kEach + i));
            }));
            threads.back()->start();
        }
        int reads = 0;
        while (std::any_of(threads.begin(), threads.end(), [](const auto &thread) { return thread->isRunning(); })) {
            QVERIFY(recent.latest(100).size() <= 100);
            ++reads;
        }
        for (auto &thread : threads)
            QVERIFY(thread->wait(60'000));
        QCOMPARE(recent.sequence(), quint64(kThreads * kEach));
        const QList<UsageRecord> latest = recent.latest(1000);
        QCOMPARE(latest.size(), 100);
        // Each thread's own records stay in order, newest first.
        QList<int> lastOfThread(kThreads, INT_MAX);
        for (const UsageRecord &record : latest) {
            const int thread = record.attempts / kEach;
            QVERIFY(record.attempts < lastOfThread[thread]);
            lastOfThread[thread] = record.attempts;
        }
        QVERIFY(reads > 0);
    }
};

QTEST_GUILESS_MAIN(TestRecentRequests)
#include "tst_recentrequests.moc"
