// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// The official SDKs through a real `switchyard serve` against MockUpstream: each call runs
// once directly and once through the gateway, and the normalized results must be equal.
// The mock also shows what the gateway sent upstream: the provider key, never the client's.
#include <QJsonArray>
#include <QTest>
#include <QUuid>

#include "mockupstream.h"
#include "sdkrunner.h"
#include "serveprocess.h"

using namespace sy::testsupport;
using namespace sy::e2e;

namespace {

const QByteArray kOpenAiProviderKey = "sk-provider-openai-e2e";
const QByteArray kAnthropicProviderKey = "sk-ant-provider-e2e";
const QString kClientKey = QStringLiteral("sy-client-key-must-not-reach-upstream");

} // namespace

class TestSdkGateway : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        const QString reason = sdkUnavailableReason();
        if (!reason.isEmpty())
            QSKIP(qPrintable(reason));
        if (!ServeProcess::binaryHasServe())
            QSKIP("gateway not built yet");

        QVERIFY(m_upstream.listen());
        const QString base = m_upstream.baseUrl().toString();
        const QJsonObject config {{u"listen"_qs, u"127.0.0.1:0"_qs},
                                  {u"auth"_qs, QJsonObject {{u"require_client_key"_qs, false}}},
                                  {u"providers"_qs,
                                   QJsonArray {QJsonObject {{u"id"_qs, u"openai"_qs},
                                                            {u"kind"_qs, u"openai"_qs},
                                                            {u"base_url"_qs, base},
                                                            {u"api_key_env"_qs, u"SY_TEST_OPENAI_KEY"_qs}},
                                               QJsonObject {{u"id"_qs, u"anthropic"_qs},
                                                            {u"kind"_qs, u"anthropic"_qs},
                                                            {u"base_url"_qs, base},
                                                            {u"api_key_env"_qs, u"SY_TEST_ANTHROPIC_KEY"_qs}}}},
                                  {u"routes"_qs, QJsonArray {}},
                                  {u"retention_months"_qs, 24}};
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"SY_TEST_OPENAI_KEY"_qs, QString::fromLatin1(kOpenAiProviderKey));
        environment.insert(u"SY_TEST_ANTHROPIC_KEY"_qs, QString::fromLatin1(kAnthropicProviderKey));
        m_serve.setEnvironment(environment);
        QVERIFY2(m_serve.start(config),
                 qPrintable(m_serve.errorString() + u'\n' + QString::fromUtf8(m_serve.output())));
        QVERIFY(m_serve.port() != 0);
    }

    void cleanupTestCase()
    {
        if (!m_serve.isRunning())
            return;
        QVERIFY2(m_serve.terminate(), qPrintable(m_serve.errorString()));
        QCOMPARE(m_serve.exitStatus(), QProcess::NormalExit);
        QCOMPARE(m_serve.exitCode(), 0);
        // Promise 1: no prompt or completion in anything the gateway printed.
        for (const QString &prompt : std::as_const(m_prompts))
            QVERIFY2(!m_serve.output().contains(prompt.toUtf8()), "request content in the gateway's output");
    }

    void sameResultDirectAndThroughGateway_data()
    {
        QTest::addColumn<QString>("sdk");
        QTest::addColumn<QString>("call");
        QTest::addColumn<QString>("model");

        const QString gpt = QStringLiteral("gpt-4o-mini");
        const QString claude = QStringLiteral("claude-sonnet-4-5");
        for (const char *call : {"chat", "chat-stream", "responses", "responses-stream", "embeddings"})
            QTest::addRow("openai %s", call) << u"openai"_qs << QString::fromLatin1(call) << gpt;
        for (const char *call : {"messages", "messages-stream", "count-tokens"})
            QTest::addRow("anthropic %s", call) << u"anthropic"_qs << QString::fromLatin1(call) << claude;
    }

    void sameResultDirectAndThroughGateway()
    {
        QFETCH(QString, sdk);
        QFETCH(QString, call);
        QFETCH(QString, model);
        const bool openai = sdk == u"openai";
        const QString prompt = QStringLiteral("needle ") + QUuid::createUuid().toString(QUuid::WithoutBraces);
        m_prompts.append(prompt);

        m_upstream.clearRequests();
        const QJsonObject direct = runSdk(request(sdk, call, model, prompt, m_upstream.baseUrl(), u"sk-direct"_qs));
        QVERIFY2(!direct.contains(u"error") && !direct.contains(u"runFailed"),
                 QJsonDocument(direct).toJson().constData());
        const MockUpstream::ReceivedRequest directRequest = m_upstream.lastRequest();

        m_upstream.clearRequests();
        // "provider/model" picks the provider explicitly (DESIGN.md, Interface contract).
        const QJsonObject viaGateway
            = runSdk(request(sdk, call, sdk + u'/' + model, prompt, m_serve.baseUrl(), kClientKey));
        QCOMPARE(QJsonDocument(viaGateway).toJson(QJsonDocument::Compact),
                 QJsonDocument(direct).toJson(QJsonDocument::Compact));

        QCOMPARE(m_upstream.requestCount(), 1);
        const MockUpstream::ReceivedRequest upstream = m_upstream.lastRequest();
        QCOMPARE(upstream.path(), directRequest.path());
        // The upstream sees the provider's own model name and the provider key...
        QCOMPARE(QJsonDocument::fromJson(upstream.body)[u"model"].toString(), model);
        if (openai) {
            QCOMPARE(upstream.header("authorization"), "Bearer " + kOpenAiProviderKey);
        } else {
            QVERIFY2(upstream.header("x-api-key") == kAnthropicProviderKey
                         || upstream.header("authorization") == "Bearer " + kAnthropicProviderKey,
                     "the Anthropic provider key did not reach the upstream");
            QVERIFY(!upstream.header("anthropic-version").isEmpty());
        }
        // ...and never the client's key, in any header.
        for (const auto &[name, value] : upstream.headers)
            QVERIFY2(!value.contains(kClientKey.toUtf8()), name.constData());
    }

    void modelsThroughGateway_data()
    {
        QTest::addColumn<QString>("sdk");
        QTest::newRow("openai") << u"openai"_qs;
        QTest::newRow("anthropic") << u"anthropic"_qs;
    }

    void modelsThroughGateway()
    {
        // The config names no models: the gateway lists what each provider lists itself,
        // as "provider/model" (the names a call through it takes), and the SDK pages through it.
        QFETCH(QString, sdk);
        const QJsonObject result
            = runSdk(request(sdk, u"models"_qs, QString(), QString(), m_serve.baseUrl(), kClientKey));
        QVERIFY2(!result.contains(u"error") && !result.contains(u"runFailed"),
                 QJsonDocument(result).toJson().constData());
        QStringList ids;
        for (const QJsonValue &id : result.value(u"ids").toArray())
            ids.append(id.toString());
        const QStringList expected {u"openai/gpt-4o-mini"_qs,
                                    u"openai/gpt-4o"_qs,
                                    u"openai/gpt-4.1"_qs,
                                    u"openai/o4-mini"_qs,
                                    u"openai/text-embedding-3-small"_qs,
                                    u"anthropic/claude-sonnet-4-5-20250929"_qs,
                                    u"anthropic/claude-haiku-4-5-20251001"_qs,
                                    u"anthropic/claude-opus-4-1-20250805"_qs};
        QCOMPARE(ids, expected);

        // Each provider was asked with its own key.
        bool openaiAsked = false;
        bool anthropicAsked = false;
        for (const MockUpstream::ReceivedRequest &asked : m_upstream.modelsRequests()) {
            openaiAsked = openaiAsked || asked.header("authorization") == "Bearer " + kOpenAiProviderKey;
            anthropicAsked = anthropicAsked
                || (asked.header("x-api-key") == kAnthropicProviderKey && asked.hasHeader("anthropic-version"));
        }
        QVERIFY(openaiAsked);
        QVERIFY(anthropicAsked);
    }

    void upstreamRateLimitKeepsItsSdkClass_data()
    {
        QTest::addColumn<QString>("sdk");
        QTest::addColumn<QString>("call");
        QTest::newRow("openai") << u"openai"_qs << u"chat"_qs;
        QTest::newRow("anthropic") << u"anthropic"_qs << u"messages"_qs;
    }

    void upstreamRateLimitKeepsItsSdkClass()
    {
        QFETCH(QString, sdk);
        QFETCH(QString, call);
        const QString model = sdk == u"openai" ? u"openai/gpt-4o-mini"_qs : u"anthropic/claude-sonnet-4-5"_qs;
        if (sdk == u"openai")
            m_upstream.enqueue(MockUpstream::Script::openAiError(429, "requests", "rate_limit_exceeded", "slow down"));
        else
            m_upstream.enqueue(MockUpstream::Script::anthropicError(429, "rate_limit_error", "slow down"));
        const QJsonObject result = runSdk(request(sdk, call, model, u"x"_qs, m_serve.baseUrl(), kClientKey));
        QCOMPARE(result[u"error"][u"class"].toString(), u"RateLimitError"_qs);
        QCOMPARE(result[u"error"][u"status"].toInt(), 429);
        m_upstream.clearScripts();
    }

private:
    static QJsonObject request(const QString &sdk, const QString &call, const QString &model, const QString &prompt,
                               const QUrl &base, const QString &apiKey)
    {
        QString url = base.toString();
        if (sdk == u"openai")
            url += u"/v1";
        return {{u"sdk"_qs, sdk},   {u"baseURL"_qs, url}, {u"apiKey"_qs, apiKey},
                {u"call"_qs, call}, {u"model"_qs, model}, {u"prompt"_qs, prompt}};
    }

    MockUpstream m_upstream;
    ServeProcess m_serve;
    QStringList m_prompts;
};

QTEST_GUILESS_MAIN(TestSdkGateway)
#include "tst_sdkgateway.moc"
