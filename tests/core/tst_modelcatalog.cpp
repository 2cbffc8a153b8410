// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// GET /v1/models with providers that name no models: the gateway asks each provider for its
// own list in the background (ModelCatalog) and lists it as "provider/model" beside the
// routes and the configured models, never waiting on an upstream for long.
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTcpServer>
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

const QByteArray kClientKey = "sy-catalog-test-client";
const QByteArray kOpenAiKey = "sk-catalog-openai";
const QByteArray kAnthropicKey = "sk-ant-catalog";
const QStringList kClaudes {u"claude-1"_qs, u"claude-2"_qs, u"claude-3"_qs, u"claude-4"_qs, u"claude-5"_qs};

QList<QByteArray> utf8(const QStringList &list)
{
    QList<QByteArray> out;
    for (const QString &item : list)
        out.append(item.toUtf8());
    return out;
}

QStringList prefixed(const QString &provider, const QStringList &models)
{
    QStringList out;
    for (const QString &model : models)
        out.append(provider + u'/' + model);
    return out;
}

} // namespace

class TestModelCatalog : public QObject
{
    Q_OBJECT

private:
    MockUpstream *m_openai = nullptr;
    MockUpstream *m_anthropic = nullptr;
    MemoryUsageSink *m_usage = nullptr;
    gateway::GatewayServer *m_gateway = nullptr;
    QString m_anthropicBase;

    // "openai" and "anthropic" name no models (they are asked); "fixed" names its own.
    QJsonObject config(const QJsonArray &extraProviders = {}) const
    {
        const QByteArray hash = QCryptographicHash::hash(kClientKey, QCryptographicHash::Sha256).toHex();
        const QString openaiBase = m_openai->baseUrl().toString() + u"/v1"_qs;
        QJsonArray providers {
            QJsonObject {{u"id"_qs, u"openai"_qs},
                         {u"kind"_qs, u"openai"_qs},
                         {u"base_url"_qs, openaiBase},
                         {u"api_key_env"_qs, u"SY_TEST_CATALOG_OPENAI_KEY"_qs}},
            QJsonObject {{u"id"_qs, u"anthropic"_qs},
                         {u"kind"_qs, u"anthropic"_qs},
                         {u"base_url"_qs, m_anthropicBase},
                         {u"api_key_env"_qs, u"SY_TEST_CATALOG_ANTHROPIC_KEY"_qs}},
            QJsonObject {{u"id"_qs, u"fixed"_qs},
                         {u"kind"_qs, u"openai-compatible"_qs},
                         {u"base_url"_qs, openaiBase},
                         {u"models"_qs, QJsonArray {u"house-model"_qs}}},
        };
        for (const QJsonValue &extra : extraProviders)
            providers.append(extra);
        return {
            {u"listen"_qs, u"127.0.0.1:0"_qs},
            {u"auth"_qs,
             QJsonObject {
                 {u"require_client_key"_qs, true},
                 {u"client_keys"_qs,
                  QJsonArray {QJsonObject {{u"name"_qs, u"agent"_qs}, {u"sha256"_qs, QString::fromLatin1(hash)}}}}}},
            {u"providers"_qs, providers},
            {u"routes"_qs,
             QJsonArray {QJsonObject {
                 {u"model"_qs, u"fast"_qs},
                 {u"targets"_qs,
                  QJsonArray {QJsonObject {{u"provider"_qs, u"openai"_qs}, {u"model"_qs, u"gpt-a"_qs}}}}}}},
            {u"server"_qs, QJsonObject {{u"worker_threads"_qs, 2}}},
            {u"upstream"_qs, QJsonObject {{u"connect_timeout_ms"_qs, 2000}}},
        };
    }

    static std::shared_ptr<const gateway::GatewayState> state(const QJsonObject &json)
    {
        auto loaded = config::ConfigLoader::fromJson(QJsonDocument(json).toJson());
        if (!loaded) {
            qWarning() << loaded.error();
            return nullptr;
        }
        auto created = gateway::GatewayState::create(std::move(loaded).value());
        if (!created) {
            qWarning() << created.error();
            return nullptr;
        }
        return created.value();
    }

    bool startGateway(const QJsonObject &json = {})
    {
        auto initial = state(json.isEmpty() ? config() : json);
        if (!initial)
            return false;
        m_gateway = new gateway::GatewayServer(initial, *m_usage);
        return bool(m_gateway->listen());
    }

    bool firstListsDone() const { return m_gateway->modelCatalog().listing()->firstFetches == 0; }

    struct Answer
    {
        int status = 0;
        QJsonObject body;
        QStringList ids;
        qint64 elapsedMs = 0;
    };

