// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// export-usage and prune, run in-process through the command registry against a real
// usage database, with their output captured.
#include <QTemporaryDir>
#include <QTest>

#include "commandrun.h"
#include "common/clock.h"
#include "store/metricsstore.h"

using namespace sy;

namespace {

class FixedClock final : public Clock
{
public:
    explicit FixedClock(QDateTime now) : m_now(std::move(now)) { }
    QDateTime nowUtc() const override { return m_now; }

private:
    QDateTime m_now;
};

using Run = testsupport::CommandRun;

Run run(const QStringList &arguments)
{
    return testsupport::runCommand(arguments);
}

UsageRecord record(const QDateTime &at, const QString &client, const QString &model, qint64 cost)
{
    UsageRecord r;
    r.startedAt = at;
    r.client = client;
    r.provider = QStringLiteral("openai");
    r.model = model;
    r.endpoint = QStringLiteral("/v1/chat/completions");
    r.status = 200;
    r.latencyMs = 120;
    r.ttfbMs = 40;
    r.inputTokens = 11;
    r.outputTokens = 7;
    r.cachedInputTokens = 3;
    r.costMicroUsd = cost;
    return r;
}

} // namespace

class TestUsageCommands : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    const QDateTime m_now {QDate(2026, 11, 20), QTime(12, 0), Qt::UTC};

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        FixedClock clock(m_now);
        Clock::setInstance(&clock);
        store::MetricsStore::Options options;
        options.dataDir = m_dir.path();
        options.retentionMonths = 1200; // keep everything while seeding
        store::MetricsStore store(options);
        QVERIFY(store.open().ok());
        store.record(record(m_now.addMonths(-30), QStringLiteral("old"), QStringLiteral("gpt-4"), 1000));
        store.record(
            record(m_now.addDays(-2), QStringLiteral("agent, \"one\"\nline two"), QStringLiteral("gpt-4o-mini"), 1234));
        store.record(record(m_now.addDays(-1), QStringLiteral("Łódź-ключ"), QStringLiteral("local/llama"), -1));
        QVERIFY(store.flush(5000));
        Clock::setInstance(nullptr);
    }

    void exportsRfc4180WithTheContractHeader()
    {
        const Run r = run({QStringLiteral("export-usage"), QStringLiteral("--data-dir"), m_dir.path(),
                           QStringLiteral("--from"), QStringLiteral("2026-11-01")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.err.isEmpty(), r.err.constData());
        const QList<QByteArray> lines = r.out.split('\n');
        QCOMPARE(lines.first(),
                 QByteArray("timestamp,client,provider,model,endpoint,status,streamed,latency_ms,ttfb_ms,"
                            "input_tokens,output_tokens,cached_input_tokens,cost_usd\r"));
        QVERIFY(r.out.contains("\"agent, \"\"one\"\"\nline two\""));
        QVERIFY(r.out.contains(",0.001234\r\n"));
        QVERIFY(r.out.contains(QStringLiteral("Łódź-ключ").toUtf8()));
        QVERIFY(r.out.contains("local/llama,/v1/chat/completions,200,"));
        QVERIFY(r.out.contains(",3,\r\n")); // unknown cost: empty, not 0
        QVERIFY(!r.out.contains("gpt-4,")); // before --from
    }

    void exportsToAFile()
    {
        const QString file = m_dir.filePath(QStringLiteral("usage.csv"));
        const Run r = run({QStringLiteral("export-usage"), QStringLiteral("--data-dir"), m_dir.path(),
                           QStringLiteral("--to"), QStringLiteral("2025-01-01"), QStringLiteral("--output"), file});
        QCOMPARE(r.code, 0);
        QFile csv(file);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QByteArray content = csv.readAll();
        QCOMPARE(content.count('\n'), 2); // header and the one old row
        QVERIFY(content.contains(",old,openai,gpt-4,"));
    }

    void refusesBadDates()
    {
        const Run r = run({QStringLiteral("export-usage"), QStringLiteral("--data-dir"), m_dir.path(),
                           QStringLiteral("--from"), QStringLiteral("yesterday")});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("--from"));
        QVERIFY(r.out.isEmpty());
    }

    void prunePrintsWhatItRemoved()
    {
        FixedClock clock(m_now);
        Clock::setInstance(&clock);
        const Run r = run({QStringLiteral("prune"), QStringLiteral("--data-dir"), m_dir.path(),
                           QStringLiteral("--retention-months"), QStringLiteral("24")});
        Clock::setInstance(nullptr);
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("removed 1 requests"), r.out.constData());
        const Run after = run({QStringLiteral("export-usage"), QStringLiteral("--data-dir"), m_dir.path()});
        QCOMPARE(after.out.count("\r\n"), 3); // header and the two recent rows (CRLF ends records)
    }

    void unknownCommandIsAnError()
    {
        const Run r = run({QStringLiteral("frobnicate")});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("unknown command"));
    }
};

QTEST_GUILESS_MAIN(TestUsageCommands)
#include "tst_usagecommands.moc"
