// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include <QBuffer>
#include <QTemporaryDir>
#include <QTest>

#include "store/metricsstore.h"
#include "store/usagecsvexporter.h"

using namespace sy;
using namespace sy::store;

namespace {

UsageRecord record(const QDateTime &at, const QString &client, const QString &model, qint64 cost)
{
    UsageRecord r;
    r.startedAt = at;
    r.client = client;
    r.provider = QStringLiteral("openai");
    r.model = model;
    r.endpoint = QStringLiteral("/v1/chat/completions");
    r.status = 200;
    r.streamed = true;
    r.latencyMs = 1234;
    r.ttfbMs = 56;
    r.inputTokens = 1000;
    r.outputTokens = 20;
    r.cachedInputTokens = 300;
    r.costMicroUsd = cost;
    return r;
}

QByteArray exportAll(const QString &dir, std::optional<qint64> from = {}, std::optional<qint64> to = {})
{
    UsageCsvExporter exporter(dir);
    exporter.setRange(from, to);
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    const auto rows = exporter.write(buffer);
    if (!rows)
        qWarning() << rows.error();
    return buffer.data();
}

// A minimal RFC 4180 reader, to check that what was written reads back field for field.
QList<QStringList> parseCsv(const QByteArray &csv)
{
    QList<QStringList> rows;
    QStringList row;
    QByteArray field;
    bool quoted = false;
    for (qsizetype i = 0; i < csv.size(); ++i) {
        const char c = csv.at(i);
        if (quoted) {
            if (c == '"' && i + 1 < csv.size() && csv.at(i + 1) == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            row << QString::fromUtf8(field);
            field.clear();
        } else if (c == '\r' && i + 1 < csv.size() && csv.at(i + 1) == '\n') {
            row << QString::fromUtf8(field);
            field.clear();
            rows << row;
            row.clear();
            ++i;
        } else {
            field += c;
        }
    }
    return rows;
}

} // namespace

class TestUsageCsvExporter : public QObject
{
    Q_OBJECT

private slots:
    void awkwardNamesRoundTrip_data()
    {
        QTest::addColumn<QString>("client");
        QTest::addColumn<QString>("model");
        QTest::newRow("plain") << QStringLiteral("agent") << QStringLiteral("gpt-4o-mini");
        QTest::newRow("comma") << QStringLiteral("team, ops") << QStringLiteral("org/model,v2");
        QTest::newRow("quotes") << QStringLiteral("the \"best\" bot") << QStringLiteral("\"");
        QTest::newRow("newlines") << QStringLiteral("line1\nline2") << QStringLiteral("cr\r\nlf");
        QTest::newRow("non-ascii") << QStringLiteral("Zoë's 助手 🤖") << QStringLiteral("modèle-ß");
        QTest::newRow("empty") << QString() << QStringLiteral("m");
        QTest::newRow("spaces") << QStringLiteral("  padded  ") << QStringLiteral("a b");
    }

