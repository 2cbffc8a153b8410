// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include <QTemporaryDir>
#include <QTest>

#include "store/metricsstore.h"
#include "store/usagequery.h"

using namespace sy;
using namespace sy::store;

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
};

QTEST_GUILESS_MAIN(TestUsageQuery)
#include "tst_usagequery.moc"
