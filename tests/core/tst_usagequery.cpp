// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include "common/calendar.h"
#include "live/figures.h"
#include "store/database.h"
#include "store/metricsstore.h"
#include "store/usagequery.h"

using namespace sy;
using namespace sy::store;

namespace {

UsageRecord priced(const QDateTime &at, qint64 cost, qint64 input = 1, qint64 output = 1,
                   const QString &client = QStringLiteral("a"))
{
    UsageRecord r;
    r.startedAt = at;
    r.client = client;
    r.provider = QStringLiteral("openai");
    r.model = QStringLiteral("gpt-4o-mini");
    r.endpoint = QStringLiteral("/v1/chat/completions");
    r.status = 200;
    r.ttfbMs = 40;
    r.latencyMs = 100;
    r.inputTokens = input;
    r.outputTokens = output;
    r.costMicroUsd = cost;
    return r;
}

void write(const QString &dataDir, const QList<UsageRecord> &records)
{
    MetricsStore store({dataDir});
    QVERIFY(store.open().ok());
    for (const UsageRecord &r : records)
        store.record(r);
    QVERIFY(store.flush(10'000));
}

// What retention does to hourly rollups after 35 days, for any range: only daily rows
// (and the raw ones) are left to answer from.
void dropHourlyRollups(const QString &dataDir)
{
    Database db(Database::filePath(dataDir), QStringLiteral("drop"), Database::Mode::ReadWrite);
    QVERIFY(db.open().ok());
    QVERIFY(db.exec(QStringLiteral("DELETE FROM hourly")).ok());
}

} // namespace

class TestUsageQuery : public QObject
{
    Q_OBJECT

private slots:
    void aggregatesByDayAndHour()
    {
        QTemporaryDir dir;
        const QDateTime day1 = QDateTime::currentDateTimeUtc().addDays(-2);
        const QDateTime bucket1(day1.date(), QTime(0, 0), Qt::UTC);
        {
            MetricsStore store({dir.path()});
            QVERIFY(store.open().ok());
            const auto add = [&store](const QDateTime &at, const QString &model, qint64 cost, int status) {
                UsageRecord r;
                r.startedAt = at;
                r.client = QStringLiteral("agent");
                r.provider = QStringLiteral("anthropic");
                r.model = model;
                r.status = status;
                r.inputTokens = 10;
                r.outputTokens = 5;
                r.costMicroUsd = cost;
                store.record(r);
            };
            add(bucket1.addSecs(3600), QStringLiteral("claude-haiku-4-5"), 100, 200);
            add(bucket1.addSecs(3700), QStringLiteral("claude-haiku-4-5"), 50, 200);
            add(bucket1.addSecs(7200), QStringLiteral("claude-opus-4-5"), -1, 500);
            add(bucket1.addDays(1), QStringLiteral("claude-opus-4-5"), 1000, 200);
        }
        UsageQuery query(dir.path());
        QVERIFY(query.open().ok());

        auto rows = query.aggregate({});
        QVERIFY2(rows.ok(), qPrintable(rows.error()));
        QCOMPARE(rows->size(), 3);
        QCOMPARE(rows->at(0).bucketStart, bucket1);
        qint64 cost = 0;
        qint64 unknown = 0;
        for (const UsageAggregate &row : rows.value()) {
            cost += row.costMicroUsd;
            unknown += row.unknownCostRequests;
            QCOMPARE(row.client, QStringLiteral("agent"));
        }
        QCOMPARE(cost, 1150);
        QCOMPARE(unknown, 1);

        UsageQuery::Request perDay;
        perDay.byModel = false;
        perDay.from = bucket1.addSecs(1); // the bucket that contains it
        perDay.to = bucket1.addSecs(60);
        rows = query.aggregate(perDay);
        QVERIFY(rows.ok());
        QCOMPARE(rows->size(), 1);
        QCOMPARE(rows->first().requests, 3);
        QCOMPARE(rows->first().errors, 1);
        QVERIFY(rows->first().model.isEmpty());

        UsageQuery::Request hourly;
        hourly.granularity = UsageQuery::Granularity::Hour;
        hourly.from = bucket1;
        hourly.to = bucket1.addDays(1);
        rows = query.aggregate(hourly);
        QVERIFY(rows.ok());
        QCOMPARE(rows->size(), 2);
        QCOMPARE(rows->at(0).bucketStart, bucket1.addSecs(3600));
        QCOMPARE(rows->at(0).requests, 2);
    }

    void lastUseOfEachClient()
    {
        QTemporaryDir dir;
        const QDateTime day(QDateTime::currentDateTimeUtc().date().addDays(-3), QTime(0, 0), Qt::UTC);
        {
            MetricsStore store({dir.path()});
            QVERIFY(store.open().ok());
            const auto add = [&store](const QDateTime &at, const QString &client) {
                UsageRecord r;
                r.startedAt = at;
                r.client = client;
                r.provider = QStringLiteral("openai");
                r.model = QStringLiteral("gpt-4o-mini");
                r.status = 200;
                store.record(r);
            };
            add(day.addSecs(100), QStringLiteral("a"));
            add(day.addSecs(5000), QStringLiteral("a"));
            add(day.addDays(1).addSecs(42), QStringLiteral("b"));
            add(day.addDays(2).addMSecs(12'345), QStringLiteral("b"));
            add(day.addDays(2).addSecs(10), QStringLiteral("a")); // a later day for a
            add(day.addDays(2).addSecs(20), QStringLiteral("c"));
        }
        UsageQuery query(dir.path());
        QVERIFY(query.open().ok());
        const auto lastUsed = query.lastUsedByClient();
        QVERIFY2(lastUsed.ok(), qPrintable(lastUsed.error()));
        QCOMPARE(lastUsed->size(), 3);
        QCOMPARE(lastUsed->value(QStringLiteral("a")), day.addDays(2).addSecs(10));
        QCOMPARE(lastUsed->value(QStringLiteral("b")), day.addDays(2).addMSecs(12'345));
        QCOMPARE(lastUsed->value(QStringLiteral("c")), day.addDays(2).addSecs(20));
    }

    // Today in Kolkata (UTC+5:30) begins at 18:30 UTC, in the middle of an hourly rollup:
    // the edges come from the raw rows. Worked by hand; the same with only daily rollups.
    void todayInAHalfHourZone()
    {
        const QTimeZone kolkata("Asia/Kolkata");
        const QDate day = Calendar::dateOf(QDateTime::currentDateTimeUtc().addDays(-3), kolkata);
        const QDateTime start = day.startOfDay(kolkata).toUTC();
        const QDateTime end = start.addDays(1);
        QCOMPARE(start.time(), QTime(18, 30));
        UsageRecord unknownInput = priced(start.addSecs(20 * 60), 20, -1, 5); // 18:50: input unknown
        UsageRecord unpriced = priced(end.addMSecs(-1), -1, 1000, 1); // answered, no price
        UsageRecord refused = priced(start.addSecs(3600), -1, -1, -1); // 401: an error, costs nothing
        refused.status = 401;
        refused.outcome = Outcome::Rejected;
        refused.ttfbMs = -1;
        QTemporaryDir dir;
        write(dir.path(),
              {
                  priced(start.addMSecs(-1), 1, 7, 7), // yesterday
                  priced(start, 10, 100, 20), // 18:30, raw
                  unknownInput, priced(start.addSecs(30 * 60), 300), // 19:00, hourly
                  priced(start.addSecs(12 * 3600), 4000, 1, 1, QStringLiteral("b")),
                  priced(end.addSecs(-15 * 60), 50'000), // 18:15, raw
                  unpriced, refused, priced(end, 700'000, 7, 7), // tomorrow
              });
        UsageQuery query(dir.path());
        QVERIFY(query.open().ok());
        for (const bool hourly : {true, false}) {
            if (!hourly)
                dropHourlyRollups(dir.path());
            const auto today = query.total(start, end);
            QVERIFY2(today.ok(), qPrintable(today.error()));
            QCOMPARE(today->requests, 7);
            QCOMPARE(today->errors, 1);
            QCOMPARE(today->costMicroUsd, 10 + 20 + 300 + 4000 + 50'000);
            QCOMPARE(today->unpricedRequests, 1); // the 401 is not one
            QCOMPARE(today->unknownCostRequests, 2);
            QCOMPARE(today->inputTokens, 100 + 1 + 1 + 1 + 1000); // unknowns skipped
            QCOMPARE(today->outputTokens, 20 + 5 + 1 + 1 + 1 + 1);
            QCOMPARE(today->bucketStart, start);

            UsageQuery::Grouping byClient;
            byClient.byClient = true;
            const auto clients = query.totals(start, end, byClient);
            QVERIFY(clients.ok());
            QCOMPARE(clients->size(), 2);
            QCOMPARE(clients->at(0).client, QStringLiteral("a"));
            QCOMPARE(clients->at(0).costMicroUsd, 50'330);
            QCOMPARE(clients->at(1).client, QStringLiteral("b"));
            QCOMPARE(clients->at(1).costMicroUsd, 4000);

            // Half an hour on either side of 18:30 UTC, each inside one hour.
            QCOMPARE(query.total(start.addSecs(-30 * 60), start)->costMicroUsd, 1);
            QCOMPARE(query.total(start, start.addSecs(30 * 60))->costMicroUsd, 30);
            QCOMPARE(query.total({}, {})->requests, 9);
            QCOMPARE(query.total(end, {})->costMicroUsd, 700'000);
        }
        // Nothing in range: one row of zeros, not an empty list.
        const auto none = query.totals(end.addDays(1), end.addDays(2), {});
        QVERIFY(none.ok());
        QCOMPARE(none->size(), 1);
        QCOMPARE(none->first().requests, 0);
    }

    // Days of 23 or 25 hours: the day the clocks last changed in New York.
    void dayAcrossADaylightSavingChange()
    {
        const QTimeZone newYork("America/New_York");
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const QTimeZone::OffsetData change = newYork.previousTransition(now);
        QVERIFY(change.atUtc.isValid());
        const QDateTime start = Calendar::startOfDay(change.atUtc, newYork);
        const QDateTime end = Calendar::startOfNextDay(change.atUtc, newYork);
        const qint64 hours = start.secsTo(end) / 3600;
        QVERIFY2(hours == 23 || hours == 25, qPrintable(QString::number(hours)));
        QTemporaryDir dir;
        write(dir.path(),
              {priced(start.addMSecs(-1), 1), priced(start, 10), priced(change.atUtc, 100),
               priced(end.addSecs(-30 * 60), 1000), // 23:30 local, the 23rd or 25th hour
               priced(end, 10'000)});
        UsageQuery query(dir.path());
        QVERIFY(query.open().ok());
        QCOMPARE(query.total(start, end)->costMicroUsd, 1110);
        dropHourlyRollups(dir.path());
        QCOMPARE(query.total(start, end)->costMicroUsd, 1110);
    }

    // Against a plain sum of the rows, for ranges with edges anywhere, in the system's zone
    // (the test runs a second time with TZ=Asia/Kolkata): today and this month too.
    void agreesWithTheRowsForAnyRange()
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QList<UsageRecord> records;
        // Every 7 minutes and 13 seconds for 50 days, so hourly rows reach back 35 of them.
        for (QDateTime at = now.addDays(-50); at < now; at = at.addSecs(7 * 60 + 13))
            records.append(priced(at, records.size() % 9 ? records.size() : -1, records.size() % 5 ? 3 : -1, 2,
                                  records.size() % 2 ? QStringLiteral("a") : QStringLiteral("b")));
        QTemporaryDir dir;
        write(dir.path(), records);
        {
            // As retention leaves them: hourly rows for 35 days only.
            Database db(Database::filePath(dir.path()), QStringLiteral("trim"), Database::Mode::ReadWrite);
            QVERIFY(db.open().ok());
            QVERIFY(db.exec(QStringLiteral("DELETE FROM hourly WHERE hour < %1")
                                .arg(now.addDays(-35).toMSecsSinceEpoch() / 3'600'000))
                        .ok());
        }
        const auto expected = [&records](const QDateTime &from, const QDateTime &to) {
            live::Figures sum;
            for (const UsageRecord &r : records) {
                if (r.startedAt >= from && r.startedAt < to)
                    sum.add(r);
            }
            return sum;
        };
        UsageQuery query(dir.path());
        QVERIFY(query.open().ok());
        QList<std::pair<QDateTime, QDateTime>> ranges {
            {Calendar::startOfDay(now), now.addSecs(1)},
            {Calendar::startOfMonth(now, Calendar::zone()), now.addSecs(1)},
            {Calendar::startOfDay(now.addDays(-40)), Calendar::startOfNextDay(now.addDays(-40), Calendar::zone())},
        };
        auto *random = QRandomGenerator::global();
        for (int i = 0; i < 40; ++i) {
            const qint64 a = now.addDays(-52).toMSecsSinceEpoch() + qint64(random->bounded(52.0 * 86'400'000));
            const qint64 b = a + qint64(random->bounded(i % 2 ? 3.0 * 3'600'000 : 20.0 * 86'400'000));
            ranges.append({QDateTime::fromMSecsSinceEpoch(a, Qt::UTC), QDateTime::fromMSecsSinceEpoch(b, Qt::UTC)});
        }
        for (const auto &[from, to] : ranges) {
            const live::Figures want = expected(from, to);
            const auto got = query.total(from, to);
            QVERIFY(got.ok());
            const QString where = from.toString(Qt::ISODateWithMs) + u' ' + to.toString(Qt::ISODateWithMs);
            QVERIFY2(got->requests == want.requests, qPrintable(where));
            QVERIFY2(got->costMicroUsd == want.costMicroUsd, qPrintable(where));
            QVERIFY2(got->inputTokens == want.inputTokens, qPrintable(where));
            QVERIFY2(got->unpricedRequests == want.unpricedRequests, qPrintable(where));
        }
    }

    // Today's figures are the store's rows plus those not yet committed (live::Figures): both
    // must count errors, tokens, spend and unpriced requests alike, or the numbers would jump
    // when a batch commits.
    void countsAsTheLiveFiguresDo()
    {
        const QDateTime at = QDateTime::currentDateTimeUtc().addSecs(-60);
        QList<UsageRecord> records;
        records << priced(at, 1500, 1000, 200);
        UsageRecord r = priced(at, -1, 10, 5); // no price for the model
        records << r;
        r = priced(at, -1, -1, -1); // a success whose usage never came: unpriced too
        records << r;
        r.status = 401; // refused by the gateway: an error, costs nothing
        r.outcome = Outcome::Rejected;
        r.ttfbMs = -1;
        records << r;
        r = priced(at, -1, -1, -1);
        r.status = 502;
        r.outcome = Outcome::UpstreamFailed;
        r.ttfbMs = -1;
        records << r;
        r = priced(at, -1, -1, -1);
        r.status = 429; // the provider's own 429, with a first byte
        records << r;
        r = priced(at, 77, 30, 3);
        r.outcome = Outcome::UpstreamTruncated;
        records << r;
        r = priced(at, -1, 30, -1);
        r.outcome = Outcome::ClientDisconnected;
        records << r;
        live::Figures live;
        for (const UsageRecord &record : records)
            live.add(record);
        QTemporaryDir dir;
        write(dir.path(), records);
        UsageQuery query(dir.path());
        QVERIFY(query.open().ok());
        for (const bool hourly : {true, false}) {
            if (!hourly)
                dropHourlyRollups(dir.path());
            for (const auto &[from, to] : {std::pair {at, at.addSecs(1)}, std::pair {at.addSecs(-3600), QDateTime()}}) {
                const auto stored = query.total(from, to);
                QVERIFY(stored.ok());
                QCOMPARE(stored->requests, live.requests);
                QCOMPARE(stored->errors, live.errors());
                QCOMPARE(stored->inputTokens, live.inputTokens);
                QCOMPARE(stored->outputTokens, live.outputTokens);
                QCOMPARE(stored->costMicroUsd, live.costMicroUsd);
                QCOMPARE(stored->unpricedRequests, live.unpricedRequests);
                QCOMPARE(stored->unpricedRequests, 3);
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestUsageQuery)
#include "tst_usagequery.moc"
