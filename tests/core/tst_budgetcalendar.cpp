// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// Budgets in the calendar's zone: local midnights, half- and quarter-hour offsets, days of
// 23 and 25 hours, a zone changed by a reload, and spend seeded from the store.
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include "common/calendar.h"
#include "limits/budgethistory.h"
#include "limits/budgettracker.h"
#include "limits/limitsconfig.h"
#include "store/metricsstore.h"

using namespace sy;
using namespace sy::limits;

namespace {

QList<Budget> budgetsFrom(const QByteArray &json)
{
    auto config = LimitsConfig::fromJson({}, QJsonDocument::fromJson(json).array());
    return config.ok() ? config->budgets : QList<Budget>();
}

QDateTime utc(int y, int mo, int d, int h, int mi, int s = 0)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s), Qt::UTC);
}

} // namespace

class TestBudgetCalendar : public QObject
{
    Q_OBJECT

private slots:
    void cleanup() { Calendar::setZone(QTimeZone()); }

    void dailyBudgetTurnsAtLocalMidnight()
    {
        Calendar::setZone(QTimeZone("Asia/Kolkata"));
        BudgetTracker budgets;
        budgets.configure(budgetsFrom(R"([{"scope":"client","name":"a","daily_usd":1}])"));
        const QDateTime late = utc(2026, 11, 20, 18, 0); // 23:30 in Kolkata
        auto spend = budgets.admit(u"a"_qs, 0, late);
        QVERIFY(spend.admitted());
        spend.reservation->settle(1'200'000, late);
        const auto refused = budgets.admit(u"a"_qs, 0, late);
        QVERIFY(!refused.admitted());
        QCOMPARE(refused.retryAfterSeconds, qint64(30 * 60)); // to local midnight, not UTC's
        QVERIFY(!budgets.admit(u"a"_qs, 0, utc(2026, 11, 20, 18, 29, 59)).admitted());
        QVERIFY(budgets.admit(u"a"_qs, 0, utc(2026, 11, 20, 18, 30)).admitted()); // Nov 21 began
        QCOMPARE(budgets.spent(u"a"_qs, false, utc(2026, 11, 20, 18, 30)), qint64(0));
        QCOMPARE(budgets.spent(u"a"_qs, true, utc(2026, 11, 20, 18, 30)), qint64(1'200'000));
    }

    void monthlyBudgetTurnsAtTheLocalMonthStart()
    {
        Calendar::setZone(QTimeZone("Asia/Kolkata"));
        BudgetTracker budgets;
        budgets.configure(budgetsFrom(R"([{"scope":"global","monthly_usd":5}])"));
        budgets.addRecorded(u"a"_qs, 5'000'000, utc(2026, 10, 31, 18, 30)); // Nov 1, 00:00 local
        budgets.addRecorded(u"a"_qs, 9'000'000, utc(2026, 10, 31, 18, 29)); // still October there
        const auto refused = budgets.admit(u"b"_qs, 0, utc(2026, 11, 30, 18, 0));
        QVERIFY(!refused.admitted());
        QCOMPARE(refused.retryAfterSeconds, qint64(30 * 60)); // December begins at 18:30 UTC
        QVERIFY(budgets.admit(u"b"_qs, 0, utc(2026, 11, 30, 18, 30)).admitted());
    }

    void retryAfterCountsADaylightSavingDay_data()
    {
        QTest::addColumn<QDate>("day");
        QTest::addColumn<qint64>("hours");
        QTest::newRow("spring forward") << QDate(2026, 3, 8) << qint64(23);
        QTest::newRow("fall back") << QDate(2026, 11, 1) << qint64(25);
    }
    void retryAfterCountsADaylightSavingDay()
    {
        QFETCH(QDate, day);
        QFETCH(qint64, hours);
        const QTimeZone newYork("America/New_York");
        Calendar::setZone(newYork);
        BudgetTracker budgets;
        budgets.configure(budgetsFrom(R"([{"scope":"global","daily_usd":1}])"));
        const QDateTime midnight = day.startOfDay(newYork).toUTC();
        budgets.addRecorded({}, 1'000'000, midnight);
        const auto refused = budgets.admit(u"a"_qs, 0, midnight);
        QVERIFY(!refused.admitted());
        QCOMPARE(refused.retryAfterSeconds, hours * 3600);
        QVERIFY(!budgets.admit(u"a"_qs, 0, midnight.addSecs(hours * 3600 - 1)).admitted());
        QVERIFY(budgets.admit(u"a"_qs, 0, midnight.addSecs(hours * 3600)).admitted());
    }

    // Spend is kept by instant: a reload that changes the zone re-sums the same spend into
    // the new zone's days, to the quarter hour (Nepal is UTC+5:45).
    void aZoneChangeReSumsTheSameSpend()
    {
        BudgetTracker budgets;
        budgets.configure(budgetsFrom(R"([{"scope":"global","daily_usd":100}])"));
        for (const auto &[at, cost] :
             {std::pair {utc(2026, 11, 20, 18, 14, 59), 1}, std::pair {utc(2026, 11, 20, 18, 15), 10},
              std::pair {utc(2026, 11, 20, 18, 29, 59), 100}, std::pair {utc(2026, 11, 20, 18, 30), 1000}}) {
            auto admitted = budgets.admit(u"a"_qs, 0, at);
            QVERIFY(admitted.admitted());
            admitted.reservation->settle(cost, at);
        }
        const QDateTime now = utc(2026, 11, 20, 19, 0);
        Calendar::setZone(QTimeZone::utc());
        QCOMPARE(budgets.spent({}, false, now), qint64(1111));
        Calendar::setZone(QTimeZone("Asia/Kathmandu")); // Nov 21 began at 18:15 UTC
        QCOMPARE(budgets.spent({}, false, now), qint64(1110));
        Calendar::setZone(QTimeZone("Asia/Kolkata")); // at 18:30 UTC
        QCOMPARE(budgets.spent({}, false, now), qint64(1000));
        Calendar::setZone(QTimeZone::utc());
        QCOMPARE(budgets.spent({}, false, now), qint64(1111));
    }

