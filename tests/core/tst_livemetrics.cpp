// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include <QTest>
#include <QThread>

#include "common/usagerecord.h"
#include "store/livemetrics.h"

using namespace sy;
using namespace sy::store;

namespace {
UsageRecord record(const QString &model, int status, qint64 latencyMs, qint64 cost)
{
    UsageRecord r;
    r.provider = QStringLiteral("openai");
    r.model = model;
    r.status = status;
    r.latencyMs = latencyMs;
    r.ttfbMs = latencyMs / 2;
    r.inputTokens = 100;
    r.outputTokens = 10;
    r.cachedInputTokens = 40;
    r.costMicroUsd = cost;
    return r;
}
} // namespace

class TestLiveMetrics : public QObject
{
    Q_OBJECT

private slots:
    void countsAndHistograms()
    {
        LiveMetrics metrics;
        metrics.record(record(QStringLiteral("gpt-4o"), 200, 80, 1500));
        metrics.record(record(QStringLiteral("gpt-4o"), 200, 3000, 2500));
        metrics.record(record(QStringLiteral("gpt-4o"), 429, 5, -1));
        const QByteArray text = metrics.prometheusText();
        QVERIFY(text.contains("# TYPE switchyard_requests_total counter\n"));
        QVERIFY(text.contains("switchyard_requests_total{provider=\"openai\",model=\"gpt-4o\",status=\"200\"} 2\n"));
        QVERIFY(text.contains("switchyard_requests_total{provider=\"openai\",model=\"gpt-4o\",status=\"429\"} 1\n"));
        QVERIFY(text.contains("switchyard_input_tokens_total{provider=\"openai\",model=\"gpt-4o\"} 300\n"));
        QVERIFY(text.contains("switchyard_cached_input_tokens_total{provider=\"openai\",model=\"gpt-4o\"} 120\n"));
        QVERIFY(text.contains("switchyard_cost_usd_total{provider=\"openai\",model=\"gpt-4o\"} 0.004\n"));
        QVERIFY(text.contains("switchyard_unknown_cost_requests_total{provider=\"openai\",model=\"gpt-4o\"} 1\n"));
        QVERIFY(text.contains("switchyard_request_duration_seconds_bucket{provider=\"openai\",le=\"0.05\"} 1\n"));
        QVERIFY(text.contains("switchyard_request_duration_seconds_bucket{provider=\"openai\",le=\"0.1\"} 2\n"));
        QVERIFY(text.contains("switchyard_request_duration_seconds_bucket{provider=\"openai\",le=\"5\"} 3\n"));
        QVERIFY(text.contains("switchyard_request_duration_seconds_bucket{provider=\"openai\",le=\"+Inf\"} 3\n"));
        QVERIFY(text.contains("switchyard_request_duration_seconds_sum{provider=\"openai\"} 3.085\n"));
        QVERIFY(text.contains("switchyard_request_duration_seconds_count{provider=\"openai\"} 3\n"));
        QVERIFY(text.endsWith('\n'));
    }

    void labelValuesAreEscaped()
    {
        LiveMetrics metrics;
        metrics.record(record(QStringLiteral("a\"b\\c\nd"), 200, 1, 1));
        QVERIFY(metrics.prometheusText().contains("model=\"a\\\"b\\\\c\\nd\""));
    }

    void recordsFromManyThreads()
    {
        LiveMetrics metrics;
        QList<QThread *> threads;
        for (int t = 0; t < 4; ++t) {
            threads.append(QThread::create([&metrics] {
                for (int i = 0; i < 10000; ++i)
                    metrics.record(record(QStringLiteral("m"), 200, i % 400, 1));
            }));
            threads.last()->start();
        }
        for (QThread *thread : threads) {
            QVERIFY(thread->wait(10000));
            delete thread;
        }
        QVERIFY(metrics.prometheusText().contains(
            "switchyard_requests_total{provider=\"openai\",model=\"m\",status=\"200\"} 40000\n"));
    }
};

QTEST_GUILESS_MAIN(TestLiveMetrics)
#include "tst_livemetrics.moc"
