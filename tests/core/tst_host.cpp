// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// The host object that serve and the GUI start: real loopback sockets, the mock upstream,
// a real SQLite file in a data dir of the test's own. Start, refusals, reload, pause,
// graceful stop, history queries, and the host on a thread of its own as the GUI runs it.
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include "host/eventlog.h"
#include "host/host.h"
#include "hoststart.h"
#include "mockupstream.h"
#include "secrets/clientkeystore.h"
#include "store/usagequery.h"
#include "testhttpclient.h"

using namespace sy;
using sy::host::Host;
using sy::testsupport::MockUpstream;
using sy::testsupport::TestHttpClient;
using Headers = QList<std::pair<QByteArray, QByteArray>>;

class TestHost : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<MockUpstream> m_upstream;
    std::unique_ptr<QTemporaryDir> m_dir;
    QByteArray m_clientKey;

    QString configPath() const { return m_dir->filePath(QStringLiteral("config.json")); }

    QByteArray config(const QByteArray &routes = {}) const
    {
        const QByteArray base = m_upstream->baseUrl().toString().toUtf8();
        // (No raw string ends in a quote here: moc 6.4 misreads those.)
        return "{\"listen\": \"127.0.0.1:0\", \"auth\": {\"require_client_key\": true}, \"providers\": ["
               "{\"id\": \"local\", \"kind\": \"openai-compatible\", \"base_url\": \""
            + base + "/v1\"}, {\"id\": \"claude\", \"kind\": \"anthropic\", \"base_url\": \"" + base
            + "\"}], \"routes\": [" + routes + "], \"server\": {\"worker_threads\": 2}}";
    }

    static bool write(const QString &path, const QByteArray &content)
    {
        QSaveFile file(path); // as editors do: a new file renamed over the old one
        return file.open(QIODevice::WriteOnly) && file.write(content) == content.size() && file.commit();
    }

    host::DataLocation location() const { return host::DataLocation::named(m_dir->path(), configPath()); }

    Headers auth(bool anthropic = false) const
    {
        if (anthropic)
            return {
                {"x-api-key", m_clientKey}, {"anthropic-version", "2023-06-01"}, {"Content-Type", "application/json"}};
        return {{"Authorization", "Bearer " + m_clientKey}, {"Content-Type", "application/json"}};
    }

    static QByteArray chat(const QByteArray &model = "local/gpt-4o-mini", bool stream = false)
    {
        return "{\"model\": \"" + model + "\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]"
            + (stream ? QByteArray(R"(, "stream": true)") : QByteArray()) + "}";
    }

    static QByteArray message()
    {
        return R"({"model": "claude-sonnet-4-5", "max_tokens": 16, "messages": [{"role": "user", "content": "hi"}]})";
    }

    // One request on a connection of its own; the response, or status 0.
    TestHttpClient::Response ask(quint16 port, const QByteArray &method, const QByteArray &path, const Headers &headers,
                                 const QByteArray &body = {})
    {
        TestHttpClient client;
        if (!client.connectTo(port))
            return {};
        client.send(method, path, headers, body);
        if (!client.waitForResponses(1))
            return {};
        return client.responses().first();
    }

    static QStringList messages(Host &host)
    {
        QStringList all;
        for (const host::EventLog::Event &event : host.events().events())
            all.append(event.message);
        return all;
    }

    static QList<store::UsageAggregate> history(const QString &dataDir)
    {
        store::UsageQuery query(dataDir);
        if (!query.open())
            return {};
        store::UsageQuery::Request request;
        request.byClient = false;
        request.byProvider = false;
        request.byModel = false;
        auto rows = query.aggregate(request);
        return rows ? rows.value() : QList<store::UsageAggregate>();
    }

    static qint64 requestsIn(const QList<store::UsageAggregate> &rows)
    {
        qint64 requests = 0;
        for (const store::UsageAggregate &row : rows)
            requests += row.requests;
        return requests;
    }

