// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// The host offers the control channel: `status` over a real local socket sees the traffic
// that went through the real gateway, today and this month equal the rows in the database
// for the calendar's day and month (also in Asia/Kolkata: ctest runs this file once more
// there), pause and prune go through the channel, raise only where a window set a handler,
// and a GatewayLink mirrors the gateway as the window reads it.
#include <QSaveFile>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include "common/calendar.h"
#include "common/clock.h"
#include "control/controlclient.h"
#include "control/gatewaylink.h"
#include "host/host.h"
#include "hoststart.h"
#include "live/livefigures.h"
#include "live/recentrequests.h"
#include "mockupstream.h"
#include "secrets/clientkeystore.h"
#include "store/database.h"
#include "store/metricsstore.h"
#include "testhttpclient.h"

using namespace sy;
using sy::control::ControlClient;
using sy::host::Host;
using sy::testsupport::MockUpstream;
using sy::testsupport::TestHttpClient;
using Headers = QList<std::pair<QByteArray, QByteArray>>;

class TestHostChannel : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<MockUpstream> m_upstream;
    std::unique_ptr<QTemporaryDir> m_dir;
    QByteArray m_clientKey;

    QString configPath() const { return m_dir->filePath(QStringLiteral("config.json")); }

    host::DataLocation location() const { return host::DataLocation::named(m_dir->path(), configPath()); }

    int post(const Host &host, const QByteArray &model, bool withKey = true)
    {
        TestHttpClient client;
        if (!client.connectTo(testsupport::hostPort(host)))
            return 0;
        Headers headers {{"Content-Type", "application/json"}};
        if (withKey)
            headers.append({"Authorization", "Bearer " + m_clientKey});
        client.send("POST", "/v1/chat/completions", headers,
                    "{\"model\": \"" + model + "\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");
        if (!client.waitForResponses(1))
            return 0;
        return client.responses().first().status;
    }

    // One command on a connection of its own, answered while this thread's loop runs (the
    // host is on this thread too).
    static QJsonObject command(const QString &dataDir, const QString &name)
    {
        const ControlClient::Answer answer = ControlClient::ask(dataDir, name, 10000);
        return answer.error == ControlClient::Error::None ? answer.reply : QJsonObject();
    }

    // What the rows in the database that started from `from` on add up to, read straight
    // from the requests table: the reference the host's totals must equal.
    static std::pair<qint64, qint64> rowsSince(const QString &dataDir, const QDateTime &from)
    {
        store::Database database(store::Database::filePath(dataDir), QStringLiteral("reference"),
                                 store::Database::Mode::ReadOnly);
        if (!database.open())
            return {-1, -1};
        QSqlQuery query(database.db());
        query.prepare(
            QStringLiteral("SELECT COUNT(*), COALESCE(SUM(cost_micro_usd), 0) FROM requests WHERE ts_ms >= ?"));
        query.addBindValue(from.toMSecsSinceEpoch());
        if (!query.exec() || !query.next())
            return {-1, -1};
        return {query.value(0).toLongLong(), query.value(1).toLongLong()};
    }

    static UsageRecord earlier(const QDateTime &startedAt, qint64 cost)
    {
        UsageRecord r;
        r.startedAt = startedAt;
        r.client = QStringLiteral("agent");
        r.provider = QStringLiteral("local");
        r.model = QStringLiteral("gpt-4o-mini");
        r.endpoint = QStringLiteral("/v1/chat/completions");
        r.status = 200;
        r.latencyMs = 120;
        r.ttfbMs = 40;
        r.inputTokens = 10;
        r.outputTokens = 5;
        r.costMicroUsd = cost;
        r.priceBookVersion = QStringLiteral("test");
        return r;
    }