    void prepaidSinceIsALocalDate()
    {
        Calendar::setZone(QTimeZone("Asia/Kolkata"));
        BudgetTracker budgets;
        budgets.configure(
            budgetsFrom(R"([{"scope":"client","name":"a","prepaid_usd":10,"prepaid_since":"2026-11-01"}])"));
        budgets.addRecorded(u"a"_qs, 50'000'000, utc(2026, 10, 31, 18, 29)); // Oct 31 there: not drawn
        budgets.addRecorded(u"a"_qs, 9'000'000, utc(2026, 10, 31, 18, 30)); // Nov 1: drawn
        QCOMPARE(budgets.spentSince(u"a"_qs, QDate(2026, 11, 1)), qint64(9'000'000));
        QVERIFY(budgets.admit(u"a"_qs, 0, utc(2026, 11, 20, 12, 0)).admitted());
        budgets.addRecorded(u"a"_qs, 1'000'000, utc(2026, 11, 2, 0, 0));
        QVERIFY(!budgets.admit(u"a"_qs, 0, utc(2026, 11, 20, 12, 0)).admitted());
    }

    // At start the store's history is cut at the calendar's midnights, so today, this
    // month and a balance count exactly what they should, in any zone; a reload into another
    // zone re-cuts it, without counting this process's own spend twice.
    void seededFromTheStoreExactly()
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QList<UsageRecord> records;
        for (QDateTime at = now.addDays(-45); at < now; at = at.addSecs(11 * 60 + 7)) {
            UsageRecord r;
            r.startedAt = at;
            r.client = records.size() % 3 ? QStringLiteral("a") : QStringLiteral("b");
            r.provider = QStringLiteral("openai");
            r.model = QStringLiteral("gpt-4o-mini");
            r.status = 200;
            r.inputTokens = 1;
            r.outputTokens = 1;
            r.costMicroUsd = records.size() % 7 ? 1000 + records.size() : -1;
            records.append(r);
        }
        QTemporaryDir dir;
        {
            store::MetricsStore store({dir.path()});
            QVERIFY(store.open().ok());
            for (const UsageRecord &r : records)
                store.record(r);
            QVERIFY(store.flush(10'000));
        }
        const auto sum = [&records](const QString &client, const QDateTime &from) {
            qint64 total = 0;
            for (const UsageRecord &r : records) {
                if (r.startedAt >= from && r.costMicroUsd > 0 && (client.isEmpty() || r.client == client))
                    total += r.costMicroUsd;
            }
            return total;
        };
        const QDate balanceDay = now.addDays(-40).date();
        BudgetTracker budgets;
        budgets.configure(budgetsFrom(QStringLiteral(R"([{"scope":"client","name":"a","prepaid_usd":1000000,)"
                                                     R"("prepaid_since":"%1","daily_usd":1000}])")
                                          .arg(balanceDay.toString(Qt::ISODate))
                                          .toUtf8()));
        for (const char *zoneName : {"Asia/Kolkata", "UTC", "Asia/Kathmandu", "America/St_Johns"}) {
            const QTimeZone zone(zoneName);
            Calendar::setZone(zone);
            const Status loaded = BudgetHistory::load(budgets, dir.path(), now.addSecs(zone.id() == "UTC" ? 5 : 0));
            QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
            QCOMPARE(budgets.recordedBefore(), now); // the first load's instant, every time
            for (const QString &client : {QString(), QStringLiteral("a"), QStringLiteral("b")}) {
                QCOMPARE(budgets.spent(client, false, now), sum(client, Calendar::startOfDay(now, zone)));
                QCOMPARE(budgets.spent(client, true, now), sum(client, Calendar::startOfMonth(now, zone)));
            }
            QCOMPARE(budgets.spentSince(u"a"_qs, balanceDay), sum(u"a"_qs, balanceDay.startOfDay(zone)));
        }
        // Spend settled by this process after the start is not read back from the store.
        auto request = budgets.admit(u"a"_qs, 0, now.addSecs(1));
        QVERIFY(request.admitted());
        request.reservation->settle(777, now.addSecs(1));
        {
            store::MetricsStore store({dir.path()});
            QVERIFY(store.open().ok());
            UsageRecord r = records.last();
            r.startedAt = now.addSecs(1);
            r.costMicroUsd = 777;
            store.record(r);
            QVERIFY(store.flush(10'000));
        }
        QVERIFY(BudgetHistory::load(budgets, dir.path(), now.addSecs(2)).ok());
        QCOMPARE(budgets.spent(u"a"_qs, false, now.addSecs(2)),
                 sum(u"a"_qs, Calendar::startOfDay(now, Calendar::zone())) + 777);
    }
};

QTEST_GUILESS_MAIN(TestBudgetCalendar)
#include "tst_budgetcalendar.moc"