private slots:
    void init()
    {
        m_upstream = std::make_unique<MockUpstream>();
        QVERIFY(m_upstream->listen());
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(write(configPath(), config()));
        auto created = secrets::ClientKeyStore(m_dir->path()).create(QStringLiteral("agent"));
        QVERIFY(created.ok());
        m_clientKey = created.value().toUtf8();
    }

    void cleanup()
    {
        m_upstream.reset();
        m_dir.reset();
    }

    void startsServesAndStops()
    {
        Host host(location());
        QSignalSpy states(&host, &Host::stateChanged);
        QSignalSpy started(&host, &Host::started);
        QCOMPARE(host.state(), Host::State::Stopped);
        host.start();
        QCOMPARE(host.state(), Host::State::Starting); // never blocks: the rest comes later
        QVERIFY(started.wait(10000));
        QCOMPARE(host.state(), Host::State::Serving);
        QCOMPARE(started.first().first().toString(), host.url());
        QVERIFY(host.url().startsWith(u"http://127.0.0.1:"));
        QCOMPARE(states.size(), 2);
        QCOMPARE(host.config().providers.size(), 2);

        const auto health = ask(testsupport::hostPort(host), "GET", "/healthz", {});
        QCOMPARE(health.status, 200);
        QCOMPARE(QJsonDocument::fromJson(health.body).object().value(u"status").toString(), u"ok");
        QSignalSpy committed(&host, &Host::usageCommitted);
        QCOMPARE(ask(testsupport::hostPort(host), "POST", "/v1/chat/completions", auth(), chat()).status, 200);
        QCOMPARE(ask(testsupport::hostPort(host), "POST", "/v1/messages", auth(true), message()).status, 200);
        QCOMPARE(ask(testsupport::hostPort(host), "POST", "/v1/chat/completions", {}, chat()).status, 401);
        QVERIFY(committed.wait(5000));
        // Keys exist, so there is no first-start advice.
        QVERIFY2(!messages(host).join(u'\n').contains(u"client-key create"), qPrintable(messages(host).join(u'\n')));

        QSignalSpy stopped(&host, &Host::stopped);
        const quint16 port = testsupport::hostPort(host);
        host.stop();
        QVERIFY(stopped.wait(10000));
        QCOMPARE(host.state(), Host::State::Stopped);
        QVERIFY(host.url().isEmpty());
        TestHttpClient late;
        QVERIFY(!late.connectTo(port, 500)); // nobody listens any more
        QCOMPARE(requestsIn(history(m_dir->path())), 3);

        // The data dir is free again: the same host starts once more.
        QVERIFY(testsupport::startHost(host));
        QCOMPARE(ask(testsupport::hostPort(host), "POST", "/v1/chat/completions", auth(), chat()).status, 200);
    }

    void aBusyDataDirFailsToStart()
    {
        Host first(location());
        QVERIFY(testsupport::startHost(first));
        Host second(location());
        QSignalSpy failed(&second, &Host::startFailed);
        QSignalSpy started(&second, &Host::started);
        second.start();
        QVERIFY(failed.wait(5000));
        QCOMPARE(failed.first().at(1).value<Host::StartError>(), Host::StartError::Busy);
        QVERIFY(!failed.first().first().toString().isEmpty());
        QCOMPARE(second.state(), Host::State::Failed);
        QCOMPARE(started.size(), 0);
        QVERIFY(messages(second).contains(failed.first().first().toString())); // the user is told too
        // The first one serves on.
        QCOMPARE(ask(testsupport::hostPort(first), "POST", "/v1/chat/completions", auth(), chat()).status, 200);
    }

    void aBadConfigFailsWithTheLoadersReason_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("reason");
        QTest::newRow("not json") << QByteArray("{\"listen\": ") << QStringLiteral("not valid JSON");
        QTest::newRow("open and unauthenticated")
            << QByteArray(R"({"listen": "0.0.0.0:0", "auth": {"require_client_key": false}})")
            << QStringLiteral("loopback");
    }

    void aBadConfigFailsWithTheLoadersReason()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, reason);
        QVERIFY(write(configPath(), content));
        Host host(location());
        QSignalSpy failed(&host, &Host::startFailed);
        host.start();
        QVERIFY(failed.wait(5000));
        QVERIFY2(failed.first().first().toString().contains(reason), qPrintable(failed.first().first().toString()));
        QCOMPARE(failed.first().at(1).value<Host::StartError>(), Host::StartError::Config);
        // The lock went with the failure: fixed, it starts.
        QVERIFY(write(configPath(), config()));
        QVERIFY(testsupport::startHost(host));
    }

    void editsApplyAndBadEditsAreRefused()
    {
        Host host(location());
        QVERIFY(testsupport::startHost(host));
        const quint16 port = testsupport::hostPort(host);
        const auto upstreamModel = [this] {
            return QJsonDocument::fromJson(m_upstream->lastRequest().body).object().value(u"model").toString();
        };
        QCOMPARE(ask(port, "POST", "/v1/chat/completions", auth(), chat("fast")).status, 200);
        QCOMPARE(upstreamModel(), u"fast"); // no such route yet: the model name as it came

        QSignalSpy reloaded(&host, &Host::reloaded);
        QSignalSpy configChanged(&host, &Host::configChanged);
        QVERIFY(write(configPath(), config(R"({"model": "fast", "targets": [{"provider": "local", "model": "m"}]})")));
        QVERIFY(reloaded.wait(5000));
        QCOMPARE(configChanged.size(), 1);
        QCOMPARE(host.config().routes.size(), 1);
        QCOMPARE(ask(port, "POST", "/v1/chat/completions", auth(), chat("fast")).status, 200);
        QCOMPARE(upstreamModel(), u"m");
        QVERIFY(messages(host).contains(u"config edit applied"_qs));

        QSignalSpy refused(&host, &Host::reloadRefused);
        QVERIFY(write(configPath(), "{\"routes\": [{\"model\": \"fast\", \"targets\": []"));
        QVERIFY(refused.wait(5000));
        QVERIFY2(refused.first().first().toString().contains(u"not valid JSON"),
                 qPrintable(refused.first().first().toString()));
        QCOMPARE(host.config().routes.size(), 1); // the old state serves on
        QCOMPARE(ask(port, "POST", "/v1/chat/completions", auth(), chat("fast")).status, 200);
        QCOMPARE(upstreamModel(), u"m");

        // A revoked client key is refused on the next request.
        QSignalSpy keysChanged(&host, &Host::clientKeysChanged);
        QVERIFY(secrets::ClientKeyStore(m_dir->path()).revoke(QStringLiteral("agent")).ok());
        QVERIFY(keysChanged.wait(5000));
        QCOMPARE(ask(port, "POST", "/v1/chat/completions", auth(), chat()).status, 401);
    }

    void pauseAnswers503InTheCallersFormatAndLetsStreamsFinish()
    {
        Host host(location());
        QVERIFY(testsupport::startHost(host));
        const quint16 port = testsupport::hostPort(host);
        m_upstream->setStreamDelay(150);

        TestHttpClient stream;
        QVERIFY(stream.connectTo(port));
        stream.send("POST", "/v1/chat/completions", auth(), chat("local/gpt-4o-mini", true));
        QVERIFY(stream.waitForHead());
        QCOMPARE(stream.current().status, 200);
        QCOMPARE(host.requestsInFlight(), 1);

        QSignalSpy states(&host, &Host::stateChanged);
        host.setPaused(true);
        QCOMPARE(host.state(), Host::State::Paused);
        QCOMPARE(states.size(), 1);

        const auto openAi = ask(port, "POST", "/v1/chat/completions", auth(), chat());
        QCOMPARE(openAi.status, 503);
        const QJsonObject openAiError = QJsonDocument::fromJson(openAi.body).object().value(u"error").toObject();
        QCOMPARE(openAiError.value(u"type").toString(), u"server_error");
        QVERIFY2(openAiError.value(u"message").toString().contains(u"paused"), openAi.body.constData());
        const auto anthropic = ask(port, "POST", "/v1/messages", auth(true), message());
        QCOMPARE(anthropic.status, 503);
        const QJsonObject anthropicBody = QJsonDocument::fromJson(anthropic.body).object();
        QCOMPARE(anthropicBody.value(u"type").toString(), u"error");
        QCOMPARE(anthropicBody.value(u"error").toObject().value(u"type").toString(), u"api_error");
        QVERIFY(anthropicBody.value(u"error").toObject().value(u"message").toString().contains(u"resume"));
        // A bad key is still told so; health answers and says paused.
        QCOMPARE(ask(port, "POST", "/v1/chat/completions", {}, chat()).status, 401);
        const auto health = ask(port, "GET", "/healthz", {});
        QCOMPARE(health.status, 200);
        QCOMPARE(QJsonDocument::fromJson(health.body).object().value(u"status").toString(), u"paused");

        // The stream that began before the pause ends whole.
        QVERIFY(stream.waitForResponses(1));
        QVERIFY(stream.responses().first().body.contains("data: [DONE]"));
        QTRY_COMPARE(host.requestsInFlight(), 0);

        host.setPaused(false);
        QCOMPARE(host.state(), Host::State::Serving);
        QCOMPARE(ask(port, "POST", "/v1/chat/completions", auth(), chat()).status, 200);
        QCOMPARE(ask(port, "POST", "/v1/messages", auth(true), message()).status, 200);

        // The 503s are rows like other refusals.
        QSignalSpy stopped(&host, &Host::stopped);
        host.stop();
        QVERIFY(stopped.wait(10000));
        const auto rows = history(m_dir->path());
        QCOMPARE(requestsIn(rows), 6);
        qint64 errors = 0;
        for (const store::UsageAggregate &row : rows)
            errors += row.errors;
        QCOMPARE(errors, 3); // two 503s, one 401
    }

    void stopLetsAStreamFinishAndStoresItsRow()
    {
        Host host(location());
        QVERIFY(testsupport::startHost(host));
        m_upstream->setStreamDelay(200);
        TestHttpClient stream;
        QVERIFY(stream.connectTo(testsupport::hostPort(host)));
        stream.send("POST", "/v1/chat/completions", auth(), chat("local/gpt-4o-mini", true));
        QVERIFY(stream.waitForHead());

        QSignalSpy stopped(&host, &Host::stopped);
        host.stop();
        QCOMPARE(host.state(), Host::State::Stopping);
        QVERIFY(stopped.wait(15000));
        QVERIFY(stream.responses().size() == 1 || stream.waitForResponses(1, 100));
        QVERIFY(stream.responses().first().body.contains("data: [DONE]"));
        const auto rows = history(m_dir->path()); // on disk when stopped() came
        QCOMPARE(requestsIn(rows), 1);
        QCOMPARE(rows.first().outputTokens, m_upstream->usage().outputTokens);
    }

    void queryUsageAnswersLaterOnTheCallersThread()
    {
        Host host(location());
        QVERIFY(testsupport::startHost(host));
        QSignalSpy committed(&host, &Host::usageCommitted);
        QCOMPARE(ask(testsupport::hostPort(host), "POST", "/v1/chat/completions", auth(), chat()).status, 200);
        QVERIFY(committed.wait(5000));

        bool answered = false;
        QThread *answeredOn = nullptr;
        qint64 requests = -1;
        store::UsageQuery::Request request;
        request.byProvider = false;
        request.byModel = false;
        host.queryUsage(request, this, [&](Result<QList<store::UsageAggregate>> rows) {
            answered = true;
            answeredOn = QThread::currentThread();
            requests = rows ? requestsIn(rows.value()) : -1;
        });
        QVERIFY(!answered); // never before it returns
        QTRY_VERIFY(answered);
        QCOMPARE(answeredOn, QThread::currentThread());
        QCOMPARE(requests, 1);

        // A context that is gone gets no answer.
        auto *gone = new QObject;
        bool called = false;
        host.queryUsage(request, gone, [&called](auto) { called = true; });
        delete gone;
        bool after = false;
        host.queryUsage(request, this, [&after](auto) { after = true; });
        QTRY_VERIFY(after);
        QVERIFY(!called);
    }

    void runsOnAThreadOfItsOwn()
    {
        // As the GUI runs it: moved to a thread, driven by queued calls, watched by signals.
        QThread thread;
        auto *host = new Host(location());
        host->moveToThread(&thread);
        connect(&thread, &QThread::finished, host, &QObject::deleteLater);
        thread.start();
        QString url;
        bool stopped = false;
        connect(host, &Host::started, this, [&url](const QString &address) { url = address; });
        connect(host, &Host::stopped, this, [&stopped] { stopped = true; });
        QMetaObject::invokeMethod(host, &Host::start, Qt::QueuedConnection);
        QTRY_VERIFY_WITH_TIMEOUT(!url.isEmpty(), 10000);
        QCOMPARE(host->url(), url);
        const quint16 port = quint16(QUrl(url).port());
        QCOMPARE(ask(port, "POST", "/v1/chat/completions", auth(), chat()).status, 200);
        QMetaObject::invokeMethod(
            host, [host] { host->setPaused(true); }, Qt::QueuedConnection);
        QTRY_COMPARE(host->state(), Host::State::Paused);
        QCOMPARE(ask(port, "POST", "/v1/chat/completions", auth(), chat()).status, 503);
        QMetaObject::invokeMethod(host, &Host::stop, Qt::QueuedConnection);
        QTRY_VERIFY_WITH_TIMEOUT(stopped, 10000);
        thread.quit();
        QVERIFY(thread.wait(5000));
        QCOMPARE(requestsIn(history(m_dir->path())), 2);
    }

    void aFirstStartSaysWhatToDoNext()
    {
        // No client key, and a provider that needs a key it does not have.
        QTemporaryDir fresh;
        host::DataLocation where;
        where.dataDir = fresh.filePath(u"data dir"_qs); // a space: the commands quote it
        where.configFile = fresh.filePath(u"config.json"_qs);
        where.configGiven = true; // so `provider-key set` needs it named too
        const QByteArray needsKey = R"({"listen": "127.0.0.1:0", "providers": [{"id": "openai", "kind": "openai", )"
                                    R"("base_url": "https://api.openai.com/v1", "api_key_env": "SY_TEST_UNSET_KEY"}]})";
        QVERIFY(write(where.configFile, needsKey));
        qunsetenv("SY_TEST_UNSET_KEY");
        Host host(where);
        QVERIFY(testsupport::startHost(host));
        const QString said = messages(host).join(u'\n');
        const QString dataDir = u'\'' + where.dataDir + u'\'';
        QVERIFY2(said.contains(u"switchyard client-key create NAME --data-dir " + dataDir), qPrintable(said));
        QVERIFY2(said.contains(u"switchyard provider-key set openai --data-dir " + dataDir + u" --config "
                               + where.configFile),
                 qPrintable(said));
        QVERIFY2(said.contains(u"SY_TEST_UNSET_KEY"), qPrintable(said));
        QVERIFY2(said.contains(u"export OPENAI_BASE_URL=" + host.url() + u"/v1 OPENAI_API_KEY=sy-"), qPrintable(said));
        QVERIFY2(said.contains(u"export ANTHROPIC_BASE_URL=" + host.url() + u" ANTHROPIC_API_KEY=sy-"),
                 qPrintable(said));
    }
};

QTEST_GUILESS_MAIN(TestHost)
#include "tst_host.moc"
