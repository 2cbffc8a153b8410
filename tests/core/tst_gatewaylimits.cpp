// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// Limits and budgets through the real gateway: refusals are 429s with Retry-After in the
// caller's wire format, nothing reaches the provider, and a budget stops exactly after
// the request that crosses it.
#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "common/memoryusagesink.h"
#include "config/configloader.h"
#include "gateway/gatewayserver.h"
#include "gateway/gatewaystate.h"
#include "mockupstream.h"
#include "testhttpclient.h"

using namespace sy;
using sy::testsupport::MockUpstream;
using sy::testsupport::TestHttpClient;

namespace {
const QByteArray kOpenAiKey = "sk-limits-only-key";
}

class TestGatewayLimits : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<MockUpstream> m_upstream;
    std::unique_ptr<MemoryUsageSink> m_usage;
    std::unique_ptr<gateway::GatewayServer> m_gateway;
    std::unique_ptr<TestHttpClient> m_client;

    bool start(const QByteArray &limits, const QByteArray &budgets, int limitQueueMs = 0)
    {
        const QByteArray hash = QCryptographicHash::hash("sy-agent", QCryptographicHash::Sha256).toHex();
        const QByteArray hash2 = QCryptographicHash::hash("sy-agent-2", QCryptographicHash::Sha256).toHex();
        const QByteArray base = m_upstream->baseUrl().toString().toUtf8();
        // Each answer costs $0.40: 11 input and 7 output tokens at these made-up prices.
        // "smart" falls back from openai to backup (both this mock); openai has one key.
        const QByteArray json
            = "{\"listen\": \"127.0.0.1:0\", \"auth\": {\"client_keys\": [{\"name\": \"agent-1\", \"sha256\": \"" + hash
            + "\"}, {\"name\": \"agent-2\", \"sha256\": \"" + hash2
            + "\"}]}, \"providers\": [{\"id\": \"openai\", \"base_url\": \"" + base
            + "/v1\"}, {\"id\": \"anthropic\", \"base_url\": \"" + base
            + "\"}, {\"id\": \"backup\", \"kind\": \"openai-compatible\", \"base_url\": \"" + base
            + "/v1\"}], \"routes\": [{\"model\": \"smart\", \"targets\": [{\"provider\": \"openai\", \"model\": "
              "\"gpt-a\"},"
              " {\"provider\": \"backup\", \"model\": \"gpt-a\"}]}],"
              " \"prices\": {\"openai\": {\"models\": {\"priced\": {\"input\": 20000, \"output\": 25714.2857}}}}, "
              "\"limits\": "
            + limits + ", \"budgets\": " + budgets + ", \"limit_queue_ms\": " + QByteArray::number(limitQueueMs) + "}";
        auto config = config::ConfigLoader::fromJson(json);
        if (!config) {
            qWarning() << config.error();
            return false;
        }
        auto state = gateway::GatewayState::create(
            config.value(), {{QStringLiteral("openai"), {{QStringLiteral("only"), kOpenAiKey}}}});
        if (!state) {
            qWarning() << state.error();
            return false;
        }
        m_gateway = std::make_unique<gateway::GatewayServer>(state.value(), *m_usage);
        m_client = std::make_unique<TestHttpClient>();
        return m_gateway->listen().ok() && m_client->connectTo(m_gateway->port());
    }

    TestHttpClient::Response ask(const QByteArray &path, const QByteArray &model, bool stream = false,
                                 TestHttpClient *client = nullptr, const QByteArray &key = "sy-agent")
    {
        client = client ? client : m_client.get();
        const qsizetype before = client->responses().size();
        client->send("POST", path, {{"Authorization", "Bearer " + key}, {"Content-Type", "application/json"}},
                     "{\"model\":\"" + model + "\",\"max_tokens\":5,\"messages\":[]"
                         + (stream ? QByteArray(",\"stream\":true") : QByteArray()) + "}");
        return client->waitForResponses(int(before) + 1) ? client->responses().last() : TestHttpClient::Response();
    }

    static MockUpstream::Script rateLimited(const QByteArray &retryAfterSeconds)
    {
        MockUpstream::Script script = MockUpstream::Script::openAiError(429, "rate_limit_exceeded", "", "slow down");
        script.headers.removeIf(
            [](const MockUpstream::Header &h) { return h.first.compare("retry-after", Qt::CaseInsensitive) == 0; });
        script.headers.append(MockUpstream::Header {"retry-after", retryAfterSeconds});
        return script;
    }

