// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// Anthropic Messages callers reaching an OpenAI-format provider through the gateway, in
// process: real sockets, the real server, a scripted upstream. What the provider receives,
// what the caller reads (checked by an accumulator), the stored row and its price, errors
// in the caller's shape, failures mid-stream, a client that leaves, and a session of mixed
// traffic after which the plain path is unchanged.
#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "anthropicstreamreader.h"
#include "common/memoryusagesink.h"
#include "config/configloader.h"
#include "gateway/gatewayserver.h"
#include "gateway/gatewaystate.h"
#include "mockupstream.h"
#include "openaistreambuilder.h"
#include "testhttpclient.h"

using namespace sy;
using sy::testsupport::AnthropicStreamReader;
using sy::testsupport::MockUpstream;
using sy::testsupport::OpenAiStreamBuilder;
using sy::testsupport::TestHttpClient;
using Headers = QList<std::pair<QByteArray, QByteArray>>;

class TestTranslateGateway : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void nonStreamedAnswerAndRow();
    void streamedToolCallsCutAwkwardly();
    void upstreamErrorsInTheCallersShape_data();
    void upstreamErrorsInTheCallersShape();
    void upstreamDeathMidStreamIsAnErrorEventAndABrokenConnection();
    void clientGoneCancelsTheUpstream();
    void refusals_data();
    void refusals();
    void sessionOfMixedTraffic();

private:
    bool startGateway(bool routeTranslates = true);
    std::unique_ptr<TestHttpClient> client();
    std::shared_ptr<const gateway::GatewayState> m_state;
    MockUpstream *m_upstream = nullptr;
    MemoryUsageSink *m_usage = nullptr;
    gateway::GatewayServer *m_gateway = nullptr;
};

namespace {

const QByteArray kClientKey = "sy-test-0123456789abcdef";
const QByteArray kOpenAiKey = "sk-upstream-openai-secret";
const Headers kAnthropicHeaders {{"x-api-key", kClientKey},
                                 {"anthropic-version", "2023-06-01"},
                                 {"anthropic-beta", "interleaved-thinking-2025-05-14"},
                                 {"Content-Type", "application/json"}};

QByteArray messagesBody(const QByteArray &model, bool stream, const QByteArray &prompt = "hello there")
{
    return R"({"model":")" + model + R"(","max_tokens":256,)" + (stream ? R"("stream":true,)" : "")
        + R"("system":"be brief","messages":[{"role":"user","content":")" + prompt + R"("}],
            "tools":[{"name":"bash","input_schema":{"type":"object"}}]})";
}

QJsonObject json(const QByteArray &body)
{
    return QJsonDocument::fromJson(body).object();
}

} // namespace

void TestTranslateGateway::initTestCase()
{
    qputenv("SY_TEST_OPENAI_KEY", kOpenAiKey);
}

bool TestTranslateGateway::startGateway(bool routeTranslates)
{
    const QByteArray hash = QCryptographicHash::hash(kClientKey, QCryptographicHash::Sha256).toHex();
    const QByteArray config = QStringLiteral(R"({
        "listen": "127.0.0.1:0",
        "auth": {"require_client_key": true, "client_keys": [{"name": "claude-code", "sha256": "%1"}]},
        "providers": [
            {"id": "openai", "kind": "openai", "base_url": "%2/v1", "api_key_env": "SY_TEST_OPENAI_KEY"},
            {"id": "anthropic", "kind": "anthropic", "base_url": "%2", "api_key_env": "SY_TEST_OPENAI_KEY"},
            {"id": "shut", "kind": "openai-compatible", "base_url": "%2/v1", "translate": false}],
        "routes": [{"model": "claude-on-gpt", "translate": %3,
                    "targets": [{"provider": "openai", "model": "gpt-4o-mini"}]}],
        "server": {"worker_threads": 1}
    })")
                                  .arg(QString::fromLatin1(hash), m_upstream->baseUrl().toString(),
                                       routeTranslates ? u"true"_qs : u"false"_qs)
                                  .toUtf8();
    auto loaded = config::ConfigLoader::fromJson(config);
    if (!loaded) {
        qWarning() << loaded.error();
        return false;
    }
    auto state = gateway::GatewayState::create(std::move(loaded).value());
    if (!state)
        return false;
    m_state = state.value();
    m_gateway = new gateway::GatewayServer(state.value(), *m_usage);
    return bool(m_gateway->listen());
}

