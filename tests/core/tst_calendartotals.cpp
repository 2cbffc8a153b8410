// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// Today and this month from memory agree with the store's exact totals, in any zone (this
// test runs a second time with TZ=Asia/Kolkata) and after the zone changes.
#include <QTemporaryDir>
#include <QTest>

#include "common/calendar.h"
#include "store/calendartotals.h"
#include "store/metricsstore.h"
#include "store/usagequery.h"

using namespace sy;
using namespace sy::store;

namespace {

UsageRecord requestAt(const QDateTime &at, qint64 i)
{
    UsageRecord r;
    r.startedAt = at;
    r.client = i % 2 ? QStringLiteral("a") : QStringLiteral("b");
    r.provider = QStringLiteral("openai");
    r.model = QStringLiteral("gpt-4o-mini");
    r.status = i % 11 ? 200 : 500;
    r.outcome = i % 13 ? Outcome::Completed : Outcome::Rejected;
    r.ttfbMs = r.outcome == Outcome::Rejected ? -1 : 30;
    r.latencyMs = 100 + i % 50;
    r.inputTokens = i % 5 ? 100 + i % 7 : -1;
    r.outputTokens = i % 5 ? 10 : -1;
    r.costMicroUsd = i % 9 ? 1000 + i : -1;
    return r;
}

} // namespace

class TestCalendarTotals : public QObject
{
    Q_OBJECT

private:
    static void compare(const UsageAggregate &got, const UsageAggregate &want)
    {
        QCOMPARE(got.requests, want.requests);
        QCOMPARE(got.errors, want.errors);
        QCOMPARE(got.inputTokens, want.inputTokens);
        QCOMPARE(got.outputTokens, want.outputTokens);
        QCOMPARE(got.costMicroUsd, want.costMicroUsd);
        QCOMPARE(got.unpricedRequests, want.unpricedRequests);
        QCOMPARE(got.unknownCostRequests, want.unknownCostRequests);
        QCOMPARE(got.latencyMsSum, want.latencyMsSum);
    }

private slots:
    void cleanup() { Calendar::setZone(QTimeZone()); }

    void agreesWithTheStore()
    {
        const QDateTime start = QDateTime::currentDateTimeUtc();
        QTemporaryDir dir;
        MetricsStore store({dir.path()});
        QVERIFY(store.open().ok());
        qint64 i = 0;
        // A previous run's history: 40 days, every 9 minutes 7 seconds.
        for (QDateTime at = start.addDays(-40); at < start; at = at.addSecs(9 * 60 + 7))
            store.record(requestAt(at, ++i));
        QVERIFY(store.flush(10'000));

        CalendarTotals totals(dir.path());
        QVERIFY(totals.load(start).ok());
        // This run: requests that reach both the store and the totals, as the fan-out sink
        // gives them.
        for (QDateTime at = start; at < start.addSecs(3 * 3600); at = at.addSecs(7 * 60 + 3)) {
            const UsageRecord r = requestAt(at, ++i);
            store.record(r);
            totals.record(r);
        }
        QVERIFY(store.flush(10'000));
        const QDateTime now = start.addSecs(3 * 3600);

        UsageQuery query(dir.path());
        QVERIFY(query.open().ok());
        for (const char *zoneName : {"", "Asia/Kolkata", "Asia/Kathmandu", "UTC", "America/St_Johns"}) {
            const QTimeZone zone = *zoneName ? QTimeZone(zoneName) : QTimeZone();
            Calendar::setZone(zone);
            QVERIFY(totals.load(now).ok()); // a reload that changed the zone
            QCOMPARE(totals.loadedBefore(), start);
            const QTimeZone in = Calendar::zone();
            for (const QDateTime &from : {Calendar::startOfDay(now, in), Calendar::startOfMonth(now, in)}) {
                const auto stored = query.total(from, {});
                QVERIFY(stored.ok());
                QVERIFY(stored->requests > 0);
                compare(from == Calendar::startOfDay(now, in) ? totals.today(now) : totals.thisMonth(now),
                        stored.value());
                if (QTest::currentTestFailed())
                    qWarning() << "in" << in.id() << "from" << from;
            }
        }
    }

    void noHistoryYet()
    {
        QTemporaryDir dir;
        CalendarTotals totals(dir.path());
        QVERIFY(totals.load(QDateTime::currentDateTimeUtc()).ok());
        QCOMPARE(totals.today(QDateTime::currentDateTimeUtc()).requests, 0);
        totals.record(requestAt(QDateTime::currentDateTimeUtc(), 1));
        QCOMPARE(totals.today(QDateTime::currentDateTimeUtc()).requests, 1);
    }
};

QTEST_GUILESS_MAIN(TestCalendarTotals)
#include "tst_calendartotals.moc"
