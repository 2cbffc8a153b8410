// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// Token buckets, the rate limiter and budgets, with time given, never waited for.
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QThread>

#include "common/calendar.h"
#include "limits/budgettracker.h"
#include "limits/limitsconfig.h"
#include "limits/ratelimiter.h"
#include "limits/tokenbucket.h"

using namespace sy::limits;

class TestLimits : public QObject
{
    Q_OBJECT

private:
    static LimitsConfig parse(const QByteArray &limits, const QByteArray &budgets = "[]")
    {
        auto config
            = LimitsConfig::fromJson(QJsonDocument::fromJson(limits).array(), QJsonDocument::fromJson(budgets).array());
        return config.ok() ? config.value() : LimitsConfig();
    }

private slots:
    // These budgets are worked in UTC days; tst_budgetcalendar works them in other zones.
    void initTestCase() { sy::Calendar::setZone(QTimeZone::utc()); }
    void cleanupTestCase() { sy::Calendar::setZone(QTimeZone()); }

    void bucketRefillsContinuously()
    {
        TokenBucket bucket(60, 0); // one a second
        for (int i = 0; i < 60; ++i)
            QVERIFY(!bucket.take(1, 0));
        QCOMPARE(bucket.take(1, 0).value_or(-1), qint64(1000));
        QCOMPARE(bucket.take(1, 500).value_or(-1), qint64(500));
        QVERIFY(!bucket.take(1, 1000));
        QVERIFY(bucket.take(1, 1000)); // empty again
    }

    void bucketCorrectionMayGoBelowZero()
    {
        TokenBucket tokens(1000, 0);
        QVERIFY(!tokens.take(100, 0)); // estimate
        tokens.adjust(100 - 2000, 0); // the request really used 2,000
        QVERIFY(tokens.level(0) < 0);
        QCOMPARE(tokens.take(1, 0).value_or(-1), qint64(std::ceil((1 - tokens.level(0)) * 60.0)));
    }

    void oversizedRequestPassesOnAFullBucket()
    {
        TokenBucket tokens(1000, 0);
        QVERIFY(!tokens.take(5000, 0)); // larger than a minute's allowance: allowed when full...
        QVERIFY(tokens.take(1, 0)); // ...and the debt is paid before the next one
    }

    void config_data()
    {
        QTest::addColumn<QByteArray>("limits");
        QTest::addColumn<QByteArray>("budgets");
        QTest::addColumn<QString>("error");
        QTest::newRow("ok") << QByteArray(
            "[{\"scope\":\"client\",\"name\":\"a\",\"rpm\":60,\"tpm\":200000,\"concurrency\":4}]")
                            << QByteArray("[{\"scope\":\"global\",\"monthly_usd\":200}]") << QString();
        QTest::newRow("unknown scope") << QByteArray("[{\"scope\":\"team\",\"name\":\"a\"}]") << QByteArray("[]")
                                       << u"scope"_qs;
        QTest::newRow("no name") << QByteArray("[{\"scope\":\"model\",\"rpm\":1}]") << QByteArray("[]")
                                 << u"name is required"_qs;
        QTest::newRow("negative") << QByteArray("[{\"scope\":\"client\",\"name\":\"a\",\"rpm\":-1}]")
                                  << QByteArray("[]") << u"whole numbers"_qs;
        QTest::newRow("fraction") << QByteArray("[{\"scope\":\"client\",\"name\":\"a\",\"tpm\":1.5}]")
                                  << QByteArray("[]") << u"whole numbers"_qs;
        QTest::newRow("budget scope") << QByteArray("[]")
                                      << QByteArray("[{\"scope\":\"model\",\"name\":\"m\",\"daily_usd\":1}]")
                                      << u"client or global"_qs;
        QTest::newRow("budget amount") << QByteArray("[]") << QByteArray("[{\"scope\":\"global\",\"daily_usd\":\"5\"}]")
                                       << u"amounts"_qs;
    }

