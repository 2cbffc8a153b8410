// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// A provider's key pool through the real gateway and a real upstream: keys take turns,
// a 429 rests its key for that model for the Retry-After and the request moves to an
// awake key, other models keep every key, a pool with every key resting still forwards,
// a route target may pin one key, and a provider without any key is refused in the
// caller's format.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "common/clock.h"
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

// Time that moves only when the test says so.
class ManualClock final : public Clock
{
public:
    QDateTime nowUtc() const override { return m_now; }
    void advanceMs(qint64 ms) { m_now = m_now.addMSecs(ms); }

private:
    QDateTime m_now = QDateTime(QDate(2026, 11, 23), QTime(12, 0), Qt::UTC);
};

const QByteArray kKeyA = "sk-pool-key-a";
const QByteArray kKeyB = "sk-pool-key-b";

QJsonObject provider(const QString &id, const QString &kind, const QString &baseUrl)
{
    return {{QStringLiteral("id"), id}, {QStringLiteral("kind"), kind}, {QStringLiteral("base_url"), baseUrl}};
}

MockUpstream::Script rateLimited(const QByteArray &retryAfterSeconds)
{
    MockUpstream::Script script = MockUpstream::Script::openAiError(429, "rate_limit_exceeded", "", "slow down");
    script.headers.removeIf(
        [](const MockUpstream::Header &h) { return h.first.compare("retry-after", Qt::CaseInsensitive) == 0; });
    script.headers.append(MockUpstream::Header {"retry-after", retryAfterSeconds});
    return script;
}

} // namespace

class TestKeyPool : public QObject
{
    Q_OBJECT

private:
    ManualClock m_clock;
    MockUpstream *m_upstream = nullptr;
    MemoryUsageSink *m_usage = nullptr;
    gateway::GatewayServer *m_gateway = nullptr;
    std::unique_ptr<TestHttpClient> m_client;

    bool start(const QJsonArray &providers, const secrets::ProviderKeyring &keys, const QJsonArray &routes = {},
               const QJsonArray &limits = {})
    {
        const QJsonObject config {{QStringLiteral("listen"), QStringLiteral("127.0.0.1:0")},
                                  {QStringLiteral("auth"), QJsonObject {{QStringLiteral("require_client_key"), false}}},
                                  {QStringLiteral("providers"), providers},
                                  {QStringLiteral("routes"), routes},
                                  {QStringLiteral("limits"), limits}};
        auto loaded = config::ConfigLoader::fromJson(QJsonDocument(config).toJson());
        if (!loaded) {
            qWarning() << loaded.error();
            return false;
        }
        auto state = gateway::GatewayState::create(std::move(loaded).value(), keys);
        if (!state)
            return false;
        m_gateway = new gateway::GatewayServer(state.value(), *m_usage);
        if (!m_gateway->listen())
            return false;
        m_client = std::make_unique<TestHttpClient>();
        return m_client->connectTo(m_gateway->port());
    }

    bool startPool(const QJsonArray &limits = {})
    {
        return start(QJsonArray {provider(QStringLiteral("p"), QStringLiteral("openai-compatible"),
                                          m_upstream->baseUrl().toString())},
                     {{QStringLiteral("p"), {{QStringLiteral("a"), kKeyA}, {QStringLiteral("b"), kKeyB}}}}, {}, limits);
    }

    static QJsonObject keyLimit(const QString &key, int rpm)
    {
        return {{QStringLiteral("scope"), QStringLiteral("provider_key")},
                {QStringLiteral("name"), key},
                {QStringLiteral("rpm"), rpm}};
    }

    TestHttpClient::Response ask(const QByteArray &model = "p/m", const QByteArray &path = "/v1/chat/completions")
    {
        const qsizetype before = m_client->responses().size();
        m_client->send("POST", path, {{"Content-Type", "application/json"}},
                       "{\"model\":\"" + model + "\",\"max_tokens\":5,\"messages\":[]}");
        if (!m_client->waitForResponses(int(before) + 1))
            return {};
        return m_client->responses().last();
    }

