// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// Routes across two real upstreams: fallback order and triggers, no retry after the
// first byte, a short Retry-After retried in place, and each strategy's choice.
#include <QJsonArray>
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

class TestRouting : public QObject
{
    Q_OBJECT

private:
    MockUpstream *m_a = nullptr;
    MockUpstream *m_b = nullptr;
    MemoryUsageSink *m_usage = nullptr;
    gateway::GatewayServer *m_gateway = nullptr;
    std::unique_ptr<TestHttpClient> m_client;

    bool start(const QJsonObject &route, const QJsonObject &extra = {})
    {
        QJsonObject config {{QStringLiteral("listen"), QStringLiteral("127.0.0.1:0")},
                            {QStringLiteral("auth"), QJsonObject {{QStringLiteral("require_client_key"), false}}},
                            {QStringLiteral("upstream"), QJsonObject {{QStringLiteral("first_byte_timeout_ms"), 500}}},
                            {QStringLiteral("providers"),
                             QJsonArray {QJsonObject {{QStringLiteral("id"), QStringLiteral("a")},
                                                      {QStringLiteral("kind"), QStringLiteral("openai-compatible")},
                                                      {QStringLiteral("base_url"), m_a->baseUrl().toString()}},
                                         QJsonObject {{QStringLiteral("id"), QStringLiteral("b")},
                                                      {QStringLiteral("kind"), QStringLiteral("openai-compatible")},
                                                      {QStringLiteral("base_url"), m_b->baseUrl().toString()}}}},
                            {QStringLiteral("routes"), QJsonArray {route}}};
        for (auto it = extra.begin(); it != extra.end(); ++it)
            config.insert(it.key(), it.value());
        auto loaded = config::ConfigLoader::fromJson(QJsonDocument(config).toJson());
        if (!loaded) {
            qWarning() << loaded.error();
            return false;
        }
        auto state = gateway::GatewayState::create(std::move(loaded).value());
        if (!state)
            return false;
        m_gateway = new gateway::GatewayServer(state.value(), *m_usage);
        if (!m_gateway->listen())
            return false;
        m_client = std::make_unique<TestHttpClient>();
        return m_client->connectTo(m_gateway->port());
    }

    static QJsonObject route(const QString &strategy,
                             const QList<std::pair<QString, int>> &targets = {{u"a"_qs, 1}, {u"b"_qs, 1}})
    {
        QJsonArray list;
        for (const auto &[provider, weight] : targets)
            list.append(QJsonObject {{QStringLiteral("provider"), provider},
                                     {QStringLiteral("model"), QString(u"model-" + provider)},
                                     {QStringLiteral("weight"), weight}});
        return {{QStringLiteral("model"), QStringLiteral("smart")},
                {QStringLiteral("strategy"), strategy},
                {QStringLiteral("targets"), list}};
    }

    // A provider error as the mock shapes it, with Retry-After as the test wants it.
    static MockUpstream::Script error(int status, const QByteArray &retryAfter = {})
    {
        MockUpstream::Script script
            = MockUpstream::Script::openAiError(status, "server_error", "", "busy " + QByteArray::number(status));
        script.headers.removeIf(
            [](const MockUpstream::Header &h) { return h.first.compare("retry-after", Qt::CaseInsensitive) == 0; });
        if (!retryAfter.isEmpty())
            script.headers.append(MockUpstream::Header {"retry-after", retryAfter});
        return script;
    }

    // Sends one request to the route and returns the response.
    TestHttpClient::Response ask(bool stream = false)
    {
        const qsizetype before = m_client->responses().size();
        m_client->send("POST", "/v1/chat/completions", {{"Content-Type", "application/json"}},
                       stream ? "{\"model\":\"smart\",\"stream\":true,\"messages\":[]}"
                              : "{\"model\":\"smart\",\"messages\":[]}");
        if (!m_client->waitForResponses(int(before) + 1))
            return {};
        return m_client->responses().last();
    }

private slots:
    void init()
    {
        m_a = new MockUpstream;
        m_b = new MockUpstream;
        QVERIFY(m_a->listen());
        QVERIFY(m_b->listen());
        m_usage = new MemoryUsageSink;
    }

