// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// The one place numbers become text: money never reads $0 for unknown or tiny amounts,
// tokens and durations read the same on every page.
#include <QLocale>
#include <QTest>

#include "gui/format.h"

using sy::gui::Format;

class TestFormat : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

    void money_data()
    {
        QTest::addColumn<qint64>("micro");
        QTest::addColumn<QString>("text");
        QTest::newRow("unknown") << qint64(-1) << QStringLiteral("—");
        QTest::newRow("zero") << qint64(0) << QStringLiteral("$0.00");
        QTest::newRow("tiny") << qint64(42) << QStringLiteral("$0.00004");
        QTest::newRow("cents") << qint64(123'400) << QStringLiteral("$0.1234");
        QTest::newRow("dollars") << qint64(12'345'678) << QStringLiteral("$12.35");
        QTest::newRow("thousands") << qint64(1'234'500'000) << QStringLiteral("$1,234.50");
    }
    void money()
    {
        QFETCH(qint64, micro);
        QFETCH(QString, text);
        QCOMPARE(Format::money(micro), text);
    }

    void tokensCompact_data()
    {
        QTest::addColumn<qint64>("tokens");
        QTest::addColumn<QString>("text");
        QTest::newRow("unknown") << qint64(-1) << QStringLiteral("—");
        QTest::newRow("small") << qint64(9999) << QStringLiteral("9,999");
        QTest::newRow("thousands") << qint64(12'345) << QStringLiteral("12.3 k");
        QTest::newRow("millions") << qint64(3'400'000) << QStringLiteral("3.4 M");
    }
    void tokensCompact()
    {
        QFETCH(qint64, tokens);
        QFETCH(QString, text);
        QCOMPARE(Format::tokensCompact(tokens), text);
    }

    void duration_data()
    {
        QTest::addColumn<qint64>("ms");
        QTest::addColumn<QString>("text");
        QTest::newRow("none") << qint64(-1) << QStringLiteral("—");
        QTest::newRow("ms") << qint64(840) << QStringLiteral("840 ms");
        QTest::newRow("seconds") << qint64(1250) << QStringLiteral("1.25 s");
        QTest::newRow("tens") << qint64(12'340) << QStringLiteral("12.3 s");
        QTest::newRow("minutes") << qint64(125'000) << QStringLiteral("2 min 5 s");
    }
    void duration()
    {
        QFETCH(qint64, ms);
        QFETCH(QString, text);
        QCOMPARE(Format::duration(ms), text);
    }

    void errorLineIsContentFree()
    {
        sy::UsageRecord record;
        record.startedAt = QDateTime::currentDateTimeUtc();
        record.provider = QStringLiteral("openai");
        record.model = QStringLiteral("gpt-4o-mini");
        record.status = 429;
        const QString line = Format::errorLine(record);
        QVERIFY2(line.contains(u"429") && line.contains(u"openai · gpt-4o-mini")
                     && line.contains(u"rate limited by the provider"),
                 qPrintable(line));

        record.outcome = sy::Outcome::Rejected;
        record.status = 401;
        record.provider.clear();
        record.model.clear();
        QVERIFY(Format::errorLine(record).contains(u"client key missing or wrong"));
        QVERIFY(Format::isError(record));
        record.outcome = sy::Outcome::Completed;
        record.status = 200;
        QVERIFY(!Format::isError(record));
        record.outcome = sy::Outcome::UpstreamTruncated;
        QVERIFY(Format::isError(record)); // a cut-off answer is an error even with a 200
    }
};

QTEST_GUILESS_MAIN(TestFormat)
#include "tst_format.moc"