    QByteArray lastKey() const { return m_upstream->lastRequest().header("authorization"); }

private slots:
    void init()
    {
        Clock::setInstance(&m_clock);
        m_upstream = new MockUpstream;
        QVERIFY(m_upstream->listen());
        m_usage = new MemoryUsageSink;
    }

    void cleanup()
    {
        m_client.reset();
        delete m_gateway;
        m_gateway = nullptr;
        delete m_upstream;
        delete m_usage;
        Clock::setInstance(nullptr);
    }

    void keysTakeTurns()
    {
        QVERIFY(startPool());
        QList<QByteArray> used;
        for (int i = 0; i < 4; ++i) {
            QCOMPARE(ask().status, 200);
            used.append(lastKey());
        }
        QCOMPARE(used.count("Bearer " + kKeyA), 2);
        QCOMPARE(used.count("Bearer " + kKeyB), 2);
        QVERIFY(used.at(0) != used.at(1));
    }

    void a429RestsItsKeyAndTheNextKeyAnswers()
    {
        QVERIFY(startPool());
        m_upstream->enqueue(rateLimited("20"));
        const auto response = ask();
        QCOMPARE(response.status, 200); // the client never saw the 429
        QCOMPARE(m_upstream->requestCount(), 2);
        const QByteArray limitedKey = m_upstream->requests().at(0).header("authorization");
        const QByteArray otherKey = m_upstream->requests().at(1).header("authorization");
        QVERIFY(limitedKey != otherKey);
        QTRY_COMPARE(m_usage->records().size(), 1);
        QCOMPARE(m_usage->records().first().attempts, 2);

        // While it rests, every call takes the other key...
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(ask().status, 200);
            QCOMPARE(lastKey(), otherKey);
        }
        // ...and once its Retry-After has passed, it is back in turn.
        m_clock.advanceMs(20'001);
        QList<QByteArray> used;
        for (int i = 0; i < 2; ++i) {
            QCOMPARE(ask().status, 200);
            used.append(lastKey());
        }
        QVERIFY(used.contains(limitedKey));
    }

