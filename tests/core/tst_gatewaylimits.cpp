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
        const QByteArray base = m_upstream->baseUrl().toString().toUtf8();
        // Each answer costs $0.40: 11 input and 7 output tokens at these made-up prices.
        const QByteArray json
            = "{\"listen\": \"127.0.0.1:0\", \"auth\": {\"client_keys\": [{\"name\": \"agent-1\", \"sha256\": \"" + hash
            + "\"}]}, \"providers\": [{\"id\": \"openai\", \"base_url\": \"" + base
            + "/v1\"}, {\"id\": \"anthropic\", \"base_url\": \"" + base
            + "\"}], \"prices\": {\"openai\": {\"models\": {\"priced\": {\"input\": 20000, \"output\": 25714.2857}}}}, "
              "\"limits\": "
            + limits + ", \"budgets\": " + budgets + ", \"limit_queue_ms\": " + QByteArray::number(limitQueueMs) + "}";
        auto config = config::ConfigLoader::fromJson(json);
        if (!config) {
            qWarning() << config.error();
            return false;
        }
        auto state = gateway::GatewayState::create(config.value());
        if (!state) {
            qWarning() << state.error();
            return false;
        }
        m_gateway = std::make_unique<gateway::GatewayServer>(state.value(), *m_usage);
        m_client = std::make_unique<TestHttpClient>();
        return m_gateway->listen().ok() && m_client->connectTo(m_gateway->port());
    }

    TestHttpClient::Response ask(const QByteArray &path, const QByteArray &model)
    {
        const qsizetype before = m_client->responses().size();
        m_client->send("POST", path, {{"Authorization", "Bearer sy-agent"}, {"Content-Type", "application/json"}},
                       "{\"model\":\"" + model + "\",\"max_tokens\":5,\"messages\":[]}");
        return m_client->waitForResponses(int(before) + 1) ? m_client->responses().last() : TestHttpClient::Response();
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
