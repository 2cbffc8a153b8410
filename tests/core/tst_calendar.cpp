// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include <QTest>

#include "common/calendar.h"

using namespace sy;

// ctest runs this twice: as is, and with TZ=Asia/Kolkata (the system zone then has a
// half-hour offset).
class TestCalendar : public QObject
{
    Q_OBJECT

private slots:
    void startOfDay_data()
    {
        QTest::addColumn<QByteArray>("zone");
        QTest::addColumn<QDateTime>("instant");
        QTest::addColumn<QDateTime>("dayStart");
        QTest::addColumn<QDateTime>("nextDayStart");
        const auto utc
            = [](int y, int m, int d, int h, int min) { return QDateTime(QDate(y, m, d), QTime(h, min), Qt::UTC); };
        QTest::newRow("UTC") << QByteArray("UTC") << utc(2026, 11, 23, 12, 0) << utc(2026, 11, 23, 0, 0)
                             << utc(2026, 11, 24, 0, 0);
        // +05:30: 17:30 local; the day began at 18:30 UTC the day before.
        QTest::newRow("Kolkata afternoon") << QByteArray("Asia/Kolkata") << utc(2026, 11, 23, 12, 0)
                                           << utc(2026, 11, 22, 18, 30) << utc(2026, 11, 23, 18, 30);
        // One minute either side of local midnight.
        QTest::newRow("Kolkata 23:59") << QByteArray("Asia/Kolkata") << utc(2026, 11, 23, 18, 29)
                                       << utc(2026, 11, 22, 18, 30) << utc(2026, 11, 23, 18, 30);
        QTest::newRow("Kolkata 00:00") << QByteArray("Asia/Kolkata") << utc(2026, 11, 23, 18, 30)
                                       << utc(2026, 11, 23, 18, 30) << utc(2026, 11, 24, 18, 30);
        QTest::newRow("Kathmandu +05:45") << QByteArray("Asia/Kathmandu") << utc(2026, 11, 23, 18, 14)
                                          << utc(2026, 11, 22, 18, 15) << utc(2026, 11, 23, 18, 15);
        // Spring forward: a 23-hour day.
        QTest::newRow("New York DST start") << QByteArray("America/New_York") << utc(2026, 3, 8, 12, 0)
                                            << utc(2026, 3, 8, 5, 0) << utc(2026, 3, 9, 4, 0);
        // Lord Howe moves by half an hour.
        QTest::newRow("Lord Howe DST end") << QByteArray("Australia/Lord_Howe") << utc(2026, 4, 5, 12, 0)
                                           << utc(2026, 4, 4, 13, 0) << utc(2026, 4, 5, 13, 30);
    }

    void startOfDay()
    {
        QFETCH(QByteArray, zone);
        QFETCH(QDateTime, instant);
        QFETCH(QDateTime, dayStart);
        QFETCH(QDateTime, nextDayStart);
        const QTimeZone tz(zone);
        QVERIFY(tz.isValid());
        QCOMPARE(Calendar::startOfDay(instant, tz), dayStart);
        QCOMPARE(Calendar::startOfNextDay(instant, tz), nextDayStart);
        QCOMPARE(Calendar::startOfDay(dayStart, tz), dayStart);
        QCOMPARE(Calendar::startOfDay(nextDayStart.addSecs(-1), tz), dayStart);
    }

    void startOfMonthInKolkata()
    {
        const QTimeZone tz("Asia/Kolkata");
        const QDateTime instant(QDate(2026, 11, 30), QTime(19, 0), Qt::UTC); // Dec 1, 00:30 local
        QCOMPARE(Calendar::startOfMonth(instant, tz), QDateTime(QDate(2026, 11, 30), QTime(18, 30), Qt::UTC));
        QCOMPARE(Calendar::dateOf(instant, tz), QDate(2026, 12, 1));
    }

    void settingChoosesTheZone()
    {
        const QDateTime instant(QDate(2026, 11, 23), QTime(20, 0), Qt::UTC);
        Calendar::setZone(QTimeZone::utc());
        QCOMPARE(Calendar::startOfDay(instant), QDateTime(QDate(2026, 11, 23), QTime(0, 0), Qt::UTC));
        Calendar::setZone(QTimeZone());
        QCOMPARE(Calendar::zone(), QTimeZone::systemTimeZone());
    }

    void settingNamesAZone()
    {
        QCOMPARE(Calendar::zoneFromSetting(u"local"_qs), std::optional<QTimeZone>(QTimeZone()));
        QCOMPARE(Calendar::zoneFromSetting(u"UTC"_qs), std::optional<QTimeZone>(QTimeZone::utc()));
        QCOMPARE(Calendar::zoneFromSetting(u"Asia/Kathmandu"_qs)->id(), QByteArray("Asia/Kathmandu"));
        QVERIFY(!Calendar::zoneFromSetting(u"Local"_qs)); // the spelling is exact
        QVERIFY(!Calendar::zoneFromSetting(u"Nowhere/Special"_qs));
        QVERIFY(!Calendar::zoneFromSetting(QString()));
        QCOMPARE(Calendar::settingOf(QTimeZone()), u"local"_qs);
        QCOMPARE(Calendar::settingOf(QTimeZone("Asia/Kolkata")), u"Asia/Kolkata"_qs);
        const quint64 before = Calendar::generation();
        Calendar::setZone(QTimeZone::utc());
        Calendar::setZone(QTimeZone());
        QCOMPARE(Calendar::generation(), before + 2);
    }

    void systemZoneFromTz()
    {
        if (qEnvironmentVariable("TZ") != u"Asia/Kolkata")
            QSKIP("runs with TZ=Asia/Kolkata (see tests/core/CMakeLists.txt)");
        QCOMPARE(Calendar::zone().offsetFromUtc(QDateTime::currentDateTimeUtc()), 5 * 3600 + 1800);
        const QDateTime instant(QDate(2026, 11, 23), QTime(19, 0), Qt::UTC); // 00:30 on the 24th
        QCOMPARE(Calendar::startOfDay(instant), QDateTime(QDate(2026, 11, 23), QTime(18, 30), Qt::UTC));
    }
};

QTEST_GUILESS_MAIN(TestCalendar)
#include "tst_calendar.moc"