    void everyKeyRestingIsForwardedAnyway()
    {
        QVERIFY(startPool());
        m_upstream->enqueue(rateLimited("30"));
        m_upstream->enqueue(rateLimited("10"));
        const auto limited = ask();
        QCOMPARE(limited.status, 429); // the last key's own answer, unchanged
        QCOMPARE(limited.header("retry-after"), QByteArray("10"));
        QVERIFY2(limited.body.contains("slow down"), limited.body.constData());
        QCOMPARE(m_upstream->requestCount(), 2);
        const QByteArray wakesFirst = m_upstream->requests().at(1).header("authorization");

        // Nothing awake for this model: the key that wakes first carries the request, and
        // the provider's own answer (here a success) reaches the client.
        const auto forwarded = ask();
        QCOMPARE(forwarded.status, 200);
        QCOMPARE(m_upstream->requestCount(), 3);
        QCOMPARE(lastKey(), wakesFirst);

        // The provider still limits: its 429 and its headers reach the client as they are.
        m_upstream->enqueue(rateLimited("9"));
        const auto again = ask();
        QCOMPARE(again.status, 429);
        QCOMPARE(again.header("retry-after"), QByteArray("9"));
        QVERIFY2(again.body.contains("slow down"), again.body.constData());
        QCOMPARE(m_upstream->requestCount(), 4); // one try: the other key rests too

        m_clock.advanceMs(30'000);
        QCOMPARE(ask().status, 200);
    }

    void a429ForOneModelLeavesOtherModelsServed()
    {
        // One key: a 429 for model a rests it for model a only.
        QVERIFY(start(QJsonArray {provider(QStringLiteral("p"), QStringLiteral("openai-compatible"),
                                           m_upstream->baseUrl().toString())},
                      {{QStringLiteral("p"), {{QStringLiteral("only"), kKeyA}}}}));
        m_upstream->enqueue(rateLimited("7"));
        const auto limited = ask("p/model-a");
        QCOMPARE(limited.status, 429);
        QCOMPARE(limited.header("retry-after"), QByteArray("7"));

        QCOMPARE(ask("p/model-b").status, 200); // another model, at once
        QCOMPARE(m_upstream->requestCount(), 2);
        QVERIFY(m_upstream->lastRequest().body.contains("\"model-b\""));

        TestHttpClient other; // another client, another model
        QVERIFY(other.connectTo(m_gateway->port()));
        other.send("POST", "/v1/chat/completions", {{"Content-Type", "application/json"}},
                   R"({"model":"p/model-c","messages":[]})");
        QVERIFY(other.waitForResponses(1));
        QCOMPARE(other.responses().first().status, 200);

        // Model a itself is still forwarded: the provider decides, not the gateway.
        QCOMPARE(ask("p/model-a").status, 200);
        QCOMPARE(m_upstream->requestCount(), 4);
        QTRY_COMPARE(m_usage->records().size(), 4);
        for (const UsageRecord &record : m_usage->records())
            QCOMPARE(record.attempts, 1);
    }

    void aRestedKeyIsSkippedForThatModelOnly()
    {
        QVERIFY(startPool());
        m_upstream->enqueue(rateLimited("20"));
        QCOMPARE(ask("p/model-a").status, 200); // the other key answered
        const QByteArray rested = m_upstream->requests().at(0).header("authorization");
        const QByteArray awake = m_upstream->requests().at(1).header("authorization");
        QVERIFY(rested != awake);

        QList<QByteArray> forA;
        QList<QByteArray> forB;
        for (int i = 0; i < 4; ++i) {
            QCOMPARE(ask("p/model-a").status, 200);
            forA.append(lastKey());
            QCOMPARE(ask("p/model-b").status, 200);
            forB.append(lastKey());
        }
        QCOMPARE(forA.count(rested), 0); // skipped for model a...
        QVERIFY(forB.contains(rested)); // ...and in turn for model b, where it carries its share
        QCOMPARE(m_upstream->requestCount(), 10); // no retries

        m_clock.advanceMs(20'000);
        QList<QByteArray> after;
        for (int i = 0; i < 2; ++i) {
            QCOMPARE(ask("p/model-a").status, 200);
            after.append(lastKey());
        }
        QVERIFY(after.contains(rested));
    }

    void eachKeyKeepsItsOwnLimits()
    {
        // Key a may make one request a minute; b is unlimited: b carries the rest.
        QVERIFY(startPool({keyLimit(QStringLiteral("p/a"), 1)}));
        QList<QByteArray> used;
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(ask().status, 200);
            used.append(lastKey());
        }
        QCOMPARE(used.count("Bearer " + kKeyA), 1);
        QCOMPARE(used.count("Bearer " + kKeyB), 4);
    }

    void everyKeyAtItsLimitIsA429()
    {
        QVERIFY(startPool({keyLimit(QStringLiteral("p/a"), 1), keyLimit(QStringLiteral("p/b"), 1)}));
        QCOMPARE(ask().status, 200);
        QCOMPARE(ask().status, 200);
        const auto refused = ask();
        QCOMPARE(refused.status, 429);
        QCOMPARE(m_upstream->requestCount(), 2);
        QVERIFY(refused.header("retry-after").toInt() > 0);
        m_clock.advanceMs(60'000); // the buckets refill
        QCOMPARE(ask().status, 200);
    }

    void aRouteTargetMayPinAKey()
    {
        const QJsonArray routes {
            QJsonObject {{QStringLiteral("model"), QStringLiteral("pinned")},
                         {QStringLiteral("targets"),
                          QJsonArray {QJsonObject {{QStringLiteral("provider"), QStringLiteral("p")},
                                                   {QStringLiteral("model"), QStringLiteral("m")},
                                                   {QStringLiteral("key"), QStringLiteral("b")}}}}}};
        QVERIFY(start(QJsonArray {provider(QStringLiteral("p"), QStringLiteral("openai-compatible"),
                                           m_upstream->baseUrl().toString())},
                      {{QStringLiteral("p"), {{QStringLiteral("a"), kKeyA}, {QStringLiteral("b"), kKeyB}}}}, routes));
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(ask("pinned").status, 200);
            QCOMPARE(lastKey(), "Bearer " + kKeyB);
        }
    }

    void aShortRetryAfterRetriesInPlaceWithTheSameKey()
    {
        const QJsonArray routes {
            QJsonObject {{QStringLiteral("model"), QStringLiteral("r")},
                         {QStringLiteral("targets"),
                          QJsonArray {QJsonObject {{QStringLiteral("provider"), QStringLiteral("p")},
                                                   {QStringLiteral("model"), QStringLiteral("m")}}}}}};
        QVERIFY(start(QJsonArray {provider(QStringLiteral("p"), QStringLiteral("openai-compatible"),
                                           m_upstream->baseUrl().toString())},
                      {{QStringLiteral("p"), {{QStringLiteral("only"), kKeyA}}}}, routes));
        MockUpstream::Script limited = rateLimited("0");
        limited.headers.append(MockUpstream::Header {"retry-after-ms", "50"});
        m_upstream->enqueue(limited);
        // The clock stands still, so the key still "rests": the retry keeps it all the same.
        QCOMPARE(ask("r").status, 200);
        QCOMPARE(m_upstream->requestCount(), 2);
        QCOMPARE(lastKey(), "Bearer " + kKeyA);
    }

    void anthropicKeysGoInXApiKey()
    {
        QVERIFY(start(QJsonArray {provider(QStringLiteral("claude"), QStringLiteral("anthropic"),
                                           m_upstream->baseUrl().toString())},
                      {{QStringLiteral("claude"), {{QStringLiteral("default"), kKeyA}}}}));
        QCOMPARE(ask("claude/claude-test", "/v1/messages").status, 200);
        QCOMPARE(m_upstream->lastRequest().header("x-api-key"), kKeyA);
        QVERIFY(!m_upstream->lastRequest().hasHeader("authorization"));
    }

    void aRemoteProviderWithoutAKeyIsRefused_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("errorType");
        QTest::newRow("openai") << QByteArray("/v1/chat/completions") << QStringLiteral("openai")
                                << QStringLiteral("invalid_request_error");
        QTest::newRow("anthropic") << QByteArray("/v1/messages") << QStringLiteral("anthropic")
                                   << QStringLiteral("authentication_error");
    }

    void aRemoteProviderWithoutAKeyIsRefused()
    {
        QFETCH(QByteArray, path);
        QFETCH(QString, kind);
        QFETCH(QString, errorType);
        // Never contacted: the gateway refuses before any connection.
        QVERIFY(start(
            QJsonArray {provider(QStringLiteral("remote"), kind, QStringLiteral("https://api.example.invalid"))}, {}));
        const auto response = ask("remote/some-model", path);
        QCOMPARE(response.status, 401);
        const QJsonObject error = QJsonDocument::fromJson(response.body).object().value(u"error").toObject();
        QCOMPARE(error.value(u"type").toString(), errorType);
        QVERIFY2(error.value(u"message").toString().contains(u"provider-key set remote"), response.body.constData());
        QTRY_COMPARE(m_usage->records().size(), 1);
        QCOMPARE(m_usage->records().first().outcome, Outcome::Rejected);
    }
};

QTEST_GUILESS_MAIN(TestKeyPool)
#include "tst_keypool.moc"
