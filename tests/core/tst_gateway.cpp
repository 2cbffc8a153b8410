// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// The gateway end to end in-process: real sockets on 127.0.0.1, the real server and
// worker threads, a scripted upstream speaking the providers' wire formats.
#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

#include "common/memoryusagesink.h"
#include "config/configloader.h"
#include "gateway/gatewayserver.h"
#include "gateway/gatewaystate.h"
#include "mockupstream.h"
#include "testcerts.h"
#include "testhttpclient.h"

using namespace sy;
using sy::testsupport::MockUpstream;
using sy::testsupport::TestHttpClient;
using Headers = QList<std::pair<QByteArray, QByteArray>>;

namespace {
const QByteArray kClientKey = "sy-test-0123456789abcdef";
const QByteArray kOpenAiKey = "sk-upstream-openai-secret";
const QByteArray kAnthropicKey = "sk-ant-upstream-secret";
const Headers kAuth {{"Authorization", "Bearer " + kClientKey}, {"Content-Type", "application/json"}};
} // namespace

class TestGateway : public QObject
{
    Q_OBJECT

private:
    MockUpstream *m_upstream = nullptr;
    MemoryUsageSink *m_usage = nullptr;
    gateway::GatewayServer *m_gateway = nullptr;

    QJsonObject baseConfig() const
    {
        const QString base = m_upstream->baseUrl().toString();
        const QByteArray hash = QCryptographicHash::hash(kClientKey, QCryptographicHash::Sha256).toHex();
        return QJsonDocument::fromJson(QStringLiteral(R"({
            "listen": "127.0.0.1:0",
            "auth": {"require_client_key": true, "client_keys": [{"name": "agent-1", "sha256": "%1"}]},
            "providers": [
                {"id": "openai", "kind": "openai", "base_url": "%2/v1", "api_key_env": "SY_TEST_OPENAI_KEY", "models": ["gpt-4o-mini"]},
                {"id": "anthropic", "kind": "anthropic", "base_url": "%2", "api_key_env": "SY_TEST_ANTHROPIC_KEY"},
                {"id": "local", "kind": "openai-compatible", "base_url": "%2/v1"}],
            "routes": [{"model": "fast", "targets": [{"provider": "openai", "model": "gpt-4o-mini"}]}],
            "server": {"worker_threads": 2, "max_body_bytes": 65536, "max_header_bytes": 8192},
            "upstream": {"connect_timeout_ms": 2000, "first_byte_timeout_ms": 1500}
        })")
                                           .arg(QString::fromLatin1(hash), base)
                                           .toUtf8())
            .object();
    }

    bool startGateway(const QJsonObject &config)
    {
        auto loaded = config::ConfigLoader::fromJson(QJsonDocument(config).toJson());
        if (!loaded) {
            qWarning() << loaded.error();
            return false;
        }
        auto state = gateway::GatewayState::create(std::move(loaded).value());
        if (!state) {
            qWarning() << state.error();
            return false;
        }
        m_gateway = new gateway::GatewayServer(state.value(), *m_usage);
        return bool(m_gateway->listen());
    }

    std::unique_ptr<TestHttpClient> client()
    {
        auto c = std::make_unique<TestHttpClient>();
        if (!c->connectTo(m_gateway->port()))
            return nullptr;
        return c;
    }

    static QByteArray chatBody(bool stream, const QByteArray &model = "gpt-4o-mini", const QByteArray &extra = {})
    {
        return "{\"model\": \"" + model + "\", \"messages\": [{\"role\": \"user\", \"content\": \"hello there\"}]"
            + (stream ? QByteArray(R"(, "stream": true)") : QByteArray()) + extra + "}";
    }

    static QJsonObject json(const QByteArray &body) { return QJsonDocument::fromJson(body).object(); }