    void config()
    {
        QFETCH(QByteArray, limits);
        QFETCH(QByteArray, budgets);
        QFETCH(QString, error);
        const auto parsed
            = LimitsConfig::fromJson(QJsonDocument::fromJson(limits).array(), QJsonDocument::fromJson(budgets).array());
        QCOMPARE(parsed.ok(), error.isEmpty());
        if (!error.isEmpty())
            QVERIFY2(parsed.error().contains(error), qPrintable(parsed.error()));
    }

    void rpmPerClientIndependently()
    {
        RateLimiter limiter;
        limiter.configure(parse("[{\"scope\":\"client\",\"name\":\"a\",\"rpm\":2}]").limits);
        QVERIFY(limiter.admit({u"a"_qs, u"p"_qs, u"m"_qs, {}}, 10, 0).admitted());
        QVERIFY(limiter.admit({u"a"_qs, u"p"_qs, u"m"_qs, {}}, 10, 0).admitted());
        const auto refused = limiter.admit({u"a"_qs, u"p"_qs, u"m"_qs, {}}, 10, 0);
        QVERIFY(!refused.admitted());
        QCOMPARE(refused.retryAfterMs, qint64(30'000));
        QVERIFY(refused.refusedBy.contains(u"client 'a': 2 requests per minute"));
        QVERIFY(limiter.admit({u"b"_qs, u"p"_qs, u"m"_qs, {}}, 10, 0).admitted()); // another client
        QVERIFY(limiter.admit({u"a"_qs, u"p"_qs, u"m"_qs, {}}, 10, 30'000).admitted()); // refilled
    }

    void refusalTakesNothing()
    {
        RateLimiter limiter;
        limiter.configure(
            parse("[{\"scope\":\"client\",\"name\":\"a\",\"rpm\":10},{\"scope\":\"model\",\"name\":\"m\",\"tpm\":100}]")
                .limits);
        QVERIFY(limiter.admit({u"a"_qs, {}, u"m"_qs, {}}, 500, 0).admitted()); // a full bucket admits the oversized one
        const auto refused = limiter.admit({u"a"_qs, {}, u"m"_qs, {}}, 50, 0);
        QVERIFY(!refused.admitted());
        QVERIFY(refused.refusedBy.contains(u"tokens per minute"));
        // The client's rpm was not charged for the refused request: nine more fit, not eight.
        for (int i = 0; i < 9; ++i)
            QVERIFY(limiter.admit({u"a"_qs, {}, u"other"_qs, {}}, 1, 0).admitted());
        QVERIFY(!limiter.admit({u"a"_qs, {}, u"other"_qs, {}}, 1, 0).admitted());
    }

    void tpmCorrectedByRealUsage()
    {
        RateLimiter limiter;
        limiter.configure(parse("[{\"scope\":\"provider\",\"name\":\"p\",\"tpm\":1000}]").limits);
        auto first = limiter.admit({{}, u"p"_qs, {}, {}}, 900, 0);
        QVERIFY(first.admitted());
        QVERIFY(!limiter.admit({{}, u"p"_qs, {}, {}}, 200, 0).admitted());
        first.ticket->complete(100); // it used far less than estimated
        QVERIFY(limiter.admit({{}, u"p"_qs, {}, {}}, 200, 0).admitted());
    }

    void concurrencyFreedWhenTheTicketGoes()
    {
        RateLimiter limiter;
        limiter.configure(parse("[{\"scope\":\"client\",\"name\":\"a\",\"concurrency\":1}]").limits);
        auto running = limiter.admit({u"a"_qs, {}, {}, {}}, 1, 0);
        QVERIFY(running.admitted());
        const auto refused = limiter.admit({u"a"_qs, {}, {}, {}}, 1, 0);
        QVERIFY(!refused.admitted());
        QVERIFY(refused.refusedBy.contains(u"requests at once"));
        running.ticket.reset(); // finished (or the client went away)
        QVERIFY(limiter.admit({u"a"_qs, {}, {}, {}}, 1, 0).admitted());
    }

    void perAddressBucketsOnlyWithAnAddress()
    {
        RateLimiter limiter;
        limiter.configure(parse("[{\"scope\":\"address\",\"rpm\":1}]").limits);
        QVERIFY(limiter.admit({{}, {}, {}, u"10.0.0.2"_qs}, 1, 0).admitted());
        QVERIFY(!limiter.admit({{}, {}, {}, u"10.0.0.2"_qs}, 1, 0).admitted());
        QVERIFY(limiter.admit({{}, {}, {}, u"10.0.0.3"_qs}, 1, 0).admitted());
        QVERIFY(limiter.admit({{}, {}, {}, {}}, 1, 0).admitted()); // loopback: no address given
        QVERIFY(limiter.admit({{}, {}, {}, {}}, 1, 0).admitted());
    }

    void concurrentAdmitsCountExactly()
    {
        RateLimiter limiter;
        limiter.configure(parse("[{\"scope\":\"client\",\"name\":\"a\",\"rpm\":1000}]").limits);
        std::atomic<int> admitted {0};
        QList<QThread *> threads;
        for (int t = 0; t < 4; ++t) {
            threads.append(QThread::create([&] {
                for (int i = 0; i < 500; ++i) {
                    if (limiter.admit({u"a"_qs, {}, {}, {}}, 1, 0).admitted())
                        ++admitted;
                }
            }));
            threads.last()->start();
        }
        for (QThread *thread : threads) {
            QVERIFY(thread->wait(10000));
            delete thread;
        }
        QCOMPARE(admitted.load(), 1000);
    }

    void budgetCutsOffAfterTheCrossingRequest()
    {
        BudgetTracker budgets;
        budgets.configure(parse("[]", "[{\"scope\":\"client\",\"name\":\"a\",\"daily_usd\":1}]").budgets);
        const QDateTime noon(QDate(2026, 11, 20), QTime(12, 0), Qt::UTC);
        auto first = budgets.admit(u"a"_qs, 0, noon);
        QVERIFY(first.admitted());
        first.reservation->settle(600'000, noon); // $0.60: still below the cap
        auto crossing = budgets.admit(u"a"_qs, 0, noon);
        QVERIFY(crossing.admitted()); // admitted while below...
        crossing.reservation->settle(700'000, noon); // ...and it completes, crossing to $1.30
        const auto refused = budgets.admit(u"a"_qs, 0, noon);
        QVERIFY(!refused.admitted());
        QVERIFY(refused.refusedBy.contains(u"client 'a' daily budget of $1.00"));
        QCOMPARE(refused.retryAfterSeconds, qint64(12 * 3600));
        QVERIFY(budgets.admit(u"b"_qs, 0, noon).admitted()); // other clients unaffected
        QVERIFY(budgets.admit(u"a"_qs, 0, noon.addSecs(12 * 3600)).admitted()); // the day turned
    }

    void inFlightEstimatesCount()
    {
        BudgetTracker budgets;
        budgets.configure(parse("[]", "[{\"scope\":\"global\",\"monthly_usd\":1}]").budgets);
        const QDateTime now(QDate(2026, 11, 20), QTime(12, 0), Qt::UTC);
        auto a = budgets.admit(u"x"_qs, 1'000'000, now); // estimated at the whole cap
        QVERIFY(a.admitted());
        QVERIFY(!budgets.admit(u"y"_qs, 1, now).admitted());
        a.reservation->settle(10, now); // it cost almost nothing
        QVERIFY(budgets.admit(u"y"_qs, 1, now).admitted());
        QCOMPARE(budgets.spent({}, true, now), qint64(10));
    }

    void recordedSpendSeedsTheMonth()
    {
        BudgetTracker budgets;
        budgets.configure(parse("[]", "[{\"scope\":\"global\",\"monthly_usd\":5}]").budgets);
        const QDateTime now(QDate(2026, 11, 20), QTime(12, 0), Qt::UTC);
        budgets.addRecorded(u"a"_qs, 5'000'000, now.addDays(-3));
        budgets.addRecorded(u"a"_qs, 9'000'000, now.addMonths(-1)); // last month: does not count
        const auto refused = budgets.admit(u"a"_qs, 0, now);
        QVERIFY(!refused.admitted());
        QVERIFY(refused.refusedBy.contains(u"monthly budget of $5.00"));
        QVERIFY(budgets.admit(u"a"_qs, 0, QDateTime(QDate(2026, 12, 1), QTime(0, 0), Qt::UTC)).admitted());
    }

    void prepaidBalanceIsDrawnDownBySpendSinceItsDate()
    {
        BudgetTracker budgets;
        budgets.configure(parse("[]",
                                "[{\"scope\":\"client\",\"name\":\"a\",\"prepaid_usd\":10,"
                                "\"prepaid_since\":\"2026-10-15\"}]")
                              .budgets);
        const QDateTime now(QDate(2026, 11, 20), QTime(12, 0), Qt::UTC);
        budgets.addRecorded(u"a"_qs, 50'000'000,
                            QDateTime(QDate(2026, 10, 14), QTime(23, 0), Qt::UTC)); // before: not drawn
        budgets.addRecorded(u"a"_qs, 6'000'000,
                            QDateTime(QDate(2026, 10, 20), QTime(9, 0), Qt::UTC)); // last month: drawn
        QCOMPARE(budgets.spentSince(u"a"_qs, QDate(2026, 10, 15)), qint64(6'000'000));
        auto crossing = budgets.admit(u"a"_qs, 0, now);
        QVERIFY(crossing.admitted()); // $6 of $10 used
        crossing.reservation->settle(4'500'000, now); // completes, crossing to $10.50
        const auto refused = budgets.admit(u"a"_qs, 0, now);
        QVERIFY(!refused.admitted());
        QVERIFY2(refused.refusedBy.contains(u"client 'a' prepaid balance of $10.00 (since 2026-10-15)"),
                 qPrintable(refused.refusedBy));
        QVERIFY(refused.retryAfterSeconds >= 60); // no period turns: SDKs should not retry soon
        QVERIFY(!budgets.admit(u"a"_qs, 0, now.addMonths(1)).admitted()); // a new month changes nothing
        QVERIFY(budgets.admit(u"b"_qs, 0, now).admitted());

        // A top-up is a config edit: the same spend, a larger balance.
        budgets.configure(parse("[]",
                                "[{\"scope\":\"client\",\"name\":\"a\",\"prepaid_usd\":25,"
                                "\"prepaid_since\":\"2026-10-15\"}]")
                              .budgets);
        QVERIFY(budgets.admit(u"a"_qs, 0, now).admitted());
    }

    void prepaidBalanceNeedsADateAndAClient_data()
    {
        QTest::addColumn<QByteArray>("budgets");
        QTest::newRow("no date") << QByteArray("[{\"scope\":\"client\",\"name\":\"a\",\"prepaid_usd\":10}]");
        QTest::newRow("bad date") << QByteArray(
            "[{\"scope\":\"client\",\"name\":\"a\",\"prepaid_usd\":10,\"prepaid_since\":\"soon\"}]");
        QTest::newRow("global") << QByteArray(
            "[{\"scope\":\"global\",\"prepaid_usd\":10,\"prepaid_since\":\"2026-01-01\"}]");
        QTest::newRow("negative") << QByteArray(
            "[{\"scope\":\"client\",\"name\":\"a\",\"prepaid_usd\":-1,\"prepaid_since\":\"2026-01-01\"}]");
    }

    void prepaidBalanceNeedsADateAndAClient()
    {
        QFETCH(QByteArray, budgets);
        const auto parsed = LimitsConfig::fromJson({}, QJsonDocument::fromJson(budgets).array());
        QVERIFY(!parsed.ok());
        QVERIFY(parsed.error().contains(u"prepaid"));
    }
};

QTEST_GUILESS_MAIN(TestLimits)
#include "tst_limits.moc"