    // CSV injection: a name that starts like a formula gets a leading apostrophe, and only
    // such a name; the rest of the name is kept as it was.
    void formulaLikeNamesStayText_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QByteArray>("field");
        QTest::newRow("=") << QByteArray("=1+1") << QByteArray("'=1+1");
        QTest::newRow("+") << QByteArray("+cmd") << QByteArray("'+cmd");
        QTest::newRow("-") << QByteArray("-2+3") << QByteArray("'-2+3");
        QTest::newRow("@") << QByteArray("@SUM(A1)") << QByteArray("'@SUM(A1)");
        QTest::newRow("tab") << QByteArray("\tx") << QByteArray("'\tx");
        QTest::newRow("carriage return, quoted") << QByteArray("\rx") << QByteArray("\"'\rx\"");
        QTest::newRow("quoted too") << QByteArray("=HYPERLINK(\"a\",\"b\")")
                                    << QByteArray("\"'=HYPERLINK(\"\"a\"\",\"\"b\"\")\"");
        QTest::newRow("inside is fine") << QByteArray("gpt-4o=mini") << QByteArray("gpt-4o=mini");
        QTest::newRow("empty") << QByteArray() << QByteArray();
    }
    void formulaLikeNamesStayText()
    {
        QFETCH(QByteArray, name);
        QFETCH(QByteArray, field);
        QByteArray line;
        UsageCsvExporter::appendField(line, name);
        QCOMPARE(line, field);
    }
    void awkwardNamesRoundTrip()
    {
        QFETCH(QString, client);
        QFETCH(QString, model);
        QTemporaryDir dir;
        const QDateTime at(QDate(2026, 3, 1), QTime(12, 34, 56, 789), Qt::UTC);
        {
            MetricsStore store({dir.path()});
            QVERIFY(store.open().ok());
            store.record(record(at, client, model, 1'234'567));
        }
        const QByteArray csv = exportAll(dir.path());
        QVERIFY(csv.startsWith(UsageCsvExporter::header()));
        const QList<QStringList> rows = parseCsv(csv);
        QCOMPARE(rows.size(), 2);
        QCOMPARE(rows[0].join(u','),
                 QStringLiteral("timestamp,client,provider,model,endpoint,status,streamed,"
                                "latency_ms,ttfb_ms,input_tokens,output_tokens,"
                                "cached_input_tokens,cost_usd"));
        const QStringList expected {QStringLiteral("2026-03-01T12:34:56.789Z"),
                                    client.isNull() ? QStringLiteral("") : client,
                                    QStringLiteral("openai"),
                                    model,
                                    QStringLiteral("/v1/chat/completions"),
                                    QStringLiteral("200"),
                                    QStringLiteral("true"),
                                    QStringLiteral("1234"),
                                    QStringLiteral("56"),
                                    QStringLiteral("1000"),
                                    QStringLiteral("20"),
                                    QStringLiteral("300"),
                                    QStringLiteral("1.234567")};
        QCOMPARE(rows[1], expected);
    }

    // Progress counts the rows of the range first, then reports as rows go out, and once at the end.
    void progressCountsUpToTheRange()
    {
        QTemporaryDir dir;
        const QDateTime start(QDate(2026, 3, 1), QTime(0, 0), Qt::UTC);
        {
            MetricsStore store({dir.path()});
            QVERIFY(store.open().ok());
            for (int i = 0; i < 40; ++i)
                store.record(record(start.addSecs(60 * i), QStringLiteral("c"), QStringLiteral("m"), 1));
        }
        UsageCsvExporter exporter(dir.path());
        exporter.setRange(std::nullopt, start.addSecs(60 * 35).toMSecsSinceEpoch()); // the first 35 rows
        QList<std::pair<qint64, qint64>> reports;
        exporter.setProgress([&](qint64 written, qint64 total) { reports.append({written, total}); }, 10);
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        QCOMPARE(exporter.write(buffer).value(), qint64(35));
        const QList<std::pair<qint64, qint64>> expected {{10, 35}, {20, 35}, {30, 35}, {35, 35}};
        QCOMPARE(reports, expected);
    }

