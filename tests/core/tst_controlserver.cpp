// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
#include <atomic>

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QLocalSocket>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "common/calendar.h"
#include "common/clock.h"
#include "common/usagerecord.h"
#include "control/controlclient.h"
#include "control/controlprotocol.h"
#include "control/controlserver.h"
#include "live/livefigures.h"
#include "live/recentrequests.h"

using namespace sy;
using namespace sy::control;

namespace {

class ManualClock final : public Clock
{
public:
    QDateTime nowUtc() const override { return QDateTime::fromMSecsSinceEpoch(m_ms.load(), Qt::UTC); }
    void set(const QDateTime &utc) { m_ms = utc.toMSecsSinceEpoch(); }
    void advance(qint64 seconds) { m_ms += seconds * 1000; }

private:
    std::atomic<qint64> m_ms {0};
};

UsageRecord request(const QString &model, qint64 costMicroUsd, qint64 latencyMs)
{
    UsageRecord record;
    record.startedAt = QDateTime(QDate(2026, 11, 23), QTime(12, 0), Qt::UTC);
    record.client = QStringLiteral("laptop");
    record.provider = QStringLiteral("openai");
    record.model = model;
    record.endpoint = QStringLiteral("/v1/chat/completions");
    record.status = 200;
    record.latencyMs = latencyMs;
    record.ttfbMs = latencyMs / 2;
    record.inputTokens = 100;
    record.outputTokens = 20;
    record.costMicroUsd = costMicroUsd;
    record.priceBookVersion = QStringLiteral("2026-11-01");
    return record;
}

// A gateway as the control channel sees it: what it reports and what it was asked to do.
struct FakeGateway
{
    live::LiveFigures figures;
    live::RecentRequests recent {50};
    bool paused = false;
    int prunes = 0;
    int raises = 0;
    QDateTime askedDayStart;

    void record(const UsageRecord &r)
    {
        figures.record(r);
        recent.record(r);
    }

    ControlServer::Source source()
    {
        ControlServer::Source s;
        s.state = [this] { return paused ? QStringLiteral("paused") : QStringLiteral("serving"); };
        s.url = [] { return QStringLiteral("http://127.0.0.1:7788"); };
        s.paused = [this] { return paused; };
        s.requestsInFlight = [] { return qint64(2); };
        s.since = [this](const QDateTime &from) {
            // Asked for today and for the month; the month held 8 more requests before today.
            if (!askedDayStart.isValid() || from >= askedDayStart)
                askedDayStart = from;
            const live::Figures live = figures.sum(live::LiveFigures::kSeconds);
            store::UsageAggregate totals;
            totals.requests = live.requests + 40; // committed earlier today
            totals.errors = live.errors();
            totals.costMicroUsd = live.costMicroUsd + 5'000'000;
            totals.unpricedRequests = live.unpricedRequests;
            if (from < askedDayStart)
                totals.requests += 8;
            return totals;
        };
        s.figures = &figures;
        s.recent = &recent;
        s.setPaused = [this](bool p) { paused = p; };
        s.prune = [this](const std::function<void(Result<qint64>)> &done) {
            ++prunes;
            done(qint64(3));
        };
        s.raise = [this] { ++raises; };
        return s;
    }
};

} // namespace

class TestControlServer : public QObject
{
    Q_OBJECT

private:
    ManualClock m_clock;
    QTemporaryDir m_dir;

    QJsonObject exchange(ControlClient &client, const QString &command, QJsonObject fields = {})
    {
        QSignalSpy replies(&client, &ControlClient::replied);
        const qint64 id = client.send(command, fields);
        if (!replies.wait(5000))
            return {};
        const QJsonObject reply = replies.first().first().toJsonObject();
        return reply.value(u"id").toInteger() == id ? reply : QJsonObject();
    }

    bool connectClient(ControlClient &client)
    {
        QSignalSpy connected(&client, &ControlClient::connected);
        client.connectToDataDir(m_dir.path());
        // Unix sockets may connect at once, before the spy waits.
        return !connected.isEmpty() || connected.wait(5000);
    }

private slots:
    void init()
    {
        m_clock.set(QDateTime(QDate(2026, 11, 23), QTime(12, 0, 0, 200), Qt::UTC));
        Clock::setInstance(&m_clock);
        Calendar::setZone(QTimeZone("Asia/Kolkata"));
    }
    void cleanup()
    {
        Clock::setInstance(nullptr);
        Calendar::setZone(QTimeZone());
    }