std::unique_ptr<TestHttpClient> TestTranslateGateway::client()
{
    auto c = std::make_unique<TestHttpClient>();
    if (!c->connectTo(m_gateway->port()))
        return nullptr;
    return c;
}

void TestTranslateGateway::init()
{
    m_upstream = new MockUpstream;
    QVERIFY(m_upstream->listen());
    m_usage = new MemoryUsageSink;
    QVERIFY(startGateway());
}

void TestTranslateGateway::cleanup()
{
    delete m_gateway;
    m_gateway = nullptr;
    delete m_upstream;
    delete m_usage;
}

void TestTranslateGateway::nonStreamedAnswerAndRow()
{
    auto c = client();
    c->send("POST", "/v1/messages", kAnthropicHeaders, messagesBody("claude-on-gpt", false));
    QVERIFY(c->waitForResponses(1));
    const auto response = c->responses().first();
    QCOMPARE(response.status, 200);
    const QJsonObject message = json(response.body);
    QCOMPARE(message.value(u"type").toString(), u"message"_qs);
    QCOMPARE(message.value(u"model").toString(), u"claude-on-gpt"_qs);
    QCOMPARE(message.value(u"content")[0][u"text"].toString(), u"echo: hello there"_qs);
    QCOMPARE(message.value(u"stop_reason").toString(), u"end_turn"_qs);
    // The mock's prompt_tokens (11) hold 3 cached and 2 written: Anthropic counts them apart.
    const MockUpstream::Usage u = m_upstream->usage();
    const QJsonObject usage = message.value(u"usage").toObject();
    QCOMPARE(usage.value(u"input_tokens").toInt(), u.inputTokens - u.cachedInputTokens - u.cacheWriteTokens);
    QCOMPARE(usage.value(u"cache_read_input_tokens").toInt(), u.cachedInputTokens);
    QCOMPARE(usage.value(u"cache_creation_input_tokens").toInt(), u.cacheWriteTokens);
    QCOMPARE(usage.value(u"output_tokens").toInt(), u.outputTokens);

    // The provider got its own format, its own key, none of the caller's dialect.
    const auto received = m_upstream->lastRequest();
    QCOMPARE(received.target, QByteArray("/v1/chat/completions"));
    QCOMPARE(received.header("authorization"), "Bearer " + kOpenAiKey);
    QVERIFY(!received.hasHeader("x-api-key"));
    QVERIFY(!received.hasHeader("anthropic-version"));
    QVERIFY(!received.hasHeader("anthropic-beta"));
    const QJsonObject sent = json(received.body);
    QCOMPARE(sent.value(u"model").toString(), u"gpt-4o-mini"_qs);
    QCOMPARE(sent.value(u"max_completion_tokens").toInt(), 256); // OpenAI itself: the newer field
    QCOMPARE(sent.value(u"messages")[0][u"role"].toString(), u"system"_qs);
    QCOMPARE(sent.value(u"tools")[0][u"function"][u"name"].toString(), u"bash"_qs);

    // The row: priced by the provider that answered, in its own convention.
    QTRY_COMPARE(m_usage->records().size(), 1);
    const UsageRecord record = m_usage->records().first();
    QCOMPARE(record.provider, u"openai"_qs);
    QCOMPARE(record.model, u"gpt-4o-mini"_qs);
    QCOMPARE(record.route, u"claude-on-gpt"_qs);
    QCOMPARE(record.endpoint, u"/v1/messages"_qs);
    QCOMPARE(record.status, 200);
    QCOMPARE(record.inputTokens, u.inputTokens);
    QCOMPARE(record.cachedInputTokens, u.cachedInputTokens);
    QCOMPARE(record.cacheWriteTokens, u.cacheWriteTokens);
    QCOMPARE(record.outputTokens, u.outputTokens);
    TokenUsage tokens;
    tokens.input = u.inputTokens;
    tokens.output = u.outputTokens;
    tokens.cachedInput = u.cachedInputTokens;
    tokens.cacheWrite = u.cacheWriteTokens;
    tokens.reasoning = u.reasoningTokens;
    const auto cost = m_state->prices().costMicroUsd(u"openai"_qs, u"gpt-4o-mini"_qs, tokens,
                                                     CacheConvention::InputIncludesCached, record.startedAt);
    QVERIFY(cost && *cost > 0);
    QCOMPARE(record.costMicroUsd, *cost);
}

