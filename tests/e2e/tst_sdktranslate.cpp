// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// The real @anthropic-ai/sdk through a real `switchyard serve` to an OpenAI-format
// provider (MockUpstream): a Claude-Code-like turn (system blocks, tools, an image, a
// screenshot in a tool result, thinking, history) with messages.create and
// messages.stream, answered with reasoning, text and two parallel tool calls whose
// arguments are cut mid-string, mid-escape and mid-character. The SDK's own accumulator
// must give the expected final message, tool inputs, stop reason and usage.
#include <QJsonArray>
#include <QTest>
#include <QUuid>

#include "mockresponder.h"
#include "mockupstream.h"
#include "openaistreambuilder.h"
#include "sdkrunner.h"
#include "serveprocess.h"

using namespace sy::testsupport;
using namespace sy::e2e;

class TestSdkTranslate : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void sdkReadsTheTranslatedAnswer_data();
    void sdkReadsTheTranslatedAnswer();
    void overloadedUpstreamRaisesTheSdksClass();

private:
    QJsonObject run(const QString &call, const QString &model, const QString &prompt);
    MockUpstream m_upstream;
    ServeProcess m_serve;
};

namespace {

const QByteArray kProviderKey = "sk-provider-openai-translate";

QByteArray completionJson()
{
    return QByteArray(R"({"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini",
        "choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant",
          "reasoning_content":"Two files to read.","content":"Reading both.",
          "tool_calls":[{"id":"call_a","type":"function","function":{"name":"bash","arguments":"{\"command\":\"cat \\\"a b.txt\\\"\"}"}},
                        {"id":"call_b","type":"function","function":{"name":"read_file","arguments":"{\"path\":\"\u00fc\ud83d\ude00.txt\"}"}}]}}],
        "usage":{"prompt_tokens":500,"completion_tokens":60,"total_tokens":560,"prompt_tokens_details":{"cached_tokens":200}}})");
}

MockUpstream::Script streamScript()
{
    return OpenAiStreamBuilder()
        .reasoning(u"Two files "_qs)
        .reasoning(u"to read."_qs)
        .text({u"Reading "_qs, u"both."_qs})
        .toolStart(0, "call_a", "bash")
        .toolStart(1, "call_b", "read_file")
        .toolArguments(0, u"{\"command\":\"cat \\"_qs)
        .toolArguments(1, u"{\"path\":\"\u00fc\xd83d"_qs)
        .toolArguments(0, u"\"a b.txt\\\"\"}"_qs)
        .toolArguments(1, u"\xde00.txt\"}"_qs)
        .finish("tool_calls")
        .usage(500, 60, 200)
        .script(true);
}

} // namespace

void TestSdkTranslate::initTestCase()
{
    const QString reason = sdkUnavailableReason();
    if (!reason.isEmpty())
        QSKIP(qPrintable(reason));
    if (!ServeProcess::binaryHasServe())
        QSKIP("gateway not built yet");
    QVERIFY(m_upstream.listen());
    const QJsonObject config {
        {u"listen"_qs, u"127.0.0.1:0"_qs},
        {u"auth"_qs, QJsonObject {{u"require_client_key"_qs, false}}},
        {u"providers"_qs,
         QJsonArray {QJsonObject {{u"id"_qs, u"gpt"_qs},
                                  {u"kind"_qs, u"openai"_qs},
                                  {u"base_url"_qs, QString(m_upstream.baseUrl().toString() + u"/v1"_qs)},
                                  {u"api_key_env"_qs, u"SY_TEST_TRANSLATE_KEY"_qs}}}},
        {u"routes"_qs,
         QJsonArray {QJsonObject {
             {u"model"_qs, u"claude-sonnet-4-5"_qs},
             {u"targets"_qs,
              QJsonArray {QJsonObject {{u"provider"_qs, u"gpt"_qs}, {u"model"_qs, u"gpt-4o-mini"_qs}}}}}}}};
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"SY_TEST_TRANSLATE_KEY"_qs, QString::fromLatin1(kProviderKey));
    m_serve.setEnvironment(environment);
    QVERIFY2(m_serve.start(config), qPrintable(m_serve.errorString() + u'\n' + QString::fromUtf8(m_serve.output())));
}

void TestSdkTranslate::cleanupTestCase()
{
    if (m_serve.isRunning())
        QVERIFY(m_serve.terminate());
}

QJsonObject TestSdkTranslate::run(const QString &call, const QString &model, const QString &prompt)
{
    return runSdk({{u"sdk"_qs, u"anthropic"_qs},
                   {u"baseURL"_qs, m_serve.baseUrl().toString()},
                   {u"apiKey"_qs, u"sy-unused"_qs},
                   {u"call"_qs, call},
                   {u"model"_qs, model},
                   {u"prompt"_qs, prompt}});
}

void TestSdkTranslate::sdkReadsTheTranslatedAnswer_data()
{
    QTest::addColumn<QString>("call");
    QTest::addColumn<QString>("model");
    QTest::newRow("messages.create via a route") << u"agent"_qs << u"claude-sonnet-4-5"_qs;
    QTest::newRow("messages.stream via a route") << u"agent-stream"_qs << u"claude-sonnet-4-5"_qs;
    QTest::newRow("messages.stream via provider/model") << u"agent-stream"_qs << u"gpt/gpt-4o-mini"_qs;
}