private slots:
    void initTestCase()
    {
        qputenv("SY_TEST_OPENAI_KEY", kOpenAiKey);
        qputenv("SY_TEST_ANTHROPIC_KEY", kAnthropicKey);
    }

    void init()
    {
        m_upstream = new MockUpstream;
        QVERIFY(m_upstream->listen());
        m_usage = new MemoryUsageSink;
        QVERIFY(startGateway(baseConfig()));
    }

    void cleanup()
    {
        delete m_gateway;
        m_gateway = nullptr;
        delete m_upstream;
        delete m_usage;
    }

    void healthz()
    {
        auto c = client();
        c->send("GET", "/healthz", {});
        QVERIFY(c->waitForResponses(1));
        QCOMPARE(c->responses().first().status, 200);
        QCOMPARE(json(c->responses().first().body).value(u"status").toString(), u"ok");
    }

    void forwardsBodyByteForByteWithProviderKey()
    {
        auto c = client();
        const QByteArray body = chatBody(false, "gpt-4o-mini", R"(, "temperature":0.5,  "zeta": [1,2,3] )");
        c->send("POST", "/v1/chat/completions?trace=1", kAuth, body);
        QVERIFY(c->waitForResponses(1));
        const auto response = c->responses().first();
        QCOMPARE(response.status, 200);
        QCOMPARE(json(response.body).value(u"object").toString(), u"chat.completion");

        const auto received = m_upstream->lastRequest();
        QCOMPARE(received.body, body);
        QCOMPARE(received.target, QByteArray("/v1/chat/completions?trace=1"));
        QCOMPARE(received.header("authorization"), "Bearer " + kOpenAiKey);
        QVERIFY(!received.hasHeader("x-api-key"));
        QVERIFY(!received.header("authorization").contains(kClientKey));

        QTRY_COMPARE(m_usage->records().size(), 1);
        const UsageRecord record = m_usage->records().first();
        QCOMPARE(record.client, u"agent-1");
        QCOMPARE(record.provider, u"openai");
        QCOMPARE(record.model, u"gpt-4o-mini");
        QCOMPARE(record.status, 200);
        QCOMPARE(record.outcome, Outcome::Completed);
        QCOMPARE(record.inputTokens, m_upstream->usage().inputTokens);
        QCOMPARE(record.outputTokens, m_upstream->usage().outputTokens);
        QCOMPARE(record.cachedInputTokens, m_upstream->usage().cachedInputTokens);
        QCOMPARE(record.cacheWriteTokens, m_upstream->usage().cacheWriteTokens);
        QCOMPARE(record.reasoningTokens, m_upstream->usage().reasoningTokens);
        QVERIFY(!record.streamed);
    }

    void rewritesOnlyTheModelForProviderPrefixAndRoutes_data()
    {
        QTest::addColumn<QByteArray>("asked");
        QTest::addColumn<QByteArray>("sent");
        QTest::addColumn<QString>("route");
        QTest::newRow("provider/model") << QByteArray("openai/gpt-4o") << QByteArray("gpt-4o") << QString();
        QTest::newRow("route") << QByteArray("fast") << QByteArray("gpt-4o-mini") << QStringLiteral("fast");
        QTest::newRow("org/model passes through")
            << QByteArray("meta-llama/Llama-3-8B") << QByteArray("meta-llama/Llama-3-8B") << QString();
    }

    void rewritesOnlyTheModelForProviderPrefixAndRoutes()
    {
        QFETCH(QByteArray, asked);
        QFETCH(QByteArray, sent);
        QFETCH(QString, route);
        auto c = client();
        c->send("POST", "/v1/chat/completions", kAuth,
                chatBody(false, asked, R"(, "cache_control": {"type": "ephemeral"})"));
        QVERIFY(c->waitForResponses(1));
        QCOMPARE(c->responses().first().status, 200);
        QCOMPARE(m_upstream->lastRequest().body, chatBody(false, sent, R"(, "cache_control": {"type": "ephemeral"})"));
        QTRY_COMPARE(m_usage->records().size(), 1);
        QCOMPARE(m_usage->records().first().route, route);
        QCOMPARE(m_usage->records().first().model, QString::fromUtf8(sent));
    }

    void streamsChatAndHidesInjectedUsage()
    {
        auto c = client();
        c->send("POST", "/v1/chat/completions", kAuth, chatBody(true));
        QVERIFY(c->waitForResponses(1));
        const auto response = c->responses().first();
        QCOMPARE(response.status, 200);
        QVERIFY(response.header("content-type").startsWith("text/event-stream"));
        QVERIFY(response.body.contains("data: [DONE]"));
        // The client did not ask for usage: it gets none, byte for byte what the upstream
        // sends to a client that did not ask.
        QVERIFY(!response.body.contains("\"usage\""));
        QVERIFY(m_upstream->lastRequest().body.contains(R"("stream_options":{"include_usage":true})"));
        TestHttpClient direct;
        QVERIFY(direct.connectTo(m_upstream->port()));
        direct.send("POST", "/v1/chat/completions", kAuth, chatBody(true));
        QVERIFY(direct.waitForResponses(1));
        // Ids derive from the request body, which differs by the injected stream_options.
        static const QRegularExpression id(QStringLiteral("chatcmpl-mock[0-9a-f]+"));
        QCOMPARE(QString::fromUtf8(response.body).replace(id, QStringLiteral("ID")),
                 QString::fromUtf8(direct.responses().first().body).replace(id, QStringLiteral("ID")));

        QTRY_COMPARE(m_usage->records().size(), 1);
        const UsageRecord record = m_usage->records().first();
        QVERIFY(record.streamed);
        QCOMPARE(record.inputTokens, m_upstream->usage().inputTokens);
        QCOMPARE(record.outputTokens, m_upstream->usage().outputTokens);
        QVERIFY(record.ttfbMs >= 0 && record.ttfbMs <= record.latencyMs);
    }

    void keepsUsageTheClientAskedFor()
    {
        auto c = client();
        c->send("POST", "/v1/chat/completions", kAuth,
                chatBody(true, "gpt-4o-mini", R"(, "stream_options": {"include_usage": true})"));
        QVERIFY(c->waitForResponses(1));
        QVERIFY(c->responses().first().body.contains("\"usage\""));
        QTRY_COMPARE(m_usage->records().size(), 1);
        QCOMPARE(m_usage->records().first().outputTokens, m_upstream->usage().outputTokens);
    }

    void relaysEachEventAsItArrives()
    {
        m_upstream->enqueue(
            MockUpstream::Script::sse({"data: {\"a\":1}\n\n", "data: {\"b\":2}\n\n", "data: [DONE]\n\n"}, 150));
        auto c = client();
        c->send("POST", "/v1/chat/completions", kAuth, chatBody(true, "local/llama3"));
        QVERIFY(c->waitForResponses(1));
        const auto pieces = c->responses().first().pieces;
        QCOMPARE(pieces.size(), 3); // one piece per event: nothing merged, nothing held back
        QCOMPARE(pieces.at(0), QByteArray("data: {\"a\":1}\n\n"));
    }

    void anthropicMessagesStreamWithBetaAndQuery()
    {
        auto c = client();
        const QByteArray body
            = R"({"model":"claude-sonnet-4-5","max_tokens":64,"stream":true,"messages":[{"role":"user","content":[{"type":"text","text":"hi","cache_control":{"type":"ephemeral"}}]}]})";
        c->send("POST", "/v1/messages?beta=true",
                {{"x-api-key", kClientKey},
                 {"anthropic-beta", "prompt-caching-2024-07-31"},
                 {"Content-Type", "application/json"}},
                body);
        QVERIFY(c->waitForResponses(1));
        QCOMPARE(c->responses().first().status, 200);
        QVERIFY(c->responses().first().body.contains("event: message_stop"));
        const auto received = m_upstream->lastRequest();
        QCOMPARE(received.target, QByteArray("/v1/messages?beta=true"));
        QCOMPARE(received.body, body);
        QCOMPARE(received.header("x-api-key"), kAnthropicKey);
        QCOMPARE(received.header("anthropic-version"), QByteArray("2023-06-01"));
        QCOMPARE(received.header("anthropic-beta"), QByteArray("prompt-caching-2024-07-31"));
        QVERIFY(!received.hasHeader("authorization"));
        QTRY_COMPARE(m_usage->records().size(), 1);
        const UsageRecord record = m_usage->records().first();
        QCOMPARE(record.provider, u"anthropic");
        QCOMPARE(record.inputTokens, m_upstream->usage().inputTokens);
        QCOMPARE(record.cachedInputTokens, m_upstream->usage().cachedInputTokens);
        QCOMPARE(record.cacheWriteTokens, m_upstream->usage().cacheWriteTokens);
        QCOMPARE(record.outputTokens, m_upstream->usage().outputTokens);
    }

    void gatewayErrorsInTheCallersFormat_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::addColumn<bool>("anthropic");
        const QByteArray auth = "Authorization: Bearer " + kClientKey + "\r\n";
        auto post = [&](const QByteArray &path, const QByteArray &body, const QByteArray &headers) -> QByteArray {
            return "POST " + path + " HTTP/1.1\r\nHost: localhost:7788\r\n" + headers
                + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
        };
        QTest::newRow("no key") << post("/v1/chat/completions", chatBody(false), {}) << 401 << false;
        QTest::newRow("wrong key") << post("/v1/chat/completions", chatBody(false), "Authorization: Bearer sy-nope\r\n")
                                   << 401 << false;
        QTest::newRow("no key anthropic") << post("/v1/messages", "{}", {}) << 401 << true;
        QTest::newRow("bad json") << post("/v1/chat/completions", "{\"model\": ", auth) << 400 << false;
        QTest::newRow("bad json anthropic") << post("/v1/messages", "[1,", auth) << 400 << true;
        QTest::newRow("no model") << post("/v1/chat/completions", "{\"messages\": []}", auth) << 400 << false;
        QTest::newRow("wrong format provider")
            << post("/v1/messages", R"({"model":"openai/gpt-4o"})", auth) << 400 << true;
        QTest::newRow("unknown endpoint") << post("/v1/nope", "{}", auth) << 404 << false;
        QTest::newRow("wrong method") << QByteArray("GET /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n" + auth
                                                    + "\r\n")
                                      << 405 << false;
        QTest::newRow("body too large") << post("/v1/chat/completions", QByteArray(70000, 'x'), auth) << 413 << false;
        QTest::newRow("headers too large")
            << post("/v1/messages", "{}", "X-Big: " + QByteArray(9000, 'a') + "\r\n") << 431 << true;
        QTest::newRow("malformed http") << QByteArray(
            "POST /v1/chat/completions HTTP/1.1\r\nContent-Length: abc\r\n\r\n")
                                        << 400 << false;
        QTest::newRow("foreign host") << QByteArray("GET /v1/models HTTP/1.1\r\nHost: evil.example:7788\r\n" + auth
                                                    + "\r\n")
                                      << 403 << false;
        QTest::newRow("foreign origin") << post("/v1/chat/completions", chatBody(false),
                                                auth + "Origin: https://evil.example\r\n")
                                        << 403 << false;
    }

    void gatewayErrorsInTheCallersFormat()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        QFETCH(bool, anthropic);
        auto c = client();
        c->sendRaw(request);
        QVERIFY(c->waitForResponses(1));
        const auto response = c->responses().first();
        QCOMPARE(response.status, status);
        const QJsonObject body = json(response.body);
        if (anthropic) {
            QCOMPARE(body.value(u"type").toString(), u"error");
            QVERIFY(!body.value(u"error").toObject().value(u"message").toString().isEmpty());
        } else {
            QVERIFY(!body.value(u"error").toObject().value(u"message").toString().isEmpty());
            QVERIFY(body.value(u"error").toObject().contains(u"type"));
        }
        QCOMPARE(m_upstream->requestCount(), 0); // nothing reached the provider
    }

    void refusedRowsKeepTheModelAndTheStreamFlag_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("provider");
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("route");
        QTest::addColumn<bool>("streamed");
        const QByteArray chat = "/v1/chat/completions";
        QTest::newRow("401 stream") << chat << QByteArray() << chatBody(true) << 401 << QString() << u"gpt-4o-mini"_qs
                                    << QString() << true;
        QTest::newRow("401 provider/model") << chat << QByteArray("sy-wrong") << chatBody(false, "openai/gpt-4o") << 401
                                            << u"openai"_qs << u"gpt-4o"_qs << QString() << false;
        QTest::newRow("401 route") << chat << QByteArray() << chatBody(true, "fast") << 401 << QString() << u"fast"_qs
                                   << u"fast"_qs << true;
        QTest::newRow("400 no model") << chat << kClientKey << QByteArray(R"({"messages":[],"stream":true})") << 400
                                      << QString() << QString() << QString() << true;
        QTest::newRow("400 bad json") << chat << kClientKey << QByteArray(R"({"model": "gpt-4o", "stream": tr)") << 400
                                      << QString() << QString() << QString() << false;
        QTest::newRow("400 wrong format")
            << QByteArray("/v1/messages") << kClientKey << QByteArray(R"({"model":"openai/gpt-4o","stream":true})")
            << 400 << u"openai"_qs << u"gpt-4o"_qs << QString() << true;
    }

    void refusedRowsKeepTheModelAndTheStreamFlag()
    {
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, key);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, provider);
        QFETCH(QString, model);
        QFETCH(QString, route);
        QFETCH(bool, streamed);
        auto c = client();
        Headers headers {{"Content-Type", "application/json"}};
        if (!key.isEmpty())
            headers.append({"Authorization", "Bearer " + key});
        c->send("POST", path, headers, body);
        QVERIFY(c->waitForResponses(1));
        QCOMPARE(c->responses().first().status, status);
        QTRY_COMPARE(m_usage->records().size(), 1);
        const UsageRecord record = m_usage->records().first();
        QCOMPARE(record.status, status);
        QCOMPARE(record.outcome, Outcome::Rejected);
        QCOMPARE(record.provider, provider);
        QCOMPARE(record.model, model);
        QCOMPARE(record.route, route);
        QCOMPARE(record.streamed, streamed);
        QCOMPARE(record.client, status == 401 ? QString() : u"agent-1"_qs); // never the presented key
        for (qint64 unknown : {record.inputTokens, record.outputTokens, record.cachedInputTokens,
                               record.cacheWriteTokens, record.reasoningTokens, record.costMicroUsd})
            QCOMPARE(unknown, qint64(-1));
        QCOMPARE(m_upstream->requestCount(), 0);
    }

    void upstreamErrorsPassThroughUnchanged()
    {
        const QByteArray error
            = R"({"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}})";
        m_upstream->enqueue(MockUpstream::Script::json(429, error, {{"retry-after", "7"}}));
        auto c = client();
        c->send("POST", "/v1/chat/completions", kAuth, chatBody(false));
        QVERIFY(c->waitForResponses(1));
        QCOMPARE(c->responses().first().status, 429);
        QCOMPARE(c->responses().first().body, error);
        QCOMPARE(c->responses().first().header("retry-after"), QByteArray("7"));
    }

    void deadUpstreamIs502AndStallIs504()
    {
        m_upstream->enqueue(MockUpstream::Script::failure(MockUpstream::Fault::ResetBeforeResponse));
        auto c = client();
        c->send("POST", "/v1/messages", {{"x-api-key", kClientKey}},
                R"({"model":"claude-haiku-4-5","max_tokens":5,"messages":[]})");
        QVERIFY(c->waitForResponses(1));
        QCOMPARE(c->responses().at(0).status, 502);
        QCOMPARE(json(c->responses().at(0).body).value(u"type").toString(), u"error");

        m_upstream->enqueue(MockUpstream::Script::failure(MockUpstream::Fault::Stall));
        c->send("POST", "/v1/chat/completions", kAuth, chatBody(false));
        QVERIFY(c->waitForResponses(2));
        QCOMPARE(c->responses().at(1).status, 504);
        QTRY_COMPARE(m_usage->records().size(), 2);
        QCOMPARE(m_usage->records().at(0).outcome, Outcome::UpstreamFailed);
        QCOMPARE(m_usage->records().at(1).outcome, Outcome::UpstreamFailed);

        m_upstream->close(); // nobody listening at all
        c->send("POST", "/v1/chat/completions", kAuth, chatBody(false));
        QVERIFY(c->waitForResponses(3));
        QCOMPARE(c->responses().at(2).status, 502);
    }

    void upstreamDeathMidStreamTruncatesTheClient()
    {
        MockUpstream::Script script = MockUpstream::Script::defaultResponse();
        script.fault = MockUpstream::Fault::CloseAfterChunks;
        script.faultAfter = 2;
        m_upstream->enqueue(script);
        auto c = client();
        c->send("POST", "/v1/chat/completions", kAuth, chatBody(true));
        QVERIFY(c->waitForDisconnected());
        QVERIFY(c->responses().isEmpty()); // never a complete-looking response
        QCOMPARE(c->current().status, 200);
        QTRY_COMPARE(m_usage->records().size(), 1);
        QCOMPARE(m_usage->records().first().outcome, Outcome::UpstreamTruncated);

        auto again = client(); // and the gateway keeps serving
        again->send("POST", "/v1/chat/completions", kAuth, chatBody(false));
        QVERIFY(again->waitForResponses(1));
        QCOMPARE(again->responses().first().status, 200);
    }

    void clientDisconnectAbortsTheUpstreamCall()
    {
        m_upstream->setStreamDelay(200);
        QSignalSpy closed(m_upstream, &MockUpstream::connectionClosed);
        auto c = client();
        c->send("POST", "/v1/chat/completions", kAuth, chatBody(true));
        QVERIFY(c->waitForBody(1));
        c->abort();
        QVERIFY(closed.wait(5000));
        QTRY_COMPARE(m_usage->records().size(), 1);
        QCOMPARE(m_usage->records().first().outcome, Outcome::ClientDisconnected);
    }

    void slowClientPushesBackOnTheUpstream()
    {
        // 64 MiB of events, far more than the kernel buffers between the three parties hold.
        const QByteArray event = "data: " + QByteArray(64 * 1024 - 8, 'x') + "\n\n";
        QList<QByteArray> events(1024, event);
        m_upstream->enqueue(MockUpstream::Script::sse(events));
        auto c = client();
        c->setReceiveBufferSize(64 * 1024);
        c->send("POST", "/v1/chat/completions", kAuth, chatBody(true, "local/llama3"));
        QVERIFY(c->waitForHead());
        c->pauseReading(true);
        // Proving that something does not happen takes a window of time: without
        // back-pressure the gateway would drain all 64 MiB from the upstream well within it
        // (loopback moves more than 1 GiB/s) and hold it in memory. With it, at most the
        // kernel buffers (here about 40 MiB) leave the upstream.
        QTest::qWait(1000);
        QVERIFY2(m_upstream->unsentBytes() > 16 * 1024 * 1024,
                 qPrintable(QStringLiteral("upstream holds only %1 bytes").arg(m_upstream->unsentBytes())));
        c->pauseReading(false);
        QVERIFY2(c->waitForResponses(1, 30000),
                 qPrintable(QStringLiteral("client has %1 bytes, upstream holds %2, parse error %3, connected %4")
                                .arg(c->current().body.size())
                                .arg(m_upstream->unsentBytes())
                                .arg(c->sawParseError())
                                .arg(c->isConnected())));
        QCOMPARE(c->responses().first().body.size(), qsizetype(events.size()) * event.size());
    }

    void metricsInPrometheusText()
    {
        delete m_gateway;
        auto loaded = config::ConfigLoader::fromJson(QJsonDocument(baseConfig()).toJson());
        QVERIFY(loaded.ok());
        m_gateway = new gateway::GatewayServer(gateway::GatewayState::create(std::move(loaded).value()).value(),
                                               *m_usage, [] { return QByteArray("switchyard_requests_total 3\n"); });
        QVERIFY(m_gateway->listen().ok());
        auto c = client();
        c->send("GET", "/metrics", {});
        QVERIFY(c->waitForResponses(1));
        QCOMPARE(c->responses().first().status, 200);
        QVERIFY(c->responses().first().header("content-type").startsWith("text/plain; version=0.0.4"));
        QCOMPARE(c->responses().first().body, QByteArray("switchyard_requests_total 3\n"));
    }

    void keepAliveAndPipelining()
    {
        auto c = client();
        QByteArray two;
        for (const QByteArray &model : {QByteArray("gpt-4o-mini"), QByteArray("fast")}) {
            const QByteArray body = chatBody(false, model);
            two += "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + kClientKey
                + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
        }
        c->sendRaw(two);
        QVERIFY(c->waitForResponses(2));
        QCOMPARE(c->responses().at(0).status, 200);
        QCOMPARE(c->responses().at(1).status, 200);
        c->send("GET", "/v1/models", kAuth);
        QVERIFY(c->waitForResponses(3));
        QVERIFY(c->isConnected());
        const QJsonObject models = json(c->responses().at(2).body);
        QCOMPARE(models.value(u"object").toString(), u"list");
        QVERIFY(c->responses().at(2).body.contains("\"openai/gpt-4o-mini\""));
        QVERIFY(c->responses().at(2).body.contains("\"fast\""));
        // Upstream connections are reused too. (The gateway's own background fetches of the
        // providers' model lists come on connections of their own: count the calls' only.)
        QSet<int> connections;
        for (const MockUpstream::ReceivedRequest &received : m_upstream->requests())
            connections.insert(received.connectionId);
        QVERIFY(connections.size() <= 2);
        QCOMPARE(m_upstream->requests().at(0).connectionId, m_upstream->requests().last().connectionId);
    }

    void allowedOriginGetsCors()
    {
        QJsonObject config = baseConfig();
        config.insert(u"allowed_origins", QJsonArray {QStringLiteral("http://localhost:3000")});
        delete m_gateway;
        QVERIFY(startGateway(config));
        auto c = client();
        Headers headers = kAuth;
        headers.append(std::pair<QByteArray, QByteArray> {"Origin", "http://localhost:3000"});
        c->send("POST", "/v1/chat/completions", headers, chatBody(false));
        QVERIFY(c->waitForResponses(1));
        QCOMPARE(c->responses().first().status, 200);
        QCOMPARE(c->responses().first().header("access-control-allow-origin"), QByteArray("http://localhost:3000"));
    }

    void tlsUpstreamVerifiedAgainstItsCa()
    {
        testsupport::TestCerts certs;
        QVERIFY(certs.isValid());
        MockUpstream tls;
        QVERIFY(tls.listenTls(certs.serverCertificate(), certs.serverKey()));
        QJsonObject config = baseConfig();
        QJsonArray providers;
        providers.append(
            QJsonObject {{QStringLiteral("id"), QStringLiteral("secure")},
                         {QStringLiteral("kind"), QStringLiteral("openai")},
                         {QStringLiteral("base_url"), QStringLiteral("https://localhost:%1/v1").arg(tls.port())},
                         {QStringLiteral("ca_file"), certs.caCertPath()}});
        providers.append(
            QJsonObject {{QStringLiteral("id"), QStringLiteral("untrusted")},
                         {QStringLiteral("kind"), QStringLiteral("openai")},
                         {QStringLiteral("base_url"), QStringLiteral("https://localhost:%1/v1").arg(tls.port())}});
        config.insert(u"providers", providers);
        config.remove(u"routes");
        delete m_gateway;
        QVERIFY(startGateway(config));
        auto c = client();
        c->send("POST", "/v1/chat/completions", kAuth, chatBody(false, "secure/gpt-4o"));
        QVERIFY(c->waitForResponses(1));
        QCOMPARE(c->responses().at(0).status, 200);
        QCOMPARE(tls.requestCount(), 1);
        c->send("POST", "/v1/chat/completions", kAuth, chatBody(false, "untrusted/gpt-4o"));
        QVERIFY(c->waitForResponses(2));
        QCOMPARE(c->responses().at(1).status, 502); // certificate not trusted: never sent
        QCOMPARE(tls.requestCount(), 1);
    }
};

QTEST_GUILESS_MAIN(TestGateway)
#include "tst_gateway.moc"