    // One GET /v1/models as the OpenAI or the Anthropic SDK sends it.
    Answer list(bool anthropicShape = false)
    {
        Answer answer;
        TestHttpClient client;
        if (!client.connectTo(m_gateway->port()))
            return answer;
        QList<std::pair<QByteArray, QByteArray>> headers;
        if (anthropicShape)
            headers = {{"x-api-key", kClientKey}, {"anthropic-version", "2023-06-01"}};
        else
            headers = {{"Authorization", "Bearer " + kClientKey}};
        QElapsedTimer timer;
        timer.start();
        client.send("GET", "/v1/models", headers);
        if (!client.waitForResponses(1))
            return answer;
        answer.elapsedMs = timer.elapsed();
        answer.status = client.responses().first().status;
        answer.body = QJsonDocument::fromJson(client.responses().first().body).object();
        for (const QJsonValue &entry : answer.body.value(u"data").toArray())
            answer.ids.append(entry.toObject().value(u"id").toString());
        return answer;
    }

    QStringList ids() { return list().ids; }

    int chat(const QByteArray &model)
    {
        TestHttpClient client;
        if (!client.connectTo(m_gateway->port()))
            return 0;
        client.send("POST", "/v1/chat/completions",
                    {{"Authorization", "Bearer " + kClientKey}, {"Content-Type", "application/json"}},
                    R"({"model":")" + model + R"(","messages":[{"role":"user","content":"hi"}]})");
        return client.waitForResponses(1) ? client.responses().first().status : 0;
    }

    QStringList everythingListed() const
    {
        return QStringList {u"fast"_qs} + prefixed(u"openai"_qs, {u"gpt-a"_qs, u"gpt-b"_qs})
            + prefixed(u"anthropic"_qs, kClaudes) + QStringList {u"fixed/house-model"_qs};
    }

private slots:
    void init()
    {
        qputenv("SY_TEST_CATALOG_OPENAI_KEY", kOpenAiKey);
        qputenv("SY_TEST_CATALOG_ANTHROPIC_KEY", kAnthropicKey);
        m_openai = new MockUpstream;
        m_anthropic = new MockUpstream;
        QVERIFY(m_openai->listen());
        QVERIFY(m_anthropic->listen());
        m_anthropicBase = m_anthropic->baseUrl().toString(); // a bare host: HOST/v1
        // Like the real services: the list needs the provider's key.
        m_openai->setRequiredKey(kOpenAiKey);
        m_anthropic->setRequiredKey(kAnthropicKey);
        m_openai->setModels({"gpt-a", "gpt-b"});
        m_anthropic->setModels(utf8(kClaudes));
        m_usage = new MemoryUsageSink;
    }

    void cleanup()
    {
        delete m_gateway;
        m_gateway = nullptr;
        delete m_openai;
        delete m_anthropic;
        delete m_usage;
    }

    void discoveredBesideRoutesAndConfigured_data()
    {
        QTest::addColumn<bool>("anthropicShape");
        QTest::newRow("openai shape") << false;
        QTest::newRow("anthropic shape") << true;
    }

    void discoveredBesideRoutesAndConfigured()
    {
        QFETCH(bool, anthropicShape);
        m_anthropic->setModelsPageLimit(2); // three pages: has_more / after_id are followed
        QVERIFY(startGateway());
        QTRY_VERIFY(firstListsDone());

        const Answer answer = list(anthropicShape);
        QCOMPARE(answer.status, 200);
        QCOMPARE(answer.ids, everythingListed());
        const QJsonArray data = answer.body.value(u"data").toArray();
        if (anthropicShape) {
            QCOMPARE(answer.body.value(u"has_more").toBool(true), false);
            QCOMPARE(answer.body.value(u"first_id").toString(), u"fast"_qs);
            QCOMPARE(answer.body.value(u"last_id").toString(), u"fixed/house-model"_qs);
            for (const QJsonValue &entry : data)
                QCOMPARE(entry[u"type"].toString(), u"model"_qs);
        } else {
            QCOMPARE(answer.body.value(u"object").toString(), u"list"_qs);
            QCOMPARE(data.at(1)[u"owned_by"].toString(), u"openai"_qs);
            QCOMPARE(data.at(3)[u"owned_by"].toString(), u"anthropic"_qs);
        }

        // Each provider was asked the way its API wants it, with its key; "fixed" names its
        // models and was not asked.
        QCOMPARE(m_openai->modelsRequestCount(), 1);
        const MockUpstream::ReceivedRequest openai = m_openai->modelsRequests().first();
        QCOMPARE(openai.target, QByteArray("/v1/models"));
        QCOMPARE(openai.header("authorization"), "Bearer " + kOpenAiKey);
        const QList<MockUpstream::ReceivedRequest> pages = m_anthropic->modelsRequests();
        QCOMPARE(pages.size(), 3);
        QCOMPARE(pages.at(0).target, QByteArray("/v1/models?limit=1000"));
        QCOMPARE(pages.at(1).target, QByteArray("/v1/models?limit=1000&after_id=claude-2"));
        QCOMPARE(pages.at(2).target, QByteArray("/v1/models?limit=1000&after_id=claude-4"));
        for (const MockUpstream::ReceivedRequest &page : pages) {
            QCOMPARE(page.header("x-api-key"), kAnthropicKey);
            QCOMPARE(page.header("anthropic-version"), QByteArray("2023-06-01"));
            QVERIFY(!page.hasHeader("authorization"));
        }

        // A session goes on as before: calls by route and by a listed name work, and the
        // list stays served from the cache without asking again.
        QCOMPARE(chat("fast"), 200);
        QCOMPARE(chat(answer.ids.at(2).toUtf8()), 200); // openai/gpt-b
        QCOMPARE(m_openai->requestCount(), 2);
        QCOMPARE(list(!anthropicShape).ids, everythingListed());
        QCOMPARE(m_openai->modelsRequestCount(), 1);
        QCOMPARE(m_anthropic->modelsRequestCount(), 3);
    }