void TestSdkTranslate::sdkReadsTheTranslatedAnswer()
{
    QFETCH(QString, call);
    QFETCH(QString, model);
    const bool stream = call.endsWith(u"-stream");
    m_upstream.clearRequests();
    m_upstream.enqueue(stream ? streamScript() : MockUpstream::Script::json(200, completionJson()));
    const QString prompt = u"list the files "_qs + QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QJsonObject result = run(call, model, prompt);
    QVERIFY2(!result.contains(u"error") && !result.contains(u"runFailed"), QJsonDocument(result).toJson().constData());

    const QJsonArray content = result.value(u"content").toArray();
    QCOMPARE(content.size(), 4);
    QCOMPARE(content[0][u"type"].toString(), u"thinking"_qs);
    QCOMPARE(content[0][u"thinking"].toString(), u"Two files to read."_qs);
    QCOMPARE(content[0][u"signature"].toString(), QString()); // none made up
    QCOMPARE(content[1][u"type"].toString(), u"text"_qs);
    QCOMPARE(content[1][u"text"].toString(), u"Reading both."_qs);
    QCOMPARE(content[2][u"type"].toString(), u"tool_use"_qs);
    QCOMPARE(content[2][u"id"].toString(), u"call_a"_qs);
    QCOMPARE(content[2][u"name"].toString(), u"bash"_qs);
    QCOMPARE(content[2][u"input"].toObject(), (QJsonObject {{u"command"_qs, u"cat \"a b.txt\""_qs}}));
    QCOMPARE(content[3][u"id"].toString(), u"call_b"_qs);
    QCOMPARE(content[3][u"name"].toString(), u"read_file"_qs);
    QCOMPARE(content[3][u"input"].toObject(), (QJsonObject {{u"path"_qs, QString::fromUtf8("ü😀.txt")}}));
    QCOMPARE(result.value(u"stop_reason").toString(), u"tool_use"_qs);
    QVERIFY(result.value(u"stop_sequence").isNull());
    const QJsonObject usage = result.value(u"usage").toObject();
    QCOMPARE(usage.value(u"input_tokens").toInt(), 300); // 500 prompt tokens, 200 of them cached
    QCOMPARE(usage.value(u"cache_read_input_tokens").toInt(), 200);
    QCOMPARE(usage.value(u"cache_creation_input_tokens").toInt(), 0);
    QCOMPARE(usage.value(u"output_tokens").toInt(), 60);
    if (stream) {
        QVERIFY(result.value(u"start_input_tokens").toInt() > 0); // an estimate, never 0
        QVERIFY(result.value(u"saw_partial_inputs").toBool());
    }

    // What the provider got: its own format.
    QCOMPARE(m_upstream.requestCount(), 1);
    const MockUpstream::ReceivedRequest received = m_upstream.lastRequest();
    QCOMPARE(received.path(), QByteArray("/v1/chat/completions"));
    QCOMPARE(received.header("authorization"), "Bearer " + kProviderKey);
    const QJsonObject sent = QJsonDocument::fromJson(received.body).object();
    QCOMPARE(sent.value(u"model").toString(), u"gpt-4o-mini"_qs);
    QCOMPARE(sent.value(u"user").toString().size(), 64);
    QCOMPARE(sent.value(u"max_completion_tokens").toInt(), 1024);
    const QJsonArray messages = sent.value(u"messages").toArray();
    QStringList roles;
    for (const QJsonValue &message : messages)
        roles.append(message[u"role"].toString());
    QCOMPARE(roles, (QStringList {u"system"_qs, u"user"_qs, u"assistant"_qs, u"tool"_qs, u"user"_qs}));
    QCOMPARE(messages[1][u"content"][1][u"type"].toString(), u"image_url"_qs);
    QVERIFY(messages[1][u"content"][1][u"image_url"][u"url"].toString().startsWith(u"data:image/png;base64,"));
    QCOMPARE(messages[2][u"tool_calls"][0][u"function"][u"name"].toString(), u"bash"_qs);
    QCOMPARE(messages[3][u"tool_call_id"].toString(), u"toolu_prev"_qs);
    QCOMPARE(messages[4][u"content"][1][u"type"].toString(), u"image_url"_qs); // the screenshot, moved
    QCOMPARE(sent.value(u"stream").toBool(), stream);
    if (stream)
        QCOMPARE(sent.value(u"stream_options")[u"include_usage"].toBool(), true);
    QVERIFY(!m_serve.output().contains(prompt.toUtf8()));
}

void TestSdkTranslate::overloadedUpstreamRaisesTheSdksClass()
{
    m_upstream.enqueue(MockUpstream::Script::openAiError(503, "server_error", "", "busy"));
    const QJsonObject result = run(u"agent"_qs, u"gpt/gpt-4o-mini"_qs, u"x"_qs);
    QCOMPARE(result[u"error"][u"status"].toInt(), 529);
    QCOMPARE(result[u"error"][u"class"].toString(), u"OverloadedError"_qs); // the class Claude Code retries
    m_upstream.enqueue(MockUpstream::Script::openAiError(401, "invalid_request_error", "invalid_api_key", "bad key"));
    QCOMPARE(run(u"agent"_qs, u"gpt/gpt-4o-mini"_qs, u"x"_qs)[u"error"][u"class"].toString(),
             u"AuthenticationError"_qs);
}

QTEST_GUILESS_MAIN(TestSdkTranslate)
#include "tst_sdktranslate.moc"