private slots:
    void init()
    {
        m_upstream = std::make_unique<MockUpstream>();
        QVERIFY(m_upstream->listen());
        m_dir = std::make_unique<QTemporaryDir>();
        const QByteArray base = m_upstream->baseUrl().toString().toUtf8();
        QSaveFile file(configPath());
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"listen\": \"127.0.0.1:0\", \"auth\": {\"require_client_key\": true}, \"providers\": ["
                   "{\"id\": \"local\", \"kind\": \"openai-compatible\", \"base_url\": \""
                   + base + "/v1\"}], \"server\": {\"worker_threads\": 2}}");
        QVERIFY(file.commit());
        auto created = secrets::ClientKeyStore(m_dir->path()).create(QStringLiteral("agent"));
        QVERIFY(created.ok());
        m_clientKey = created.value().toUtf8();
    }

    void cleanup()
    {
        m_upstream.reset();
        m_dir.reset();
    }

    void statusSeesTheTrafficAndTodayEqualsTheDatabase()
    {
        // History from before this start, on both sides of the calendar's midnight (in
        // Kolkata that falls mid-hour in UTC, where an hourly rollup would blur it).
        const QDateTime now = Clock::instance().nowUtc();
        const QDateTime dayStart = Calendar::startOfDay(now);
        const QDateTime monthStart = Calendar::startOfMonth(now, Calendar::zone());
        {
            store::MetricsStore::Options options;
            options.dataDir = m_dir->path();
            store::MetricsStore history(options);
            QVERIFY(history.open().ok());
            history.record(earlier(dayStart.addSecs(-40 * 60), 1'000)); // yesterday
            history.record(earlier(dayStart.addSecs(-5 * 60), 20'000)); // yesterday, in today's UTC hour
            history.record(earlier(dayStart.addMSecs(qMin<qint64>(5 * 60'000, dayStart.msecsTo(now) / 2)), 300'000));
            history.record(earlier(now.addSecs(-1), 4'000'000));
            history.close();
        }

        Host host(location());
        QVERIFY(testsupport::startHost(host));
        const QJsonObject hello = command(m_dir->path(), QStringLiteral("hello"));
        QCOMPARE(hello.value(u"ok").toBool(), true);
        QVERIFY(!hello.value(u"commands").toArray().contains(QStringLiteral("raise"))); // no window here
        QVERIFY(hello.value(u"commands").toArray().contains(QStringLiteral("prune")));

        // Mixed traffic: answered, refused (no key), unpriced (a model without a price).
        QSignalSpy committed(&host, &Host::usageCommitted);
        QCOMPARE(post(host, "local/gpt-4o-mini"), 200);
        QCOMPARE(post(host, "local/gpt-4o-mini", false), 401);
        QCOMPARE(post(host, "local/no-such-priced-model"), 200);
        QCOMPARE(post(host, "local/gpt-4o"), 200);

        const QJsonObject status = command(m_dir->path(), QStringLiteral("status"));
        QCOMPARE(status.value(u"state").toString(), QStringLiteral("serving"));
        QCOMPARE(status.value(u"url").toString(), host.url());
        QCOMPARE(status.value(u"paused").toBool(), false);
        QCOMPARE(status.value(u"in_flight").toInteger(), 0);
        QCOMPARE(status.value(u"last_hour").toObject().value(u"requests").toInteger(), 4);
        const QJsonObject today = status.value(u"today").toObject();
        const QJsonObject month = status.value(u"month").toObject();
        QCOMPARE(today.value(u"day_start").toString(), dayStart.toString(Qt::ISODate));
        QCOMPARE(month.value(u"month_start").toString(), monthStart.toString(Qt::ISODate));
        QCOMPARE(today.value(u"errors").toInteger(), 1);
        QCOMPARE(today.value(u"unpriced_requests").toInteger(), 1);

        // Once the rows are on disk, the database says the same, to the request and the micro-dollar.
        QTRY_COMPARE_WITH_TIMEOUT(rowsSince(m_dir->path(), QDateTime::fromMSecsSinceEpoch(0)).first, qint64(8), 5000);
        const auto [dayRows, dayCost] = rowsSince(m_dir->path(), dayStart);
        const auto [monthRows, monthCost] = rowsSince(m_dir->path(), monthStart);
        QCOMPARE(today.value(u"requests").toInteger(), dayRows);
        QCOMPARE(today.value(u"cost_micro_usd").toInteger(), dayCost);
        QCOMPARE(month.value(u"requests").toInteger(), monthRows);
        QCOMPARE(month.value(u"cost_micro_usd").toInteger(), monthCost);
        QVERIFY(dayRows >= 5); // this run's four and the one a second ago
        QCOMPARE(host.totalsSince(dayStart).requests, dayRows);

        // Stopped: the channel is gone with the lock.
        QSignalSpy stopped(&host, &Host::stopped);
        host.stop();
        QVERIFY(stopped.wait(10000));
        QCOMPARE(ControlClient::ask(m_dir->path(), QStringLiteral("status")).error, ControlClient::Error::NotRunning);
    }

    void pausePruneAndRaiseGoThroughTheChannel()
    {
        Host host(location());
        int raises = 0;
        host.setRaiseHandler([&raises] { ++raises; });
        QSignalSpy opened(&host, &Host::controlChannelOpened);
        QVERIFY(testsupport::startHost(host));
        QCOMPARE(opened.size(), 1);
        QVERIFY(command(m_dir->path(), QStringLiteral("hello"))
                    .value(u"commands")
                    .toArray()
                    .contains(QStringLiteral("raise")));

        QCOMPARE(command(m_dir->path(), QStringLiteral("pause")).value(u"paused").toBool(), true);
        QCOMPARE(host.state(), Host::State::Paused);
        QCOMPARE(post(host, "local/gpt-4o-mini"), 503);
        QCOMPARE(command(m_dir->path(), QStringLiteral("status")).value(u"state").toString(), QStringLiteral("paused"));
        QCOMPARE(command(m_dir->path(), QStringLiteral("resume")).value(u"paused").toBool(), false);
        QCOMPARE(post(host, "local/gpt-4o-mini"), 200);

        // Prune answers once the store's writer ran it.
        QSignalSpy pruned(&host, &Host::pruned);
        const QJsonObject prune = command(m_dir->path(), QStringLiteral("prune"));
        QCOMPARE(prune.value(u"ok").toBool(), true);
        QVERIFY(prune.contains(u"requests_removed"));
        QVERIFY(pruned.size() >= 1);

        QCOMPARE(command(m_dir->path(), QStringLiteral("raise")).value(u"ok").toBool(), true);
        QCOMPARE(raises, 1);
    }

    void aLinkMirrorsTheGateway()
    {
        Host host(location());
        QVERIFY(testsupport::startHost(host));
        control::GatewayLink link;
        QSignalSpy linked(&link, &control::GatewayLink::linked);
        link.connectToDataDir(m_dir->path());
        QVERIFY(linked.wait(5000));
        QVERIFY(!link.isApp());
        QCOMPARE(link.pid(), QCoreApplication::applicationPid());
        QTRY_COMPARE(link.url(), host.url());
        QCOMPARE(link.state(), QStringLiteral("serving"));

        QCOMPARE(post(host, "local/gpt-4o-mini"), 200);
        QCOMPARE(post(host, "local/gpt-4o-mini", false), 401);
        QTRY_COMPARE_WITH_TIMEOUT(link.recentRequests().sequence(), quint64(2), 5000);
        QCOMPARE(link.recentRequests().latest(1).first().status, 401);
        QTRY_COMPARE_WITH_TIMEOUT(link.figures().sum(live::LiveFigures::kSeconds).requests, qint64(2), 5000);
        QCOMPARE(link.figures().sum(live::LiveFigures::kSeconds), host.liveFigures().sum(live::LiveFigures::kSeconds));
        QTRY_COMPARE_WITH_TIMEOUT(link.today().requests, qint64(2), 5000);

        link.setPaused(true);
        QTRY_COMPARE(host.state(), Host::State::Paused);
        QTRY_COMPARE(link.state(), QStringLiteral("paused"));
        link.setPaused(false);
        QTRY_COMPARE(link.state(), QStringLiteral("serving"));

        // The gateway goes away: the link says so once.
        QSignalSpy unlinked(&link, &control::GatewayLink::unlinked);
        host.stop();
        QVERIFY(unlinked.wait(10000));
        QVERIFY(!link.isLinked());
        QCOMPARE(unlinked.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestHostChannel)
#include "tst_hostchannel.moc"
