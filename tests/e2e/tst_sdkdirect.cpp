// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// The official SDKs (and curl) against MockUpstream directly, no gateway: proves the mock
// speaks formats the real clients accept, so gateway tests built on it mean something.
#include <QJsonArray>
#include <QTest>
#include <QUuid>

#include "mockupstream.h"
#include "sdkrunner.h"
#include "testcerts.h"

using namespace sy::testsupport;
using namespace sy::e2e;

class TestSdkDirect : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        const QString reason = sdkUnavailableReason();
        if (!reason.isEmpty())
            QSKIP(qPrintable(reason));
    }

    void init()
    {
        m_upstream = std::make_unique<MockUpstream>();
        QVERIFY(m_upstream->listen());
    }

    void cleanup() { m_upstream.reset(); }

    void calls_data()
    {
        QTest::addColumn<QString>("sdk");
        QTest::addColumn<QString>("call");
        QTest::addColumn<QString>("model");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QString>("finish");

        const QString gpt = QStringLiteral("gpt-4o-mini");
        const QString claude = QStringLiteral("claude-sonnet-4-5");
        QTest::newRow("openai chat") << u"openai"_qs << u"chat"_qs << gpt << QByteArray("/v1/chat/completions")
                                     << u"stop"_qs;
        QTest::newRow("openai chat-stream")
            << u"openai"_qs << u"chat-stream"_qs << gpt << QByteArray("/v1/chat/completions") << u"stop"_qs;
        QTest::newRow("openai responses")
            << u"openai"_qs << u"responses"_qs << gpt << QByteArray("/v1/responses") << u"completed"_qs;
        QTest::newRow("openai responses-stream")
            << u"openai"_qs << u"responses-stream"_qs << gpt << QByteArray("/v1/responses") << u"completed"_qs;
        QTest::newRow("openai embeddings") << u"openai"_qs << u"embeddings"_qs << u"text-embedding-3-small"_qs
                                           << QByteArray("/v1/embeddings") << QString();
        QTest::newRow("openai models") << u"openai"_qs << u"models"_qs << gpt << QByteArray("/v1/models") << QString();
        QTest::newRow("anthropic messages")
            << u"anthropic"_qs << u"messages"_qs << claude << QByteArray("/v1/messages") << u"end_turn"_qs;
        QTest::newRow("anthropic messages-stream")
            << u"anthropic"_qs << u"messages-stream"_qs << claude << QByteArray("/v1/messages") << u"end_turn"_qs;
        QTest::newRow("anthropic count-tokens")
            << u"anthropic"_qs << u"count-tokens"_qs << claude << QByteArray("/v1/messages/count_tokens") << QString();
        QTest::newRow("anthropic models")
            << u"anthropic"_qs << u"models"_qs << claude << QByteArray("/v1/models") << QString();
    }

    void calls()
    {
        QFETCH(QString, sdk);
        QFETCH(QString, call);
        QFETCH(QString, model);
        QFETCH(QByteArray, path);
        QFETCH(QString, finish);

        const bool openai = sdk == u"openai";
        const QString prompt = QStringLiteral("needle ") + QUuid::createUuid().toString(QUuid::WithoutBraces);
        const QJsonObject result = runSdk(request(sdk, call, model, prompt, u"sk-direct-key"_qs));
        QVERIFY2(!result.contains(u"runFailed") && !result.contains(u"error"),
                 QJsonDocument(result).toJson().constData());

        const MockUpstream::Usage usage = m_upstream->usage();
        if (call == u"models") {
            QVERIFY(!result.value(u"ids").toArray().isEmpty());
        } else if (call == u"embeddings") {
            QCOMPARE(result.value(u"count").toInt(), 2);
            QCOMPARE(result.value(u"dimensions").toInt(), 8); // decoded from the SDK's default base64
            QCOMPARE(result[u"usage"][u"prompt_tokens"].toInt(), usage.inputTokens);
        } else if (call == u"count-tokens") {
            QCOMPARE(result.value(u"input_tokens").toInt(), usage.inputTokens);
        } else {
            QCOMPARE(result.value(u"text").toString(), QStringLiteral("echo: ") + prompt);
            QCOMPARE(result.value(u"finish").toString(), finish);
            if (call.endsWith(u"-stream"))
                QVERIFY(result.value(u"streamed").toBool());
            const QJsonObject reported = result.value(u"usage").toObject();
            if (call.startsWith(u"chat")) {
                QCOMPARE(reported.value(u"prompt_tokens").toInt(), usage.inputTokens);
                QCOMPARE(reported.value(u"completion_tokens").toInt(), usage.outputTokens);
                QCOMPARE(reported[u"prompt_tokens_details"][u"cached_tokens"].toInt(), usage.cachedInputTokens);
                QCOMPARE(reported[u"prompt_tokens_details"][u"cache_write_tokens"].toInt(), usage.cacheWriteTokens);
                QCOMPARE(reported[u"completion_tokens_details"][u"reasoning_tokens"].toInt(), usage.reasoningTokens);
            } else if (call.startsWith(u"responses")) {
                QCOMPARE(reported.value(u"input_tokens").toInt(), usage.inputTokens);
                QCOMPARE(reported[u"input_tokens_details"][u"cached_tokens"].toInt(), usage.cachedInputTokens);
                QCOMPARE(reported[u"input_tokens_details"][u"cache_write_tokens"].toInt(), usage.cacheWriteTokens);
                QCOMPARE(reported[u"output_tokens_details"][u"reasoning_tokens"].toInt(), usage.reasoningTokens);
            } else {
                QCOMPARE(reported.value(u"input_tokens").toInt(), usage.inputTokens);
                QCOMPARE(reported.value(u"output_tokens").toInt(), usage.outputTokens);
                QCOMPARE(reported.value(u"cache_read_input_tokens").toInt(), usage.cachedInputTokens);
                QCOMPARE(reported.value(u"cache_creation_input_tokens").toInt(), usage.cacheWriteTokens);
            }
        }

        // The mock keeps GET /v1/models apart (a gateway also fetches it in the background).
        const QList<MockUpstream::ReceivedRequest> requests
            = call == u"models" ? m_upstream->modelsRequests() : m_upstream->requests();
        QVERIFY(!requests.isEmpty());
        const MockUpstream::ReceivedRequest received = requests.first();
        QCOMPARE(received.path(), path);
        if (openai) {
            QCOMPARE(received.header("authorization"), QByteArray("Bearer sk-direct-key"));
        } else {
            // @anthropic-ai/sdk 1.x sends the key as "Authorization: Bearer"; 0.x and curl
            // users send x-api-key. Both reach api.anthropic.com, so both must work.
            QVERIFY(received.header("x-api-key") == "sk-direct-key"
                    || received.header("authorization") == "Bearer sk-direct-key");
            QVERIFY(!received.header("anthropic-version").isEmpty());
        }
    }

    void errorsMapToSdkClasses_data()
    {
        QTest::addColumn<QString>("sdk");
        QTest::addColumn<QString>("call");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("errorClass");

        QTest::newRow("openai 429") << u"openai"_qs << u"chat"_qs << 429 << u"RateLimitError"_qs;
        QTest::newRow("openai 429 stream") << u"openai"_qs << u"chat-stream"_qs << 429 << u"RateLimitError"_qs;
        QTest::newRow("openai 401") << u"openai"_qs << u"responses"_qs << 401 << u"AuthenticationError"_qs;
        QTest::newRow("openai 502") << u"openai"_qs << u"chat"_qs << 502 << u"InternalServerError"_qs;
        QTest::newRow("anthropic 429") << u"anthropic"_qs << u"messages"_qs << 429 << u"RateLimitError"_qs;
        QTest::newRow("anthropic 429 stream")
            << u"anthropic"_qs << u"messages-stream"_qs << 429 << u"RateLimitError"_qs;
        QTest::newRow("anthropic 400") << u"anthropic"_qs << u"messages"_qs << 400 << u"BadRequestError"_qs;
    }

    void errorsMapToSdkClasses()
    {
        QFETCH(QString, sdk);
        QFETCH(QString, call);
        QFETCH(int, status);
        QFETCH(QString, errorClass);

        if (sdk == u"openai") {
            m_upstream->enqueue(MockUpstream::Script::openAiError(status, status == 429 ? "requests" : "server_error",
                                                                  status == 429 ? "rate_limit_exceeded" : "",
                                                                  "Rate limit reached for gpt-4o-mini"));
        } else {
            m_upstream->enqueue(MockUpstream::Script::anthropicError(
                status, status == 429 ? "rate_limit_error" : "invalid_request_error", "Number of requests exceeded"));
        }
        const QString model = sdk == u"openai" ? u"gpt-4o-mini"_qs : u"claude-sonnet-4-5"_qs;
        const QJsonObject result = runSdk(request(sdk, call, model, u"x"_qs, u"k"_qs));
        QCOMPARE(result[u"error"][u"class"].toString(), errorClass);
        QCOMPARE(result[u"error"][u"status"].toInt(), status);
        QCOMPARE(m_upstream->requestCount(), 1); // maxRetries: 0
    }

    void midStreamDeathIsAnErrorNotASuccess()
    {
        // The stream stops without [DONE]/message_stop: an SDK must not report a clean finish.
        m_upstream->enqueue(MockUpstream::Script::failure(MockUpstream::Fault::ResetAfterChunks, 3));
        const QJsonObject result
            = runSdk(request(u"anthropic"_qs, u"messages-stream"_qs, u"claude"_qs, u"one two three four"_qs, u"k"_qs));
        QVERIFY2(result.contains(u"error"), QJsonDocument(result).toJson().constData());
    }

    void curl()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("curl")).isEmpty())
            QSKIP("curl is not installed");
        const QString base = m_upstream->baseUrl().toString();
        ProcessResult result
            = runProcess(QStringLiteral("curl"),
                         {u"-sS"_qs, u"-N"_qs, base + u"/v1/chat/completions"_qs, u"-H"_qs,
                          u"Authorization: Bearer sk-curl"_qs, u"-H"_qs, u"Content-Type: application/json"_qs, u"-d"_qs,
                          u"{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                          "\"messages\":[{\"role\":\"user\",\"content\":\"curl needle\"}]}"_qs});
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.startsWith("data: {"));
        QVERIFY(result.out.contains("\"content\":\"needle\""));
        QVERIFY(result.out.contains("\"choices\":[],\"usage\":{"));
        QVERIFY(result.out.endsWith("data: [DONE]\n\n"));

        result
            = runProcess(QStringLiteral("curl"),
                         {u"-sS"_qs, base + u"/v1/messages"_qs, u"-H"_qs, u"x-api-key: sk-ant-curl"_qs, u"-H"_qs,
                          u"anthropic-version: 2023-06-01"_qs, u"-H"_qs, u"content-type: application/json"_qs, u"-d"_qs,
                          u"{\"model\":\"claude\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\","
                          "\"content\":\"curl needle\"}]}"_qs});
        QCOMPARE(result.exitCode, 0);
        const QJsonObject message = QJsonDocument::fromJson(result.out).object();
        QCOMPARE(message[u"content"][0][u"text"].toString(), u"echo: curl needle"_qs);
        QCOMPARE(m_upstream->lastRequest().header("x-api-key"), QByteArray("sk-ant-curl"));
    }

    void curlOverTls()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("curl")).isEmpty())
            QSKIP("curl is not installed");
        const TestCerts certs;
        QVERIFY2(certs.isValid(), qPrintable(certs.errorString()));
        MockUpstream upstream;
        QVERIFY(upstream.listenTls(certs.serverCertificate(), certs.serverKey()));
        const ProcessResult result = runProcess(
            QStringLiteral("curl"),
            {u"-sS"_qs, u"--cacert"_qs, certs.caCertPath(), upstream.baseUrl().toString() + u"/v1/models"_qs});
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QVERIFY(result.out.contains("\"object\":\"list\""));
    }

    void sdkOverTls()
    {
        const TestCerts certs;
        QVERIFY2(certs.isValid(), qPrintable(certs.errorString()));
        MockUpstream upstream;
        QVERIFY(upstream.listenTls(certs.serverCertificate(), certs.serverKey()));
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"NODE_EXTRA_CA_CERTS"_qs, certs.caCertPath());
        QJsonObject call = request(u"openai"_qs, u"chat-stream"_qs, u"gpt-4o-mini"_qs, u"over tls"_qs, u"k"_qs);
        call.insert(u"baseURL"_qs, QString(upstream.baseUrl().toString() + u"/v1"_qs));
        const QJsonObject result = runSdk(call, environment);
        QCOMPARE(result.value(u"text").toString(), u"echo: over tls"_qs);
    }

private:
    QJsonObject request(const QString &sdk, const QString &call, const QString &model, const QString &prompt,
                        const QString &apiKey) const
    {
        QString base = m_upstream->baseUrl().toString();
        if (sdk == u"openai")
            base += u"/v1";
        return {{u"sdk"_qs, sdk},   {u"baseURL"_qs, base}, {u"apiKey"_qs, apiKey},
                {u"call"_qs, call}, {u"model"_qs, model},  {u"prompt"_qs, prompt}};
    }

    std::unique_ptr<MockUpstream> m_upstream;
};

QTEST_GUILESS_MAIN(TestSdkDirect)
#include "tst_sdkdirect.moc"