    void failingProviderIsLeftOut_data()
    {
        QTest::addColumn<QString>("failure");
        QTest::addColumn<QString>("logged");
        QTest::newRow("500") << u"500"_qs << u"HTTP 500"_qs;
        QTest::newRow("wrong key") << u"401"_qs << u"HTTP 401"_qs;
        QTest::newRow("not json") << u"html"_qs << u"the answer is not JSON"_qs;
        QTest::newRow("connection refused") << u"refused"_qs << u"could not connect to the upstream"_qs;
        QTest::newRow("reset") << u"reset"_qs
                               << u"the upstream closed the connection before the response was complete"_qs;
    }

    void failingProviderIsLeftOut()
    {
        QFETCH(QString, failure);
        QFETCH(QString, logged);
        if (failure == u"500") {
            m_anthropic->setModelsScript(MockUpstream::Script::anthropicError(500, "api_error", "Internal error"));
        } else if (failure == u"401") {
            m_anthropic->setRequiredKey("sk-ant-some-other-key");
        } else if (failure == u"html") {
            MockUpstream::Script html;
            html.headers = {{"content-type", "text/html"}};
            html.body = "<html>gateway timeout</html>";
            m_anthropic->setModelsScript(html);
        } else if (failure == u"reset") {
            m_anthropic->setModelsScript(MockUpstream::Script::failure(MockUpstream::Fault::ResetBeforeResponse));
        } else {
            QTcpServer closed; // a port nobody listens on any more
            QVERIFY(closed.listen(QHostAddress::LocalHost));
            m_anthropicBase = u"http://127.0.0.1:%1"_qs.arg(closed.serverPort());
        }
        // One line that names the provider and the reason, and nothing else (no key, no body).
        QTest::ignoreMessage(
            QtWarningMsg,
            QRegularExpression(
                u"^could not list the models of provider 'anthropic' \\(%1\\); they are "
                u"left out of /v1/models, asked again in 60 s$"_qs.arg(QRegularExpression::escape(logged))));
        QVERIFY(startGateway());

        const Answer answer = list();
        QCOMPARE(answer.status, 200);
        QCOMPARE(answer.ids,
                 QStringList({u"fast"_qs, u"openai/gpt-a"_qs, u"openai/gpt-b"_qs, u"fixed/house-model"_qs}));
        QVERIFY(firstListsDone()); // failures end the wait as well as successes do
        QCOMPARE(chat("fast"), 200);
        QCOMPARE(list(true).ids, answer.ids);

        // Once the provider answers again, a later fetch lists it.
        if (failure == u"refused")
            return;
        m_anthropic->setModelsScript(std::nullopt);
        m_anthropic->setRequiredKey(kAnthropicKey);
        m_gateway->modelCatalog().setRefreshInterval(100);
        QTRY_COMPARE(ids(), everythingListed());
    }

    void slowProviderDoesNotHoldTheAnswer()
    {
        MockUpstream::Script slow = MockUpstream::Script::defaultResponse();
        slow.headerDelayMs = 4000;
        m_anthropic->setModelsScript(slow);
        QVERIFY(startGateway());

        // The first answer waits for first lists, but only up to the bound.
        const Answer first = list();
        QCOMPARE(first.status, 200);
        QVERIFY2(first.elapsedMs < gateway::ModelCatalog::kFirstListWaitMs + 1000,
                 qPrintable(QString::number(first.elapsedMs)));
        QVERIFY2(first.elapsedMs >= gateway::ModelCatalog::kFirstListWaitMs - 200,
                 qPrintable(QString::number(first.elapsedMs)));
        QCOMPARE(first.ids, QStringList({u"fast"_qs, u"openai/gpt-a"_qs, u"openai/gpt-b"_qs, u"fixed/house-model"_qs}));
        QVERIFY(!firstListsDone());
        QCOMPARE(chat("fast"), 200); // other traffic is not held either

        // Once the slow list arrives, it is listed, and answers no longer wait.
        QTRY_VERIFY_WITH_TIMEOUT(firstListsDone(), 10000);
        const Answer later = list();
        QCOMPARE(later.ids, everythingListed());
        QVERIFY2(later.elapsedMs < 1000, qPrintable(QString::number(later.elapsedMs)));
        QCOMPARE(m_anthropic->modelsRequestCount(), 1);
    }