    void helloAndStatus()
    {
        FakeGateway gateway;
        gateway.record(request(QStringLiteral("gpt-4o-mini"), 250'000, 100));
        gateway.record(request(QStringLiteral("gpt-4o-mini"), -1, 300)); // unpriced
        ControlServer server(m_dir.path(), gateway.source());
        QVERIFY2(server.listen().ok(), qPrintable(server.listen().error()));
        // Only the same user may open the socket.
        const QFile::Permissions permissions = QFile::permissions(server.socketPath());
        QVERIFY(!(permissions & (QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther)));

        ControlClient client;
        QVERIFY(connectClient(client));
        const QJsonObject hello = exchange(client, QStringLiteral("hello"));
        QCOMPARE(hello.value(u"ok").toBool(), true);
        QCOMPARE(hello.value(u"v").toInt(), ControlProtocol::kVersion);
        QCOMPARE(hello.value(u"protocol").toInt(), ControlProtocol::kVersion);
        QCOMPARE(hello.value(u"pid").toInteger(), QCoreApplication::applicationPid());
        QVERIFY(hello.value(u"commands").toArray().contains(QStringLiteral("raise")));
        QVERIFY(hello.value(u"commands").toArray().contains(QStringLiteral("prune")));

        const QJsonObject status = exchange(client, QStringLiteral("status"));
        QCOMPARE(status.value(u"state").toString(), QStringLiteral("serving"));
        QCOMPARE(status.value(u"url").toString(), QStringLiteral("http://127.0.0.1:7788"));
        QCOMPARE(status.value(u"paused").toBool(), false);
        QCOMPARE(status.value(u"in_flight").toInteger(), 2);
        // 12:00 UTC is 17:30 in Kolkata: the day began at 18:30 UTC the day before.
        const QDateTime dayStart(QDate(2026, 11, 22), QTime(18, 30), Qt::UTC);
        QCOMPARE(gateway.askedDayStart, dayStart);
        const QJsonObject today = status.value(u"today").toObject();
        QCOMPARE(today.value(u"day_start").toString(), dayStart.toString(Qt::ISODate));
        QCOMPARE(today.value(u"time_zone").toString(), QStringLiteral("Asia/Kolkata"));
        QCOMPARE(today.value(u"requests").toInteger(), 42);
        QCOMPARE(today.value(u"cost_micro_usd").toInteger(), 5'250'000);
        QCOMPARE(today.value(u"cost_usd").toDouble(), 5.25);
        QCOMPARE(today.value(u"unpriced_requests").toInteger(), 1);
        // The month began at 18:30 UTC on the last day of October, Kolkata's 1 November.
        const QJsonObject month = status.value(u"month").toObject();
        QCOMPARE(month.value(u"month_start").toString(),
                 QDateTime(QDate(2026, 10, 31), QTime(18, 30), Qt::UTC).toString(Qt::ISODate));
        QCOMPARE(month.value(u"requests").toInteger(), 50);
        QCOMPARE(status.value(u"burn_rate_micro_usd_per_hour").toInteger(), 1'000'000); // $0.25 in 15 min
        const QJsonObject hour = status.value(u"last_hour").toObject();
        QCOMPARE(hour.value(u"requests").toInteger(), 2);
        QCOMPARE(hour.value(u"latency_p50_ms").toInteger(),
                 live::LatencyHistogram::upperBoundMs(live::LatencyHistogram::bucketOf(100)));
    }

    void commandsGoToTheSource()
    {
        FakeGateway gateway;
        ControlServer server(m_dir.path(), gateway.source());
        QVERIFY(server.listen().ok());
        ControlClient client;
        QVERIFY(connectClient(client));
        QCOMPARE(exchange(client, QStringLiteral("pause")).value(u"paused").toBool(), true);
        QVERIFY(gateway.paused);
        QCOMPARE(exchange(client, QStringLiteral("status")).value(u"state").toString(), QStringLiteral("paused"));
        QCOMPARE(exchange(client, QStringLiteral("resume")).value(u"paused").toBool(), false);
        QVERIFY(!gateway.paused);
        const QJsonObject pruned = exchange(client, QStringLiteral("prune"));
        QCOMPARE(pruned.value(u"ok").toBool(), true);
        QCOMPARE(pruned.value(u"requests_removed").toInteger(), 3);
        QCOMPARE(gateway.prunes, 1);
        QCOMPARE(exchange(client, QStringLiteral("raise")).value(u"ok").toBool(), true);
        QCOMPARE(gateway.raises, 1);
    }

    void badInputChangesNothing()
    {
        FakeGateway gateway;
        ControlServer::Source source = gateway.source();
        source.raise = nullptr; // a headless serve has no window to raise
        ControlServer server(m_dir.path(), source);
        QVERIFY(server.listen().ok());
        ControlClient client;
        QVERIFY(connectClient(client));

        const QJsonObject raise = exchange(client, QStringLiteral("raise"));
        QCOMPARE(raise.value(u"ok").toBool(), false);
        QVERIFY(!raise.value(u"error").toString().isEmpty());
        QCOMPARE(exchange(client, QStringLiteral("reboot")).value(u"ok").toBool(), false);

        // Not JSON at all, on a raw socket: an error line, and the connection still works.
        QLocalSocket raw;
        raw.connectToServer(server.socketPath());
        QVERIFY(raw.waitForConnected(5000));
        raw.write("this is not json\n{\"cmd\":\"hello\",\"id\":7}\n");
        QTRY_VERIFY(raw.canReadLine());
        QVERIFY(ControlProtocol::decode(raw.readLine()).value().value(u"error").toString().contains(u"bad request"));
        QTRY_VERIFY(raw.canReadLine());
        QCOMPARE(ControlProtocol::decode(raw.readLine()).value().value(u"id").toInt(), 7);
        // A later protocol version is refused, not guessed at.
        raw.write("{\"v\":2,\"cmd\":\"pause\",\"id\":8}\n");
        QTRY_VERIFY(raw.canReadLine());
        const QJsonObject refused = ControlProtocol::decode(raw.readLine()).value();
        QCOMPARE(refused.value(u"ok").toBool(true), false);
        QCOMPARE(refused.value(u"id").toInt(), 8);
        QVERIFY(!gateway.paused);
        // A line without end is cut off rather than buffered without bound.
        QSignalSpy gone(&raw, &QLocalSocket::disconnected);
        raw.write(QByteArray(ControlProtocol::kMaxRequestLine + 10, 'x'));
        QVERIFY(gone.wait(5000));
        // Others are unaffected.
        QCOMPARE(exchange(client, QStringLiteral("status")).value(u"ok").toBool(), true);
    }

    void subscribePushesEachSecond()
    {
        FakeGateway gateway;
        gateway.record(request(QStringLiteral("earlier"), 10, 50)); // 12:00:00
        m_clock.advance(5);
        ControlServer server(m_dir.path(), gateway.source());
        server.setTickInterval(20);
        QVERIFY(server.listen().ok());
        ControlClient client;
        QVERIFY(connectClient(client));
        QSignalSpy ticks(&client, &ControlClient::ticked);

        // The backfill: the seconds of the hour so far and the recent requests asked for.
        const QJsonObject subscribed
            = exchange(client, QStringLiteral("subscribe"), {{QStringLiteral("requests"), 10}});
        QCOMPARE(subscribed.value(u"ok").toBool(), true);
        QCOMPARE(server.subscriberCount(), 1);
        live::LiveFigures mirror;
        auto apply = [&mirror](const QJsonArray &seconds) {
            for (const QJsonValue &second : seconds)
                mirror.merge(second[u"t"].toInteger(), ControlProtocol::figuresFromJson(second[u"f"].toObject()));
        };
        apply(subscribed.value(u"seconds").toArray());
        QCOMPARE(subscribed.value(u"requests").toArray().size(), 1);
        QCOMPARE(mirror.sum(3600), gateway.figures.sum(3600));

        // Two requests in this second, then the second ends: the next tick carries both.
        const UsageRecord a = request(QStringLiteral("gpt-4o"), 2000, 700);
        gateway.record(a);
        gateway.record(request(QStringLiteral("claude"), -1, 90));
        ticks.clear();
        m_clock.advance(1);
        QJsonObject event;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const QList<QVariant> &tick : ticks) {
                    const QJsonObject candidate = tick.first().toJsonObject();
                    if (!candidate.value(u"seconds").toArray().isEmpty())
                        event = candidate;
                }
                return !event.isEmpty();
            }(),
            5000);
        QCOMPARE(event.value(u"event").toString(), QStringLiteral("tick"));
        QCOMPARE(event.value(u"in_flight").toInteger(), 2);
        apply(event.value(u"seconds").toArray());
        QCOMPARE(mirror.sum(3600), gateway.figures.sum(3600));
        QCOMPARE(mirror.lastMinutes(60), gateway.figures.lastMinutes(60));
        const QJsonArray requests = event.value(u"requests").toArray();
        QCOMPARE(requests.size(), 2);
        QCOMPARE(requests.at(0).toObject().value(u"model").toString(), QStringLiteral("claude")); // newest first
        const UsageRecord back = ControlProtocol::recordFromJson(requests.at(1).toObject());
        QCOMPARE(back.model, a.model);
        QCOMPARE(back.startedAt, a.startedAt);
        QCOMPARE(back.costMicroUsd, a.costMicroUsd);
        QCOMPARE(back.ttfbMs, a.ttfbMs);
        QCOMPARE(back.priceBookVersion, a.priceBookVersion);