    void cleanup()
    {
        m_client.reset();
        delete m_gateway;
        m_gateway = nullptr;
        delete m_a;
        delete m_b;
        delete m_usage;
    }

    void fallsBackOnRetryableFailures_data()
    {
        QTest::addColumn<int>("fault");
        QTest::addColumn<int>("status");
        QTest::newRow("503") << int(MockUpstream::Fault::None) << 503;
        QTest::newRow("429 without Retry-After") << int(MockUpstream::Fault::None) << 429;
        QTest::newRow("reset") << int(MockUpstream::Fault::ResetBeforeResponse) << 0;
        QTest::newRow("first-byte timeout") << int(MockUpstream::Fault::Stall) << 0;
    }

    void fallsBackOnRetryableFailures()
    {
        QFETCH(int, fault);
        QFETCH(int, status);
        QVERIFY(start(route(QStringLiteral("fallback"))));
        if (status)
            m_a->enqueue(error(status));
        else
            m_a->enqueue(MockUpstream::Script::failure(MockUpstream::Fault(fault)));
        const auto response = ask();
        QCOMPARE(response.status, 200);
        QCOMPARE(m_b->requestCount(), 1);
        QVERIFY(m_b->lastRequest().body.contains("\"model-b\""));
        QTRY_COMPARE(m_usage->records().size(), 1);
        QCOMPARE(m_usage->records().first().provider, u"b");
        QCOMPARE(m_usage->records().first().attempts, 2);
    }

    void clientErrorsDoNotFallBack()
    {
        QVERIFY(start(route(QStringLiteral("fallback"))));
        m_a->enqueue(MockUpstream::Script::openAiError(400, "invalid_request_error", "", "bad"));
        QCOMPARE(ask().status, 400);
        QCOMPARE(m_b->requestCount(), 0);
    }

    void lastTargetsErrorReachesTheClientUnchanged()
    {
        QVERIFY(start(route(QStringLiteral("fallback"))));
        m_a->enqueue(error(503));
        m_b->enqueue(error(502));
        const auto response = ask();
        QCOMPARE(response.status, 502);
        QVERIFY(response.body.contains("busy 502"));
    }

    void noRetryAfterTheFirstByte()
    {
        QVERIFY(start(route(QStringLiteral("fallback"))));
        MockUpstream::Script dying = MockUpstream::Script::defaultResponse();
        dying.fault = MockUpstream::Fault::CloseAfterChunks;
        dying.faultAfter = 2;
        m_a->enqueue(dying);
        m_client->send("POST", "/v1/chat/completions", {}, "{\"model\":\"smart\",\"stream\":true,\"messages\":[]}");
        QVERIFY(m_client->waitForDisconnected());
        QCOMPARE(m_b->requestCount(), 0);
        QTRY_COMPARE(m_usage->records().size(), 1);
        QCOMPARE(m_usage->records().first().outcome, Outcome::UpstreamTruncated);
    }

    void shortRetryAfterRetriesTheSameTarget()
    {
        QVERIFY(start(route(QStringLiteral("fallback"))));
        MockUpstream::Script limited = error(429);
        limited.headers.append(MockUpstream::Header {"retry-after-ms", "50"});
        m_a->enqueue(limited);
        QCOMPARE(ask().status, 200);
        QCOMPARE(m_a->requestCount(), 2);
        QCOMPARE(m_b->requestCount(), 0);
        QTRY_COMPARE(m_usage->records().size(), 1);
        QCOMPARE(m_usage->records().first().attempts, 2);
    }

    void longRetryAfterMovesOn()
    {
        QVERIFY(start(route(QStringLiteral("fallback"))));
        m_a->enqueue(error(429, "30"));
        QCOMPARE(ask().status, 200);
        QCOMPARE(m_a->requestCount(), 1);
        QCOMPARE(m_b->requestCount(), 1);
    }