    void reloadRefreshes()
    {
        QVERIFY(startGateway());
        QTRY_VERIFY(firstListsDone());
        QCOMPARE(ids(), everythingListed());

        // A config edit (here: another route) fetches the lists again.
        m_openai->setModels({"gpt-c"});
        QJsonObject edited = config();
        QJsonArray routes = edited.value(u"routes").toArray();
        routes.append(QJsonObject {
            {u"model"_qs, u"smart"_qs},
            {u"targets"_qs,
             QJsonArray {QJsonObject {{u"provider"_qs, u"anthropic"_qs}, {u"model"_qs, u"claude-1"_qs}}}}});
        edited.insert(u"routes"_qs, routes);
        m_gateway->reload(state(edited));
        QTRY_COMPARE(ids(),
                     QStringList({u"fast"_qs, u"smart"_qs, u"openai/gpt-c"_qs}) + prefixed(u"anthropic"_qs, kClaudes)
                         + QStringList {u"fixed/house-model"_qs});

        // A new provider key: the old list is not served for it; the new one comes with the
        // first answer after the reload.
        const QByteArray rotated = "sk-catalog-openai-rotated";
        qputenv("SY_TEST_CATALOG_OPENAI_KEY", rotated);
        m_openai->setRequiredKey(rotated);
        m_openai->setModels({"gpt-d"});
        m_gateway->reload(state(edited));
        QCOMPARE(ids(),
                 QStringList({u"fast"_qs, u"smart"_qs, u"openai/gpt-d"_qs}) + prefixed(u"anthropic"_qs, kClaudes)
                     + QStringList {u"fixed/house-model"_qs});
        QCOMPARE(m_openai->modelsRequests().last().header("authorization"), "Bearer " + rotated);

        // A provider removed from the config is gone from the list.
        QJsonObject without = edited;
        QJsonArray providers = without.value(u"providers").toArray();
        providers.removeAt(1);
        without.insert(u"providers"_qs, providers);
        routes.removeLast();
        without.insert(u"routes"_qs, routes);
        m_gateway->reload(state(without));
        QCOMPARE(ids(), QStringList({u"fast"_qs, u"openai/gpt-d"_qs, u"fixed/house-model"_qs}));
        QCOMPARE(chat("fast"), 200);
    }

    void refreshedPeriodically()
    {
        QVERIFY(startGateway());
        QTRY_VERIFY(firstListsDone());
        QCOMPARE(ids(), everythingListed());
        m_openai->setModels({"gpt-new"});
        m_gateway->modelCatalog().setRefreshInterval(100);
        QTRY_VERIFY(ids().contains(u"openai/gpt-new"_qs));
        QVERIFY(!ids().contains(u"openai/gpt-a"_qs));
    }

    void remoteProviderWithoutKeyIsNotAsked()
    {
        qunsetenv("SY_TEST_CATALOG_ANTHROPIC_KEY");
        m_anthropic->setModels({"never-listed"});
        const QJsonArray remote {QJsonObject {{u"id"_qs, u"remote"_qs},
                                              {u"kind"_qs, u"openai"_qs},
                                              {u"base_url"_qs, u"https://api.example.invalid/v1"_qs}}};
        QTest::ignoreMessage(QtInfoMsg, "provider 'remote' has no key: its own models are not listed");
        QVERIFY(startGateway(config(remote)));
        // The keyless loopback provider is asked anyway (local servers need no key); this
        // one answers 401 since the mock wants a key.
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(u"^could not list the models of provider 'anthropic'"_qs));
        const Answer answer = list();
        QCOMPARE(answer.ids,
                 QStringList({u"fast"_qs, u"openai/gpt-a"_qs, u"openai/gpt-b"_qs, u"fixed/house-model"_qs}));
        QCOMPARE(m_anthropic->modelsRequestCount(), 1);
        QVERIFY(!m_anthropic->modelsRequests().first().hasHeader("x-api-key"));
    }
};

QTEST_GUILESS_MAIN(TestModelCatalog)
#include "tst_modelcatalog.moc"