        // Later ticks carry nothing twice.
        ticks.clear();
        QVERIFY(ticks.wait(5000));
        QVERIFY(ticks.last().first().toJsonObject().value(u"seconds").toArray().isEmpty());
        QVERIFY(ticks.last().first().toJsonObject().value(u"requests").toArray().isEmpty());
        QCOMPARE(mirror.sum(3600), gateway.figures.sum(3600));

        // Unsubscribed, the server stops pushing and its timer stops.
        QCOMPARE(exchange(client, QStringLiteral("unsubscribe")).value(u"ok").toBool(), true);
        QCOMPARE(server.subscriberCount(), 0);
    }

    void noGatewayAndStaleSocket()
    {
        ControlClient client;
        QSignalSpy failed(&client, &ControlClient::failed);
        client.connectToDataDir(m_dir.path());
        QVERIFY(failed.wait(5000));
        QCOMPARE(client.error(), ControlClient::Error::NotRunning);

        // A socket file left by a process that crashed: nobody listens.
        {
            QFile stale(ControlProtocol::socketPath(m_dir.path()));
            QVERIFY(stale.open(QIODevice::WriteOnly));
        }
        QCOMPARE(ControlClient::ask(m_dir.path(), QStringLiteral("status")).error, ControlClient::Error::NotRunning);
        // The next gateway on the data dir (holding its lock) replaces it.
        FakeGateway gateway;
        ControlServer server(m_dir.path(), gateway.source());
        QVERIFY(server.listen().ok());
        const ControlClient::Answer answer = ControlClient::ask(m_dir.path(), QStringLiteral("status"));
        QCOMPARE(answer.error, ControlClient::Error::None);
        QCOMPARE(answer.reply.value(u"state").toString(), QStringLiteral("serving"));
        server.close();
        QVERIFY(!QFile::exists(ControlProtocol::socketPath(m_dir.path())));
        QCOMPARE(ControlClient::ask(m_dir.path(), QStringLiteral("status")).error, ControlClient::Error::NotRunning);
    }

    void serverGoingAwayIsReported()
    {
        FakeGateway gateway;
        auto server = std::make_unique<ControlServer>(m_dir.path(), gateway.source());
        QVERIFY(server->listen().ok());
        ControlClient client;
        QVERIFY(connectClient(client));
        QSignalSpy gone(&client, &ControlClient::disconnected);
        server.reset();
        QVERIFY(gone.wait(5000));
        QVERIFY(!client.isConnected());
    }
};

QTEST_GUILESS_MAIN(TestControlServer)
#include "tst_controlserver.moc"