void TestTranslateGateway::streamedToolCallsCutAwkwardly()
{
    m_upstream->enqueue(OpenAiStreamBuilder()
                            .reasoning(u"The user wants two files."_qs)
                            .text({u"Reading both "_qs, u"files — ✓"_qs})
                            .toolStart(0, "call_a", "bash")
                            .toolStart(1, "call_b", "bash")
                            .toolArguments(0, u"{\"command\":\"cat \\"_qs)
                            .toolArguments(1, u"{\"command\":\"cat \xd83d"_qs)
                            .toolArguments(0, u"\"a b.txt\\\"\"}"_qs)
                            .toolArguments(1, u"\xde00.txt\"}"_qs)
                            .finish("tool_calls")
                            .usage(120, 40, 100)
                            .script(true));
    auto c = client();
    c->send("POST", "/v1/messages", kAnthropicHeaders, messagesBody("openai/gpt-4o-mini", true));
    QVERIFY(c->waitForResponses(1));
    const auto response = c->responses().first();
    QCOMPARE(response.status, 200);
    QVERIFY(response.header("content-type").startsWith("text/event-stream"));
    AnthropicStreamReader reader;
    reader.read(response.body);
    QVERIFY2(reader.problems().isEmpty(), qPrintable(reader.problems().join(u"; ")));
    QVERIFY(reader.stopped());
    QVERIFY(reader.startInputTokens() > 0);
    const QJsonObject message = reader.message();
    const QJsonArray content = message.value(u"content").toArray();
    QCOMPARE(content.size(), 4);
    QCOMPARE(content[0][u"type"].toString(), u"thinking"_qs);
    QCOMPARE(content[1][u"text"].toString(), u"Reading both files — ✓"_qs);
    QCOMPARE(content[2][u"input"][u"command"].toString(), u"cat \"a b.txt\""_qs);
    QCOMPARE(content[3][u"input"][u"command"].toString(), QString::fromUtf8("cat 😀.txt"));
    QCOMPARE(content[3][u"id"].toString(), u"call_b"_qs);
    QCOMPARE(message.value(u"stop_reason").toString(), u"tool_use"_qs);
    QCOMPARE(message.value(u"usage")[u"input_tokens"].toInt(), 20);
    QCOMPARE(message.value(u"usage")[u"cache_read_input_tokens"].toInt(), 100);
    QCOMPARE(message.value(u"usage")[u"output_tokens"].toInt(), 40);

    const QJsonObject sent = json(m_upstream->lastRequest().body);
    QCOMPARE(sent.value(u"stream_options")[u"include_usage"].toBool(), true);
    QTRY_COMPARE(m_usage->records().size(), 1);
    const UsageRecord record = m_usage->records().first();
    QVERIFY(record.streamed);
    QCOMPARE(record.inputTokens, 120);
    QCOMPARE(record.cachedInputTokens, 100);
    QCOMPARE(record.outputTokens, 40);
    QVERIFY(record.costMicroUsd > 0);
}

void TestTranslateGateway::upstreamErrorsInTheCallersShape_data()
{
    QTest::addColumn<int>("upstream");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("type");
    QTest::newRow("400") << 400 << 400 << u"invalid_request_error"_qs;
    QTest::newRow("401") << 401 << 401 << u"authentication_error"_qs;
    QTest::newRow("403") << 403 << 403 << u"permission_error"_qs;
    QTest::newRow("404") << 404 << 404 << u"not_found_error"_qs;
    QTest::newRow("413") << 413 << 413 << u"request_too_large"_qs;
    QTest::newRow("429") << 429 << 429 << u"rate_limit_error"_qs;
    QTest::newRow("500") << 500 << 500 << u"api_error"_qs;
    QTest::newRow("503 is 529 overloaded") << 503 << 529 << u"overloaded_error"_qs;
    QTest::newRow("504") << 504 << 504 << u"timeout_error"_qs;
}

