// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// The window's view of the gateway's shared state (GatewaySnapshot): after a session of
// mixed traffic through the real gateway (a 429 that rests a key, a provider error, a
// stream, another client, a route that falls back, a request in flight), the limits stand
// at hand-worked levels, the budgets show their spend in the calendar's periods, the rested
// key says when it wakes and each route target has its calls and errors. The same copy
// crosses the control channel as the `state` command.
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <QUrl>

#include "common/calendar.h"
#include "common/clock.h"
#include "common/memoryusagesink.h"
#include "config/configloader.h"
#include "control/controlclient.h"
#include "control/controlserver.h"
#include "gateway/gatewayserver.h"
#include "gateway/gatewaysnapshot.h"
#include "gateway/gatewaystate.h"
#include "host/host.h"
#include "hoststart.h"
#include "mockupstream.h"
#include "testhttpclient.h"

using namespace sy;
using sy::testsupport::MockUpstream;
using sy::testsupport::TestHttpClient;
using Level = limits::RateLimiter::Level;
using Budget = gateway::GatewaySnapshot::Budget;

namespace {

// Time that moves only when the test says so.
class ManualClock final : public Clock
{
public:
    QDateTime nowUtc() const override { return m_now; }
    void advanceMs(qint64 ms) { m_now = m_now.addMSecs(ms); }
    void set(const QDateTime &now) { m_now = now; }

private:
    QDateTime m_now;
};

const QDateTime kStart(QDate(2026, 11, 23), QTime(12, 0), Qt::UTC);
const QByteArray kKeyA = "sk-snapshot-key-a";
const QByteArray kKeyB = "sk-snapshot-key-b";
const QByteArray kBackupKey = "sk-snapshot-backup";
// 54 bytes: the gateway estimates 54 / 4 = 13 tokens before the answer says 18 (11 + 7).
const QByteArray kBody = "{\"model\":\"openai/priced\",\"max_tokens\":5,\"messages\":[]}";
constexpr qint64 kEstimate = 13;
constexpr qint64 kAnswerCost = 400'000; // 11 input and 7 output tokens at the prices below

Level levelOf(const gateway::GatewaySnapshot &snapshot, limits::Scope scope, const QString &name, Level::Kind kind)
{
    for (const Level &level : snapshot.limits) {
        if (level.scope == scope && level.name == name && level.kind == kind)
            return level;
    }
    return Level {scope, QStringLiteral("(missing)"), kind, -1, -1, -1};
}

Budget budgetOf(const gateway::GatewaySnapshot &snapshot, const QString &name, Budget::Period period)
{
    for (const Budget &budget : snapshot.budgets) {
        if (budget.name == name && budget.period == period)
            return budget;
    }
    Budget missing;
    missing.capMicroUsd = -1;
    return missing;
}

gateway::RouteStats::Target targetOf(const gateway::GatewaySnapshot &snapshot, const QString &provider,
                                     const QString &model)
{
    for (const gateway::RouteStats::Target &target : snapshot.targets) {
        if (target.provider == provider && target.model == model)
            return target;
    }
    gateway::RouteStats::Target missing;
    missing.requests = -1;
    return missing;
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

class TestGatewaySnapshot : public QObject
{
    Q_OBJECT

private:
    ManualClock m_clock;
    std::unique_ptr<MockUpstream> m_upstream;
    std::unique_ptr<MemoryUsageSink> m_usage;
    std::unique_ptr<gateway::GatewayServer> m_gateway;

    bool start()
    {
        const QByteArray hash1 = QCryptographicHash::hash("sy-agent-1", QCryptographicHash::Sha256).toHex();
        const QByteArray hash2 = QCryptographicHash::hash("sy-agent-2", QCryptographicHash::Sha256).toHex();
        const QByteArray base = m_upstream->baseUrl().toString().toUtf8();
        // openai has a pool of two keys, backup one; "smart" falls back from openai to backup.
        // Each answer for "priced" costs $0.40: 11 input and 7 output tokens at these prices.
        const QByteArray json = "{\"listen\": \"127.0.0.1:0\","
                                " \"auth\": {\"client_keys\": [{\"name\": \"agent-1\", \"sha256\": \""
            + hash1 + "\"}, {\"name\": \"agent-2\", \"sha256\": \"" + hash2
            + "\"}]},"
              " \"providers\": [{\"id\": \"openai\", \"base_url\": \""
            + base + "/v1\"}, {\"id\": \"backup\", \"kind\": \"openai-compatible\", \"base_url\": \"" + base
            + "/v1\"}],"
              " \"routes\": [{\"model\": \"smart\", \"targets\": [{\"provider\": \"openai\", \"model\": \"gpt-a\"},"
              " {\"provider\": \"backup\", \"model\": \"gpt-a\"}]}],"
              " \"prices\": {\"openai\": {\"models\": {\"priced\": {\"input\": 20000, \"output\": 25714.2857}}}},"
              " \"limits\": [{\"scope\": \"client\", \"name\": \"agent-1\", \"rpm\": 10, \"tpm\": 1000,"
              " \"concurrency\": 1},"
              " {\"scope\": \"model\", \"name\": \"priced\", \"rpm\": 5},"
              " {\"scope\": \"provider\", \"name\": \"backup\", \"tpm\": 600}],"
              " \"budgets\": [{\"scope\": \"global\", \"daily_usd\": 5, \"monthly_usd\": 50},"
              " {\"scope\": \"client\", \"name\": \"agent-1\", \"prepaid_usd\": 2,"
              " \"prepaid_since\": \"2026-11-01\"}]}";
        auto config = config::ConfigLoader::fromJson(json);
        if (!config) {
            qWarning() << config.error();
            return false;
        }
        auto state = gateway::GatewayState::create(
            config.value(),
            {{QStringLiteral("openai"), {{QStringLiteral("a"), kKeyA}, {QStringLiteral("b"), kKeyB}}},
             {QStringLiteral("backup"), {{QStringLiteral("only"), kBackupKey}}}});
        if (!state) {
            qWarning() << state.error();
            return false;
        }
        m_gateway = std::make_unique<gateway::GatewayServer>(state.value(), *m_usage);
        return m_gateway->listen().ok();
    }

    TestHttpClient::Response ask(TestHttpClient &client, const QByteArray &key, const QByteArray &body = kBody)
    {
        const qsizetype before = client.responses().size();
        client.send("POST", "/v1/chat/completions",
                    {{"Authorization", "Bearer " + key}, {"Content-Type", "application/json"}}, body);
        return client.waitForResponses(int(before) + 1) ? client.responses().last() : TestHttpClient::Response();
    }

private slots:
    void init()
    {
        m_clock.set(kStart);
        Clock::setInstance(&m_clock);
        // The budgets' days and months in UTC here, so the periods are plain to check.
        Calendar::setZone(QTimeZone::utc());
        m_upstream = std::make_unique<MockUpstream>();
        QVERIFY(m_upstream->listen());
        m_usage = std::make_unique<MemoryUsageSink>();
    }

    void cleanup()
    {
        m_gateway.reset();
        m_upstream.reset();
        m_usage.reset();
        Clock::setInstance(nullptr);
        Calendar::setZone(QTimeZone());
    }

    void untouchedLimitsStandAtZero()
    {
        QVERIFY(start());
        const gateway::GatewaySnapshot snapshot = m_gateway->snapshot();
        QVERIFY(snapshot.isValid());
        QCOMPARE(snapshot.takenAt, kStart);
        // Config order, one entry per kind.
        QCOMPARE(snapshot.limits.size(), 5);
        QCOMPARE(snapshot.limits.at(0).kind, Level::Kind::Rpm);
        QCOMPARE(snapshot.limits.at(1).kind, Level::Kind::Tpm);
        QCOMPARE(snapshot.limits.at(2).kind, Level::Kind::Concurrency);
        for (const Level &level : snapshot.limits) {
            QCOMPARE(level.used, 0);
            QCOMPARE(level.retryAfterMs, 0);
        }
        QCOMPARE(levelOf(snapshot, limits::Scope::Model, QStringLiteral("priced"), Level::Kind::Rpm).limit, 5);
        // Global day and month, agent-1's balance.
        QCOMPARE(snapshot.budgets.size(), 3);
        QVERIFY(snapshot.restingKeys.isEmpty());
        QVERIFY(snapshot.targets.isEmpty());
    }

    void mixedSession()
    {
        QVERIFY(start());
        QCOMPARE(kBody.size(), 54);
        // Spent on agent-1's balance (and the global month) before this start.
        m_gateway->budgets().addRecorded(QStringLiteral("agent-1"), 500'000,
                                         QDateTime(QDate(2026, 11, 10), QTime(9, 0), Qt::UTC));
        TestHttpClient one;
        TestHttpClient two;
        QVERIFY(one.connectTo(m_gateway->port()));
        QVERIFY(two.connectTo(m_gateway->port()));

        // 1. A plain answer.
        QCOMPARE(ask(one, "sy-agent-1").status, 200);
        // 2. A 429 for the key in turn: it rests 20 s for "priced", the other key answers.
        m_upstream->enqueue(rateLimited("20"));
        QCOMPARE(ask(one, "sy-agent-1").status, 200);
        const QString rested = m_upstream->requests().at(1).header("authorization") == "Bearer " + kKeyA
            ? QStringLiteral("a")
            : QStringLiteral("b");
        // 3. A provider error, passed through.
        m_upstream->enqueue(MockUpstream::Script::openAiError(500, "server_error", "", "boom"));
        QCOMPARE(ask(one, "sy-agent-1").status, 500);
        // 4. Another client streams.
        const auto stream = ask(two, "sy-agent-2", "{\"model\":\"openai/priced\",\"messages\":[],\"stream\":true}");
        QCOMPARE(stream.status, 200);
        // 5. A route whose first target fails: the backup answers.
        m_upstream->enqueue(MockUpstream::Script::openAiError(500, "server_error", "", "boom"));
        QCOMPARE(ask(two, "sy-agent-2", "{\"model\":\"smart\",\"messages\":[]}").status, 200);
        QTRY_COMPARE(m_usage->records().size(), 5);
        QCOMPARE(m_usage->records().at(0).costMicroUsd, kAnswerCost);

        gateway::GatewaySnapshot snapshot = m_gateway->snapshot();
        // agent-1: three requests this minute; each estimated 13 tokens, two corrected to 18
        // by their answers, the error's estimate kept: 18 + 18 + 13.
        QCOMPARE(levelOf(snapshot, limits::Scope::Client, QStringLiteral("agent-1"), Level::Kind::Rpm).used, 3);
        QCOMPARE(levelOf(snapshot, limits::Scope::Client, QStringLiteral("agent-1"), Level::Kind::Tpm).used,
                 18 + 18 + kEstimate);
        QCOMPARE(levelOf(snapshot, limits::Scope::Client, QStringLiteral("agent-1"), Level::Kind::Concurrency).used, 0);
        // "priced": agent-1's three and agent-2's stream; the route's gpt-a is another model.
        const Level priced = levelOf(snapshot, limits::Scope::Model, QStringLiteral("priced"), Level::Kind::Rpm);
        QCOMPARE(priced.used, 4);
        QCOMPARE(priced.retryAfterMs, 0);
        // The provider limit counts against the first target (openai): backup's stays at zero.
        QCOMPARE(levelOf(snapshot, limits::Scope::Provider, QStringLiteral("backup"), Level::Kind::Tpm).used, 0);

        // Three answers at $0.40 (1, 2 and the stream); the error and the unpriced gpt-a cost nothing.
        const Budget day = budgetOf(snapshot, QString(), Budget::Period::Day);
        QCOMPARE(day.scope, limits::Scope::Global);
        QCOMPARE(day.capMicroUsd, 5'000'000);
        QCOMPARE(day.spentMicroUsd, 1'200'000);
        QCOMPARE(day.remainingMicroUsd(), 3'800'000);
        QCOMPARE(day.periodStart, QDateTime(QDate(2026, 11, 23), QTime(0, 0), Qt::UTC));
        QCOMPARE(day.periodEnd, QDateTime(QDate(2026, 11, 24), QTime(0, 0), Qt::UTC));
        const Budget month = budgetOf(snapshot, QString(), Budget::Period::Month);
        QCOMPARE(month.spentMicroUsd, 1'200'000 + 500'000);
        QCOMPARE(month.periodStart, QDateTime(QDate(2026, 11, 1), QTime(0, 0), Qt::UTC));
        QCOMPARE(month.periodEnd, QDateTime(QDate(2026, 12, 1), QTime(0, 0), Qt::UTC));
        const Budget balance = budgetOf(snapshot, QStringLiteral("agent-1"), Budget::Period::Prepaid);
        QCOMPARE(balance.scope, limits::Scope::Client);
        QCOMPARE(balance.capMicroUsd, 2'000'000);
        QCOMPARE(balance.spentMicroUsd, 500'000 + 800'000);
        QCOMPARE(balance.remainingMicroUsd(), 700'000);
        QVERIFY(!balance.usedUp());
        QCOMPARE(balance.periodStart, QDateTime(QDate(2026, 11, 1), QTime(0, 0), Qt::UTC));
        QVERIFY(!balance.periodEnd.isValid());

        // The key that got the 429 rests for that model only, for its Retry-After.
        QCOMPARE(snapshot.restingKeys.size(), 1);
        QCOMPARE(snapshot.restingKeys.first().provider, QStringLiteral("openai"));
        QCOMPARE(snapshot.restingKeys.first().label, rested);
        QCOMPARE(snapshot.restingKeys.first().model, QStringLiteral("priced"));
        QCOMPARE(snapshot.restingKeys.first().wakesAtMs, kStart.toMSecsSinceEpoch() + 20'000);

        // openai/priced answered five times (the 429 and its retry count apart): two errors.
        QCOMPARE(snapshot.targets.size(), 3);
        const auto openai = targetOf(snapshot, QStringLiteral("openai"), QStringLiteral("priced"));
        QCOMPARE(openai.requests, 5);
        QCOMPARE(openai.errors, 2);
        QCOMPARE(openai.rateLimited, 1);
        QVERIFY(openai.averageTtfbMs && *openai.averageTtfbMs >= 0);
        QVERIFY(openai.averageLatencyMs && *openai.averageLatencyMs >= *openai.averageTtfbMs - 1);
        const auto failed = targetOf(snapshot, QStringLiteral("openai"), QStringLiteral("gpt-a"));
        QCOMPARE(failed.requests, 1);
        QCOMPARE(failed.errors, 1);
        QVERIFY(!failed.averageTtfbMs);
        QVERIFY(!failed.averageLatencyMs);
        const auto backup = targetOf(snapshot, QStringLiteral("backup"), QStringLiteral("gpt-a"));
        QCOMPARE(backup.requests, 1);
        QCOMPARE(backup.errors, 0);
        QVERIFY(backup.averageTtfbMs);

        // 6. A slow answer: while it runs, agent-1 is at its one request at a time, and
        // "priced" has used its five a minute (one more fits in 60 s / 5 = 12 s).
        MockUpstream::Script slow = MockUpstream::Script::defaultResponse();
        slow.headerDelayMs = 1500;
        m_upstream->enqueue(slow);
        one.send("POST", "/v1/chat/completions",
                 {{"Authorization", "Bearer sy-agent-1"}, {"Content-Type", "application/json"}}, kBody);
        QTRY_COMPARE(m_upstream->requestCount(), 8);
        snapshot = m_gateway->snapshot();
        const Level atOnce
            = levelOf(snapshot, limits::Scope::Client, QStringLiteral("agent-1"), Level::Kind::Concurrency);
        QCOMPARE(atOnce.used, 1);
        QCOMPARE(atOnce.retryAfterMs, 1000);
        const Level pricedFull = levelOf(snapshot, limits::Scope::Model, QStringLiteral("priced"), Level::Kind::Rpm);
        QCOMPARE(pricedFull.used, 5);
        QCOMPARE(pricedFull.retryAfterMs, 12'000);
        QVERIFY(one.waitForResponses(4));
        QCOMPARE(one.responses().last().status, 200);
        QTRY_COMPARE(m_usage->records().size(), 6);

        // 20.001 s later: the key is awake again, the buckets refilled by 20.001 s' worth
        // (agent-1: 6 + 3.3335 = 9.3 of 10 left; "priced": 0 + 1.667 of 5), and the slow
        // answer's $0.40 is spent.
        m_clock.advanceMs(20'001);
        snapshot = m_gateway->snapshot();
        QVERIFY(snapshot.restingKeys.isEmpty());
        QCOMPARE(levelOf(snapshot, limits::Scope::Client, QStringLiteral("agent-1"), Level::Kind::Rpm).used, 1);
        QCOMPARE(levelOf(snapshot, limits::Scope::Model, QStringLiteral("priced"), Level::Kind::Rpm).used, 4);
        QCOMPARE(levelOf(snapshot, limits::Scope::Client, QStringLiteral("agent-1"), Level::Kind::Concurrency).used, 0);
        QCOMPARE(budgetOf(snapshot, QString(), Budget::Period::Day).spentMicroUsd, 1'600'000);
        QCOMPARE(budgetOf(snapshot, QStringLiteral("agent-1"), Budget::Period::Prepaid).remainingMicroUsd(), 300'000);

        // Later requests behave as if the earlier ones had been fine. This one crosses
        // agent-1's balance ($0.30 left, $0.40 spent): it completes, the next is refused.
        QCOMPARE(ask(one, "sy-agent-1").status, 200);
        QTRY_COMPARE(m_usage->records().size(), 7);
        const Budget usedUp = budgetOf(m_gateway->snapshot(), QStringLiteral("agent-1"), Budget::Period::Prepaid);
        QCOMPARE(usedUp.spentMicroUsd, 2'100'000);
        QCOMPARE(usedUp.remainingMicroUsd(), -100'000);
        QVERIFY(usedUp.usedUp());
        m_clock.advanceMs(12'000); // "priced" lets one more through every 12 s
        const auto refused = ask(one, "sy-agent-1");
        QCOMPARE(refused.status, 429);
        QVERIFY2(refused.body.contains("prepaid balance"), refused.body.constData());
        // A budget's refusal takes nothing from the rate limits: "priced" has one request free
        // (0.667 + 1 after 12 s), agent-1 is back where it was.
        const gateway::GatewaySnapshot afterRefusal = m_gateway->snapshot();
        QCOMPARE(levelOf(afterRefusal, limits::Scope::Model, QStringLiteral("priced"), Level::Kind::Rpm).used, 4);
        QCOMPARE(levelOf(afterRefusal, limits::Scope::Client, QStringLiteral("agent-1"), Level::Kind::Rpm).used, 0);
        // Another client is served, by the other key of the pool: both keys take turns again.
        QCOMPARE(ask(two, "sy-agent-2").status, 200);
        const QList<MockUpstream::ReceivedRequest> received = m_upstream->requests();
        QCOMPARE(received.size(), 10);
        QVERIFY(received.at(9).header("authorization") != received.at(8).header("authorization"));
        QCOMPARE(targetOf(m_gateway->snapshot(), QStringLiteral("openai"), QStringLiteral("priced")).requests, 8);
    }

    void addressesGetAnEntryEach()
    {
        limits::RateLimiter limiter;
        limiter.configure({{limits::Scope::Address, {}, 2, 0, 0}});
        QCOMPARE(limiter.levels(0).size(), 1); // none seen yet: one entry at zero
        QCOMPARE(limiter.levels(0).first().name, QString());
        limits::RequestKey key;
        key.address = QStringLiteral("10.0.0.2");
        QVERIFY(limiter.admit(key, 1, 0).admitted());
        key.address = QStringLiteral("10.0.0.1");
        QVERIFY(limiter.admit(key, 1, 0).admitted());
        QVERIFY(limiter.admit(key, 1, 0).admitted());
        const QList<Level> levels = limiter.levels(0);
        QCOMPARE(levels.size(), 2);
        QCOMPARE(levels.at(0).name, QStringLiteral("10.0.0.1"));
        QCOMPARE(levels.at(0).used, 2);
        // 2 a minute: the next one fits in 30 s.
        QCOMPARE(levels.at(0).retryAfterMs, 30'000);
        QCOMPARE(levels.at(1).name, QStringLiteral("10.0.0.2"));
        QCOMPARE(levels.at(1).used, 1);
        QCOMPARE(levels.at(1).retryAfterMs, 0);
    }

    void routeStatsAverages()
    {
        gateway::RouteStats stats;
        // Moving averages, the newest sample weighing 0.2: 100, then 0.2 × 200 + 0.8 × 100 =
        // 120, then 0.2 × 50 + 0.8 × 120 = 106.
        for (qint64 ms : {100, 200, 50})
            stats.recordTtfb(QStringLiteral("p"), QStringLiteral("m"), ms);
        stats.recordLatency(QStringLiteral("p"), QStringLiteral("m"), 1000);
        stats.recordLatency(QStringLiteral("p"), QStringLiteral("m"), 500);
        stats.recordResponse(QStringLiteral("p"), QStringLiteral("m"), 200);
        stats.recordResponse(QStringLiteral("p"), QStringLiteral("m"), 429);
        stats.recordResponse(QStringLiteral("p"), QStringLiteral("m"), 503);
        stats.recordFailure(QStringLiteral("p"), QStringLiteral("m"), false); // connect failure
        stats.recordResponse(QStringLiteral("p"), QStringLiteral("m"), 200);
        stats.recordFailure(QStringLiteral("p"), QStringLiteral("m"), true); // cut off mid-answer
        stats.recordResponse(QStringLiteral("a"), QStringLiteral("z"), 200);
        const QList<gateway::RouteStats::Target> targets = stats.targets();
        QCOMPARE(targets.size(), 2);
        QCOMPARE(targets.at(0).provider, QStringLiteral("a")); // by provider, then model
        QVERIFY(!targets.at(0).averageTtfbMs);
        const gateway::RouteStats::Target &t = targets.at(1);
        QCOMPARE(t.model, QStringLiteral("m"));
        QCOMPARE(t.requests, 5);
        QCOMPARE(t.errors, 4);
        QCOMPARE(t.rateLimited, 1);
        QCOMPARE(*t.averageTtfbMs, 106.0);
        QCOMPARE(*t.averageLatencyMs, 900.0); // 0.2 × 500 + 0.8 × 1000
        QCOMPARE(*stats.averageTtfb(QStringLiteral("p"), QStringLiteral("m")), 106.0);
        QVERIFY(!stats.averageTtfb(QStringLiteral("a"), QStringLiteral("z")));
    }

    void restingKeysSoonestFirst()
    {
        gateway::KeyRotation keys;
        keys.rest(QStringLiteral("p"), QStringLiteral("b"), QStringLiteral("m1"), 1000, 5000); // wakes at 6000
        keys.rest(QStringLiteral("p"), QStringLiteral("a"), QStringLiteral("m2"), 1000, 2000); // 3000
        keys.rest(QStringLiteral("q"), QString(), QStringLiteral("m1"), 1000, 500); // 1500: keyless
        QList<gateway::KeyRotation::Resting> resting = keys.resting(1000);
        QCOMPARE(resting.size(), 3);
        QCOMPARE(resting.at(0).provider, QStringLiteral("q"));
        QCOMPARE(resting.at(0).label, QString());
        QCOMPARE(resting.at(0).wakesAtMs, 1500);
        QCOMPARE(resting.at(1).label, QStringLiteral("a"));
        QCOMPARE(resting.at(1).model, QStringLiteral("m2"));
        QCOMPARE(resting.at(2).wakesAtMs, 6000);
        resting = keys.resting(3000); // awake at its wake time
        QCOMPARE(resting.size(), 1);
        QCOMPARE(resting.first().label, QStringLiteral("b"));
    }

    void theHostGivesACopyWhileItServes()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const host::DataLocation where
            = host::DataLocation::named(dir.path(), QDir(dir.path()).filePath(QStringLiteral("config.json")));
        QFile file(where.configFile);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"listen\": \"127.0.0.1:0\", \"auth\": {\"require_client_key\": false},"
                   " \"secret_store\": \"encrypted-file\", \"providers\": [{\"id\": \"local\","
                   " \"kind\": \"openai-compatible\", \"base_url\": \""
                   + m_upstream->baseUrl().toString().toUtf8()
                   + "/v1\"}], \"limits\": [{\"scope\": \"provider\", \"name\": \"local\", \"rpm\": 60}]}");
        file.close();
        host::Host host(where);
        QVERIFY(!host.gatewaySnapshot().isValid()); // nothing serves yet
        QVERIFY(testsupport::startHost(host));
        QCOMPARE(host.gatewaySnapshot().limits.size(), 1);
        QCOMPARE(host.gatewaySnapshot().limits.first().used, 0);

        TestHttpClient client;
        QVERIFY(client.connectTo(testsupport::hostPort(host)));
        client.send("POST", "/v1/chat/completions", {{"Content-Type", "application/json"}},
                    "{\"model\":\"local/m\",\"messages\":[]}");
        QVERIFY(client.waitForResponses(1));
        QCOMPARE(client.responses().first().status, 200);
        const gateway::GatewaySnapshot snapshot = host.gatewaySnapshot();
        QCOMPARE(snapshot.takenAt, kStart);
        QCOMPARE(snapshot.limits.first().used, 1);
        QCOMPARE(snapshot.targets.size(), 1);
        QCOMPARE(snapshot.targets.first().provider, QStringLiteral("local"));
        QCOMPARE(snapshot.targets.first().model, QStringLiteral("m"));
        QCOMPARE(snapshot.targets.first().requests, 1);

        QSignalSpy stopped(&host, &host::Host::stopped);
        host.stop();
        QVERIFY(stopped.wait(10000));
        QVERIFY(!host.gatewaySnapshot().isValid());
    }

    void stateOverTheControlChannel()
    {
        QVERIFY(start());
        TestHttpClient one;
        QVERIFY(one.connectTo(m_gateway->port()));
        m_upstream->enqueue(rateLimited("20"));
        QCOMPARE(ask(one, "sy-agent-1").status, 200);
        QTRY_COMPARE(m_usage->records().size(), 1);

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        control::ControlServer::Source source;
        source.gatewayState = [this] { return m_gateway->snapshot(); };
        control::ControlServer server(dir.path(), source);
        QVERIFY(server.listen().ok());
        const gateway::GatewaySnapshot expected = m_gateway->snapshot();

        control::ControlClient client;
        QSignalSpy connected(&client, &control::ControlClient::connected);
        QSignalSpy replies(&client, &control::ControlClient::replied);
        client.connectToDataDir(dir.path());
        QVERIFY(!connected.isEmpty() || connected.wait(5000));
        client.send(QStringLiteral("state"));
        QVERIFY(replies.wait(5000));
        const QJsonObject reply = replies.first().first().toJsonObject();
        QCOMPARE(reply.value(u"ok").toBool(), true);
        QCOMPARE(reply.value(u"taken_at").toString(), QStringLiteral("2026-11-23T12:00:00.000Z"));
        const QJsonObject resting = reply.value(u"resting_keys").toArray().first().toObject();
        QCOMPARE(resting.value(u"model").toString(), QStringLiteral("priced"));
        QCOMPARE(resting.value(u"wakes_at").toString(), QStringLiteral("2026-11-23T12:00:20.000Z"));
        const QJsonObject rpm = reply.value(u"limits").toArray().first().toObject();
        QCOMPARE(rpm.value(u"scope").toString(), QStringLiteral("client"));
        QCOMPARE(rpm.value(u"name").toString(), QStringLiteral("agent-1"));
        QCOMPARE(rpm.value(u"kind").toString(), QStringLiteral("rpm"));
        QCOMPARE(rpm.value(u"limit").toInteger(), 10);
        QCOMPARE(rpm.value(u"used").toInteger(), 1);
        const QJsonObject target = reply.value(u"targets").toArray().first().toObject();
        QCOMPARE(target.value(u"requests").toInteger(), 2);
        QCOMPARE(target.value(u"rate_limited").toInteger(), 1);

        // What an attached window reads back is the snapshot itself.
        const gateway::GatewaySnapshot read = gateway::GatewaySnapshot::fromJson(reply);
        QCOMPARE(read.takenAt, expected.takenAt);
        QCOMPARE(read.limits.size(), expected.limits.size());
        for (qsizetype i = 0; i < read.limits.size(); ++i) {
            QCOMPARE(read.limits.at(i).scope, expected.limits.at(i).scope);
            QCOMPARE(read.limits.at(i).name, expected.limits.at(i).name);
            QCOMPARE(read.limits.at(i).kind, expected.limits.at(i).kind);
            QCOMPARE(read.limits.at(i).limit, expected.limits.at(i).limit);
            QCOMPARE(read.limits.at(i).used, expected.limits.at(i).used);
            QCOMPARE(read.limits.at(i).retryAfterMs, expected.limits.at(i).retryAfterMs);
        }
        QCOMPARE(read.budgets.size(), expected.budgets.size());
        for (qsizetype i = 0; i < read.budgets.size(); ++i) {
            QCOMPARE(read.budgets.at(i).scope, expected.budgets.at(i).scope);
            QCOMPARE(read.budgets.at(i).name, expected.budgets.at(i).name);
            QCOMPARE(read.budgets.at(i).period, expected.budgets.at(i).period);
            QCOMPARE(read.budgets.at(i).periodStart, expected.budgets.at(i).periodStart);
            QCOMPARE(read.budgets.at(i).periodEnd, expected.budgets.at(i).periodEnd);
            QCOMPARE(read.budgets.at(i).capMicroUsd, expected.budgets.at(i).capMicroUsd);
            QCOMPARE(read.budgets.at(i).spentMicroUsd, expected.budgets.at(i).spentMicroUsd);
        }
        QCOMPARE(read.restingKeys.size(), 1);
        QCOMPARE(read.restingKeys.first().label, expected.restingKeys.first().label);
        QCOMPARE(read.restingKeys.first().wakesAtMs, expected.restingKeys.first().wakesAtMs);
        QCOMPARE(read.targets.size(), 1);
        QCOMPARE(read.targets.first().errors, 1);
        QCOMPARE(read.targets.first().averageTtfbMs, expected.targets.first().averageTtfbMs);

        // A process that does not offer it says so.
        control::ControlServer::Source none;
        server.close();
        control::ControlServer bare(dir.path(), none);
        QVERIFY(bare.listen().ok());
        const control::ControlClient::Answer answer = control::ControlClient::ask(dir.path(), QStringLiteral("state"));
        QCOMPARE(answer.error, control::ControlClient::Error::None);
        QCOMPARE(answer.reply.value(u"ok").toBool(), false);
    }
};

QTEST_GUILESS_MAIN(TestGatewaySnapshot)
#include "tst_gatewaysnapshot.moc"