private slots:
    void init()
    {
        m_upstream = std::make_unique<MockUpstream>();
        QVERIFY(m_upstream->listen());
        m_usage = std::make_unique<MemoryUsageSink>();
    }

    void cleanup()
    {
        m_client.reset();
        m_gateway.reset();
        m_upstream.reset();
        m_usage.reset();
    }

    void overTheLimitIs429InTheCallersFormat_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("model");
        QTest::addColumn<bool>("anthropic");
        QTest::newRow("openai") << QByteArray("/v1/chat/completions") << QByteArray("gpt-4o-mini") << false;
        QTest::newRow("anthropic") << QByteArray("/v1/messages") << QByteArray("claude-haiku-4-5") << true;
    }

    void overTheLimitIs429InTheCallersFormat()
    {
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, model);
        QFETCH(bool, anthropic);
        QVERIFY(start("[{\"scope\": \"client\", \"name\": \"agent-1\", \"rpm\": 2}]", "[]"));
        QCOMPARE(ask(path, model).status, 200);
        QCOMPARE(ask(path, model).status, 200);
        const auto refused = ask(path, model);
        QCOMPARE(refused.status, 429);
        QCOMPARE(refused.header("retry-after"), QByteArray("30"));
        const QJsonObject body = QJsonDocument::fromJson(refused.body).object();
        if (anthropic)
            QCOMPARE(body.value(u"error").toObject().value(u"type").toString(), u"rate_limit_error");
        QVERIFY(body.value(u"error")
                    .toObject()
                    .value(u"message")
                    .toString()
                    .contains(u"client 'agent-1': 2 requests per minute"));
        QCOMPARE(m_upstream->requestCount(), 2);
        QTRY_COMPARE(m_usage->records().size(), 3);
        QCOMPARE(m_usage->records().last().outcome, Outcome::Rejected);
    }

    void overTheLimitWaitsItsTurnWhenQueueingIsOn()
    {
        QVERIFY(start("[{\"scope\": \"client\", \"name\": \"agent-1\", \"concurrency\": 1}]", "[]", 5000));
        MockUpstream::Script slow = MockUpstream::Script::defaultResponse();
        slow.headerDelayMs = 300;
        m_upstream->enqueue(slow);
        TestHttpClient second;
        QVERIFY(second.connectTo(m_gateway->port()));
        const QByteArray body = "{\"model\":\"gpt-4o-mini\",\"messages\":[]}";
        m_client->send("POST", "/v1/chat/completions", {{"Authorization", "Bearer sy-agent"}}, body);
        QTRY_COMPARE(m_upstream->requestCount(), 1); // the first holds the only slot...
        second.send("POST", "/v1/chat/completions", {{"Authorization", "Bearer sy-agent"}}, body);
        QVERIFY(second.waitForResponses(1, 10'000));
        QCOMPARE(second.responses().first().status, 200); // ...and the second waited, not refused
        QVERIFY(m_client->waitForResponses(1));
        QCOMPARE(m_client->responses().first().status, 200);
        QCOMPARE(m_upstream->requestCount(), 2);
        QTRY_COMPARE(m_usage->records().size(), 2);
        QCOMPARE(m_usage->records().at(0).status, 200);
        QCOMPARE(m_usage->records().at(1).status, 200);
    }

    void aWaitLongerThanTheQueueAllowsIsRefusedAtOnce()
    {
        QVERIFY(start("[{\"scope\": \"client\", \"name\": \"agent-1\", \"rpm\": 1}]", "[]", 2000));
        QCOMPARE(ask("/v1/chat/completions", "gpt-4o-mini").status, 200);
        QElapsedTimer timer;
        timer.start();
        const auto refused = ask("/v1/chat/completions", "gpt-4o-mini"); // next token in 60 s
        QCOMPARE(refused.status, 429);
        QVERIFY(timer.elapsed() < 2000); // no pointless wait
        QCOMPARE(refused.header("retry-after"), QByteArray("60"));
    }

    void aUsedUpPrepaidBalanceIsRefusedInTheCallersFormat()
    {
        QVERIFY(start("[]",
                      "[{\"scope\": \"client\", \"name\": \"agent-1\", \"prepaid_usd\": 1, "
                      "\"prepaid_since\": \"2020-01-01\"}]"));
        QCOMPARE(ask("/v1/chat/completions", "priced").status, 200); // $0.40
        QCOMPARE(ask("/v1/chat/completions", "priced").status, 200); // $0.80
        QCOMPARE(ask("/v1/chat/completions", "priced").status, 200); // crosses: $1.20, completes
        const auto refused = ask("/v1/chat/completions", "priced");
        QCOMPARE(refused.status, 429);
        QVERIFY2(refused.body.contains("prepaid balance of $1.00 (since 2020-01-01)"), refused.body.constData());
        QCOMPARE(refused.header("retry-after"), QByteArray("3600"));
        QCOMPARE(m_upstream->requestCount(), 3);
    }

    // The issue-12 case: a route fell back after a 429 and the client's own rpm limit then
    // refused its first requests. Only the client's own count may refuse it, and the
    // fallback counts once.
    void aRoutesFallbackAfterA429LeavesTheClientsOwnLimitsAlone()
    {
        QVERIFY(start("[{\"scope\": \"client\", \"name\": \"agent-1\", \"rpm\": 3}]", "[]"));
        m_upstream->enqueue(rateLimited("7"));
        QCOMPARE(ask("/v1/chat/completions", "smart").status, 200); // openai's 429, then backup
        QCOMPARE(m_upstream->requestCount(), 2);
        QCOMPARE(ask("/v1/chat/completions", "openai/gpt-b").status, 200); // another model of openai
        QCOMPARE(ask("/v1/chat/completions", "openai/gpt-a").status, 200); // the rested one: forwarded
        QCOMPARE(m_upstream->requestCount(), 4);
        const auto refused = ask("/v1/chat/completions", "openai/gpt-b"); // the fourth in a minute
        QCOMPARE(refused.status, 429);
        QVERIFY2(refused.body.contains("client 'agent-1': 3 requests per minute"), refused.body.constData());
        QCOMPARE(m_upstream->requestCount(), 4);

        // Another client is not touched by any of it.
        TestHttpClient other;
        QVERIFY(other.connectTo(m_gateway->port()));
        QCOMPARE(ask("/v1/chat/completions", "openai/gpt-a", false, &other, "sy-agent-2").status, 200);
        QCOMPARE(ask("/v1/chat/completions", "smart", false, &other, "sy-agent-2").status, 200);
    }

    void aRefusalTakesNothingFromTheClientsLimits()
    {
        // A provider_key limit refuses the request after the client's own limit admitted it:
        // that refusal must not use up the client's rpm.
        QVERIFY(start("[{\"scope\": \"client\", \"name\": \"agent-1\", \"rpm\": 2},"
                      " {\"scope\": \"provider_key\", \"name\": \"openai/only\", \"rpm\": 1}]",
                      "[]"));
        QCOMPARE(ask("/v1/chat/completions", "openai/gpt-a").status, 200);
        const auto keyLimited = ask("/v1/chat/completions", "openai/gpt-a");
        QCOMPARE(keyLimited.status, 429);
        QVERIFY2(keyLimited.body.contains("provider_key limits"), keyLimited.body.constData());
        QCOMPARE(ask("/v1/chat/completions", "backup/gpt-a").status, 200); // the client's second
        const auto clientLimited = ask("/v1/chat/completions", "backup/gpt-a");
        QCOMPARE(clientLimited.status, 429);
        QVERIFY2(clientLimited.body.contains("client 'agent-1'"), clientLimited.body.constData());
    }

    void refusedRowsKeepTheModelAndTheStreamFlag()
    {
        QVERIFY(start("[{\"scope\": \"client\", \"name\": \"agent-1\", \"rpm\": 1}]", "[]"));
        QCOMPARE(ask("/v1/chat/completions", "openai/gpt-a", true).status, 200);
        QCOMPARE(ask("/v1/chat/completions", "smart", true).status, 429);
        QCOMPARE(ask("/v1/messages", "claude-x", true).status, 429);
        QTRY_COMPARE(m_usage->records().size(), 3);
        const UsageRecord routed = m_usage->records().at(1);
        QCOMPARE(routed.outcome, Outcome::Rejected);
        QCOMPARE(routed.route, u"smart");
        QCOMPARE(routed.provider, u"openai"); // the target the limits counted it against
        QCOMPARE(routed.model, u"gpt-a");
        QVERIFY(routed.streamed);
        const UsageRecord plain = m_usage->records().at(2);
        QCOMPARE(plain.provider, u"anthropic");
        QCOMPARE(plain.model, u"claude-x");
        QVERIFY(plain.streamed);
        for (const UsageRecord &r : {routed, plain}) {
            QCOMPARE(r.inputTokens, qint64(-1));
            QCOMPARE(r.outputTokens, qint64(-1));
            QCOMPARE(r.cachedInputTokens, qint64(-1));
            QCOMPARE(r.cacheWriteTokens, qint64(-1));
            QCOMPARE(r.reasoningTokens, qint64(-1));
            QCOMPARE(r.costMicroUsd, qint64(-1));
        }
    }

    // Mixed traffic (a 429, an error, a stream, another client, another model, a route),
    // then the same traffic again: every later request behaves as if the earlier ones had
    // been fine, and the only refusal the gateway makes itself is the configured limit.
    void aSessionOfMixedTrafficLeavesNoTrace()
    {
        QVERIFY(start("[{\"scope\": \"client\", \"name\": \"agent-1\", \"rpm\": 14}]", "[]"));
        TestHttpClient other;
        QVERIFY(other.connectTo(m_gateway->port()));

        m_upstream->enqueue(rateLimited("7"));
        const auto limited = ask("/v1/chat/completions", "gpt-a");
        QCOMPARE(limited.status, 429); // the provider's own, unchanged
        QCOMPARE(limited.header("retry-after"), QByteArray("7"));
        QVERIFY(limited.body.contains("slow down"));
        m_upstream->enqueue(MockUpstream::Script::openAiError(500, "server_error", "", "boom"));
        QCOMPARE(ask("/v1/chat/completions", "gpt-b").status, 500);

        // The round that must behave the same before and after: 6 requests by agent-1.
        const auto round = [&] {
            const auto stream = ask("/v1/chat/completions", "gpt-a", true);
            QCOMPARE(stream.status, 200);
            QVERIFY(stream.header("content-type").startsWith("text/event-stream"));
            QCOMPARE(ask("/v1/chat/completions", "gpt-a").status, 200);
            QCOMPARE(ask("/v1/chat/completions", "gpt-b").status, 200);
            QCOMPARE(ask("/v1/messages", "claude-x").status, 200);
            QCOMPARE(ask("/v1/chat/completions", "smart").status, 200);
            QCOMPARE(ask("/v1/chat/completions", "openai/gpt-c").status, 200);
            QCOMPARE(ask("/v1/chat/completions", "gpt-a", false, &other, "sy-agent-2").status, 200);
        };
        const qsizetype before = m_upstream->requestCount();
        round();
        round();
        QCOMPARE(m_upstream->requestCount(), before + 14); // one upstream call each: no retries
        QTRY_COMPARE(m_usage->records().size(), 2 + 14);
        for (qsizetype i = 2; i < m_usage->records().size(); ++i) {
            const UsageRecord &r = m_usage->records().at(i);
            QCOMPARE(r.status, 200);
            QCOMPARE(r.attempts, 1);
            QCOMPARE(r.outcome, Outcome::Completed);
            QVERIFY(r.inputTokens > 0);
        }
        // agent-1 made 2 + 12 requests: the configured 14 per minute refuses the next one.
        const auto refused = ask("/v1/chat/completions", "gpt-b");
        QCOMPARE(refused.status, 429);
        QVERIFY2(refused.body.contains("client 'agent-1': 14 requests per minute"), refused.body.constData());
        QCOMPARE(ask("/v1/chat/completions", "gpt-b", false, &other, "sy-agent-2").status, 200);
    }

    void budgetStopsAfterTheCrossingRequest()
    {
        QVERIFY(start("[]", "[{\"scope\": \"client\", \"name\": \"agent-1\", \"daily_usd\": 1}]"));
        QCOMPARE(ask("/v1/chat/completions", "priced").status, 200); // $0.40
        QCOMPARE(ask("/v1/chat/completions", "priced").status, 200); // $0.80
        QCOMPARE(ask("/v1/chat/completions", "priced").status, 200); // crosses: $1.20, completes
        const auto refused = ask("/v1/chat/completions", "priced");
        QCOMPARE(refused.status, 429);
        QVERIFY(refused.body.contains("daily budget of $1.00"));
        QVERIFY(refused.header("retry-after").toLongLong() > 0);
        QCOMPARE(m_upstream->requestCount(), 3);
        QTRY_COMPARE(m_usage->records().size(), 4);
        QCOMPARE(m_usage->records().at(0).costMicroUsd, qint64(400'000));
    }
};

QTEST_GUILESS_MAIN(TestGatewayLimits)
#include "tst_gatewaylimits.moc"