void TestTranslateGateway::upstreamErrorsInTheCallersShape()
{
    QFETCH(int, upstream);
    QFETCH(int, status);
    QFETCH(QString, type);
    MockUpstream::Script script = MockUpstream::Script::openAiError(upstream, "server_error", "", "provider says no");
    QByteArray retryAfter;
    for (const auto &[name, value] : script.headers) {
        if (name.toLower() == "retry-after")
            retryAfter = value;
    }
    m_upstream->enqueue(script);
    auto c = client();
    // provider/model, not the route: a route moves on from 429 and 5xx.
    c->send("POST", "/v1/messages", kAnthropicHeaders, messagesBody("openai/gpt-4o-mini", true));
    QVERIFY(c->waitForResponses(1));
    const auto response = c->responses().first();
    QCOMPARE(response.status, status);
    const QJsonObject body = json(response.body);
    QCOMPARE(body.value(u"type").toString(), u"error"_qs);
    QCOMPARE(body.value(u"error")[u"type"].toString(), type);
    QCOMPARE(body.value(u"error")[u"message"].toString(), u"provider says no"_qs);
    QCOMPARE(response.header("retry-after"), retryAfter); // kept: the SDK waits as long as told
    QTRY_COMPARE(m_usage->records().size(), 1);
    QCOMPARE(m_usage->records().first().status, status);
}

void TestTranslateGateway::upstreamDeathMidStreamIsAnErrorEventAndABrokenConnection()
{
    MockUpstream::Script script = OpenAiStreamBuilder().text({u"a"_qs, u"b"_qs, u"c"_qs}).finish("stop").script(false);
    script.fault = MockUpstream::Fault::CloseAfterChunks;
    script.faultAfter = 3;
    m_upstream->enqueue(script);
    auto c = client();
    c->send("POST", "/v1/messages", kAnthropicHeaders, messagesBody("openai/gpt-4o-mini", true));
    QVERIFY(c->waitForDisconnected());
    QVERIFY(c->responses().isEmpty()); // never a clean end
    QCOMPARE(c->current().status, 200);
    AnthropicStreamReader reader;
    reader.read(c->current().body);
    QVERIFY(reader.sawError());
    QVERIFY(!reader.stopped());
    QTRY_COMPARE(m_usage->records().size(), 1);
    QCOMPARE(m_usage->records().first().outcome, Outcome::UpstreamTruncated);
}

void TestTranslateGateway::clientGoneCancelsTheUpstream()
{
    MockUpstream::Script script = OpenAiStreamBuilder().text({u"a"_qs, u"b"_qs, u"c"_qs}).finish("stop").script(false);
    script.chunkDelayMs = 2000;
    m_upstream->enqueue(script);
    auto c = client();
    c->send("POST", "/v1/messages", kAnthropicHeaders, messagesBody("openai/gpt-4o-mini", true));
    QVERIFY(c->waitForBody(1));
    c->abort();
    QTRY_COMPARE(m_upstream->closedConnectionCount(), 1);
    QTRY_COMPARE(m_usage->records().size(), 1);
    QCOMPARE(m_usage->records().first().outcome, Outcome::ClientDisconnected);
}

void TestTranslateGateway::refusals_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("names");
    QTest::newRow("provider with translate off")
        << QByteArray("/v1/messages") << messagesBody("shut/some-model", false) << 400 << u"translation is off"_qs;
    QTest::newRow("OpenAI caller to an Anthropic provider (not yet)")
        << QByteArray("/v1/chat/completions")
        << QByteArray(R"({"model":"anthropic/claude-x","messages":[{"role":"user","content":"x"}]})") << 400
        << u"does not translate"_qs;
    QTest::newRow("count_tokens has no OpenAI counterpart")
        << QByteArray("/v1/messages/count_tokens") << messagesBody("openai/gpt-4o-mini", false) << 400
        << u"does not translate"_qs;
    QTest::newRow("a document the provider cannot read")
        << QByteArray("/v1/messages")
        << QByteArray(R"({"model":"openai/gpt-4o-mini","max_tokens":5,"messages":[{"role":"user","content":[
            {"type":"document","source":{"type":"text","media_type":"text/plain","data":"x"}}]}]})")
        << 400 << u"'document'"_qs;
}