    void unknownValuesAreEmpty()
    {
        QTemporaryDir dir;
        {
            MetricsStore store({dir.path()});
            QVERIFY(store.open().ok());
            UsageRecord r = record(QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5), Qt::UTC), QStringLiteral("c"),
                                   QStringLiteral("m"), -1);
            r.ttfbMs = -1;
            r.inputTokens = -1;
            r.outputTokens = -1;
            r.cachedInputTokens = -1; // unknown like the rest: empty, not 0
            r.streamed = false;
            store.record(r);
            store.record(record(r.startedAt.addSecs(1), QStringLiteral("c"), QStringLiteral("m"), 7));
            UsageRecord noCache = record(r.startedAt.addSecs(2), QStringLiteral("c"), QStringLiteral("m"), 0);
            noCache.cachedInputTokens = 0; // known to be none: 0
            store.record(noCache);
        }
        const QByteArray csv = exportAll(dir.path());
        QCOMPARE(
            csv,
            UsageCsvExporter::header()
                + "2026-01-02T03:04:05.000Z,c,openai,m,/v1/chat/completions,200,false,1234,,,,,\r\n"
                  "2026-01-02T03:04:06.000Z,c,openai,m,/v1/chat/completions,200,true,1234,56,1000,20,300,0.000007\r\n"
                  "2026-01-02T03:04:07.000Z,c,openai,m,/v1/chat/completions,200,true,1234,56,1000,20,0,0.000000\r\n");
    }

    void rangeBounds_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<int>("rows");
        QTest::newRow("everything") << QString() << QString() << 4;
        QTest::newRow("one day, dates") << QStringLiteral("2026-03-02") << QStringLiteral("2026-03-02") << 2;
        QTest::newRow("from a date") << QStringLiteral("2026-03-02") << QString() << 3;
        QTest::newRow("to a date") << QString() << QStringLiteral("2026-03-01") << 1;
        QTest::newRow("timestamps") << QStringLiteral("2026-03-02T06:00:00Z") << QStringLiteral("2026-03-02T23:00:00Z")
                                    << 1;
        QTest::newRow("inclusive to") << QStringLiteral("2026-03-02T00:00:00Z")
                                      << QStringLiteral("2026-03-02T00:00:00Z") << 1;
        QTest::newRow("offset") << QStringLiteral("2026-03-02T02:00:00+02:00")
                                << QStringLiteral("2026-03-02T00:00:00.000Z") << 1;
    }
    void rangeBounds()
    {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(int, rows);
        QTemporaryDir dir;
        {
            MetricsStore store({dir.path()});
            QVERIFY(store.open().ok());
            for (const QDateTime &at : {QDateTime(QDate(2026, 3, 1), QTime(23, 59, 59, 999), Qt::UTC),
                                        QDateTime(QDate(2026, 3, 2), QTime(0, 0), Qt::UTC),
                                        QDateTime(QDate(2026, 3, 2), QTime(12, 0), Qt::UTC),
                                        QDateTime(QDate(2026, 3, 3), QTime(0, 0), Qt::UTC)})
                store.record(record(at, QStringLiteral("c"), QStringLiteral("m"), 1));
        }
        std::optional<qint64> fromMs;
        std::optional<qint64> toMs;
        if (!from.isEmpty()) {
            const auto parsed = UsageCsvExporter::parseBound(from, UsageCsvExporter::Bound::From);
            QVERIFY2(parsed.ok(), qPrintable(parsed.error()));
            fromMs = parsed.value();
        }
        if (!to.isEmpty()) {
            const auto parsed = UsageCsvExporter::parseBound(to, UsageCsvExporter::Bound::To);
            QVERIFY2(parsed.ok(), qPrintable(parsed.error()));
            toMs = parsed.value();
        }
        QCOMPARE(parseCsv(exportAll(dir.path(), fromMs, toMs)).size() - 1, rows);
    }

    void badBoundsAreRefused()
    {
        QVERIFY(!UsageCsvExporter::parseBound(QStringLiteral("yesterday"), UsageCsvExporter::Bound::From).ok());
        QVERIFY(!UsageCsvExporter::parseBound(QStringLiteral("2026-13-01"), UsageCsvExporter::Bound::To).ok());
    }

    void timestampsMatchQDateTime_data()
    {
        QTest::addColumn<qint64>("ms");
        for (const qint64 ms : {qint64(0), qint64(951'782'400'000) /* 2000-02-29 */, qint64(4'102'444'799'999),
                                QDateTime(QDate(2026, 12, 31), QTime(23, 59, 59, 1), Qt::UTC).toMSecsSinceEpoch()})
            QTest::newRow(qPrintable(QString::number(ms))) << ms;
    }
    void timestampsMatchQDateTime()
    {
        QFETCH(qint64, ms);
        QByteArray line;
        UsageCsvExporter::appendTimestamp(line, ms);
        QCOMPARE(QString::fromLatin1(line), QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs));
    }
};

QTEST_GUILESS_MAIN(TestUsageCsvExporter)
#include "tst_usagecsvexporter.moc"