    void aTargetThatGotA429IsSkippedForItsModelOnly()
    {
        QVERIFY(start(route(QStringLiteral("fallback"))));
        m_a->enqueue(error(429, "30"));
        QCOMPARE(ask().status, 200); // fell back to b
        QCOMPARE(m_a->requestCount(), 1);
        QCOMPARE(m_b->requestCount(), 1);

        // While a rests for model-a, the route goes to b first: no second 429, no retry.
        QCOMPARE(ask().status, 200);
        QCOMPARE(m_a->requestCount(), 1);
        QCOMPARE(m_b->requestCount(), 2);
        QTRY_COMPARE(m_usage->records().size(), 2);
        QCOMPARE(m_usage->records().last().provider, u"b");
        QCOMPARE(m_usage->records().last().attempts, 1);

        // Provider a serves its other models, and model-a itself when asked for by name:
        // resting steers a route, it refuses nothing.
        const auto direct = [this](const QByteArray &model) {
            const qsizetype before = m_client->responses().size();
            m_client->send("POST", "/v1/chat/completions", {{"Content-Type", "application/json"}},
                           "{\"model\":\"" + model + "\",\"messages\":[]}");
            return m_client->waitForResponses(int(before) + 1) ? m_client->responses().last().status : 0;
        };
        QCOMPARE(direct("a/model-other"), 200);
        QCOMPARE(direct("a/model-a"), 200);
        QCOMPARE(m_a->requestCount(), 3);

        // b gets a 429 too: the route still moves on to a, resting or not, and a answers.
        m_b->enqueue(error(429, "60"));
        QCOMPARE(ask().status, 200);
        QCOMPARE(m_b->requestCount(), 3);
        QCOMPARE(m_a->requestCount(), 4);
        // Both rest now: the one that wakes first (a) takes the request anyway.
        QCOMPARE(ask().status, 200);
        QCOMPARE(m_a->requestCount(), 5);
        QCOMPARE(m_b->requestCount(), 3);
    }

    void weightedSplitsByWeight()
    {
        QVERIFY(start(route(QStringLiteral("weighted"), {{u"a"_qs, 3}, {u"b"_qs, 1}})));
        for (int i = 0; i < 8; ++i)
            QCOMPARE(ask().status, 200);
        QCOMPARE(m_a->requestCount(), 6);
        QCOMPARE(m_b->requestCount(), 2);
    }

    void lowestLatencyPrefersTheFasterTarget()
    {
        QVERIFY(start(route(QStringLiteral("lowest-latency"))));
        MockUpstream::Script slow = MockUpstream::Script::defaultResponse();
        slow.headerDelayMs = 200;
        slow.times = -1;
        m_a->enqueue(slow);
        QCOMPARE(ask().status, 200); // a: not measured yet, first in config order
        QCOMPARE(ask().status, 200); // b: not measured yet
        QCOMPARE(m_a->requestCount(), 1);
        QCOMPARE(m_b->requestCount(), 1);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(ask().status, 200);
        QCOMPARE(m_b->requestCount(), 4);
    }

    void lowestCostPrefersTheCheaperTarget()
    {
        const QJsonObject prices {
            {QStringLiteral("a"),
             QJsonObject {
                 {QStringLiteral("models"),
                  QJsonObject {{QStringLiteral("model-a"),
                                QJsonObject {{QStringLiteral("input"), 10}, {QStringLiteral("output"), 30}}}}}}},
            {QStringLiteral("b"),
             QJsonObject {
                 {QStringLiteral("models"),
                  QJsonObject {{QStringLiteral("model-b"),
                                QJsonObject {{QStringLiteral("input"), 1}, {QStringLiteral("output"), 2}}}}}}}};
        QVERIFY(start(route(QStringLiteral("lowest-cost")), {{QStringLiteral("prices"), prices}}));
        QCOMPARE(ask().status, 200);
        QCOMPARE(m_b->requestCount(), 1);
        QCOMPARE(m_a->requestCount(), 0);
        QTRY_COMPARE(m_usage->records().size(), 1);
        QVERIFY(m_usage->records().first().costMicroUsd > 0);
    }
};

QTEST_GUILESS_MAIN(TestRouting)
#include "tst_routing.moc"