void TestTranslateGateway::refusals()
{
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, names);
    auto c = client();
    Headers headers = kAnthropicHeaders;
    if (!path.startsWith("/v1/messages"))
        headers = {{"Authorization", "Bearer " + kClientKey}, {"Content-Type", "application/json"}};
    c->send("POST", path, headers, body);
    QVERIFY(c->waitForResponses(1));
    const auto response = c->responses().first();
    QCOMPARE(response.status, status);
    const QJsonObject error = json(response.body);
    const QString message = path.startsWith("/v1/messages") ? error[u"error"][u"message"].toString()
                                                            : error[u"error"][u"message"].toString();
    QVERIFY2(message.contains(names), qPrintable(message));
    if (path.startsWith("/v1/messages"))
        QCOMPARE(error.value(u"type").toString(), u"error"_qs);
    QCOMPARE(m_upstream->requestCount(), 0);
}

void TestTranslateGateway::sessionOfMixedTraffic()
{
    // A 429, a translated stream cut short, an untranslated OpenAI stream, a translated
    // non-stream from another client connection: each ends as if alone, and a plain
    // Anthropic request afterwards still passes byte for byte.
    m_upstream->enqueue(MockUpstream::Script::openAiError(429, "requests", "rate_limit_exceeded", "slow down"));
    auto c = client();
    c->send("POST", "/v1/messages", kAnthropicHeaders, messagesBody("openai/gpt-4o-mini", false));
    QVERIFY(c->waitForResponses(1));
    QCOMPARE(c->responses().last().status, 429);

    c->send("POST", "/v1/messages", kAnthropicHeaders, messagesBody("openai/gpt-4o-mini", true, "second"));
    QVERIFY(c->waitForResponses(2));
    AnthropicStreamReader reader;
    reader.read(c->responses().last().body);
    QVERIFY2(reader.problems().isEmpty(), qPrintable(reader.problems().join(u"; ")));
    QCOMPARE(reader.message()[u"content"][0][u"text"].toString(), u"echo: second"_qs);

    c->send("POST", "/v1/chat/completions", {{"Authorization", "Bearer " + kClientKey}},
            R"({"model":"openai/gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"third"}]})");
    QVERIFY(c->waitForResponses(3));
    QCOMPARE(c->responses().last().status, 200);
    QVERIFY(c->responses().last().body.contains("chat.completion.chunk"));
    QVERIFY(!c->responses().last().body.contains("message_start"));

    auto other = client();
    other->send("POST", "/v1/messages", kAnthropicHeaders, messagesBody("claude-on-gpt", false, "fourth"));
    QVERIFY(other->waitForResponses(1));
    QCOMPARE(json(other->responses().first().body)[u"content"][0][u"text"].toString(), u"echo: fourth"_qs);

    const QByteArray plain
        = R"({"model":"anthropic/claude-sonnet-4-5", "max_tokens": 9, "messages":[{"role":"user","content":"fifth"}]})";
    c->send("POST", "/v1/messages", kAnthropicHeaders, plain);
    QVERIFY(c->waitForResponses(4));
    QCOMPARE(c->responses().last().status, 200);
    QCOMPARE(m_upstream->lastRequest().target, QByteArray("/v1/messages"));
    QVERIFY(m_upstream->lastRequest().body.contains(R"("max_tokens": 9)")); // untouched bytes
    QTRY_COMPARE(m_usage->records().size(), 5);
    for (const UsageRecord &record : m_usage->records())
        QVERIFY(record.outcome == Outcome::Completed);
}

QTEST_GUILESS_MAIN(TestTranslateGateway)
#include "tst_translategateway.moc"
