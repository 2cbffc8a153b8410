// SPDX-FileCopyrightText: 2026 Switchyard contributors
// SPDX-License-Identifier: MIT
// Live config changes: an edit applies without a restart and without failing a request
// in flight; a bad edit is refused with the reason and the old config stays.
#include <QSaveFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "common/memoryusagesink.h"
#include "config/configloader.h"
#include "config/configwatcher.h"
#include "gateway/gatewayserver.h"
#include "gateway/gatewaystate.h"
#include "mockupstream.h"
#include "testhttpclient.h"

using namespace sy;
using sy::testsupport::MockUpstream;
using sy::testsupport::TestHttpClient;

class TestConfigReload : public QObject
{
    Q_OBJECT

private:
    static bool write(const QString &path, const QByteArray &content)
    {
        QSaveFile file(path); // as editors do: a new file renamed over the old one
        return file.open(QIODevice::WriteOnly) && file.write(content) == content.size() && file.commit();
    }

    static QByteArray config(const MockUpstream &upstream, const QByteArray &routes)
    {
        return "{\"listen\": \"127.0.0.1:0\", \"auth\": {\"require_client_key\": false}, \"providers\": [{\"id\": "
               "\"local\", "
               "\"kind\": \"openai-compatible\", \"base_url\": \""
            + upstream.baseUrl().toString().toUtf8() + "/v1\"}], \"routes\": [" + routes + "]}";
    }

private slots:
    void editsApplyUnderLoadAndBadEditsChangeNothing()
    {
        MockUpstream upstream;
        QVERIFY(upstream.listen());
        upstream.setRecordRequests(false);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("config.json"));
        QVERIFY(write(path, config(upstream, {})));
        auto loaded = config::ConfigLoader::fromFile(path);
        QVERIFY(loaded.ok());
        MemoryUsageSink usage;
        gateway::GatewayServer server(gateway::GatewayState::create(loaded.value()).value(), usage);
        QVERIFY(server.listen().ok());

        config::ConfigWatcher watcher(path);
        QSignalSpy changed(&watcher, &config::ConfigWatcher::changed);
        QSignalSpy rejected(&watcher, &config::ConfigWatcher::rejected);
        connect(&watcher, &config::ConfigWatcher::changed, &server, [&server](const config::Config &edited) {
            server.reload(gateway::GatewayState::create(edited).value());
        });

        // Load: four keep-alive connections with 100 requests each queued.
        const QByteArray body = "{\"model\":\"local/m\",\"messages\":[]}";
        std::vector<std::unique_ptr<TestHttpClient>> clients;
        for (int i = 0; i < 4; ++i) {
            auto client = std::make_unique<TestHttpClient>();
            QVERIFY(client->connectTo(server.port()));
            for (int j = 0; j < 100; ++j)
                client->send("POST", "/v1/chat/completions", {}, body);
            clients.push_back(std::move(client));
        }

        QVERIFY(write(
            path,
            config(upstream, "{\"model\": \"fast\", \"targets\": [{\"provider\": \"local\", \"model\": \"m\"}]}")));
        QVERIFY(changed.wait(5000));
        QVERIFY(write(path, "{\"listen\": \"127.0.0.1:0\", \"providers\": [{\"id\": \"x\", \"kind\": \"bogus\"}]}"));
        QVERIFY(rejected.wait(5000));
        QVERIFY(rejected.first().first().toString().contains(u"unknown kind"));

        for (auto &client : clients) {
            QVERIFY(client->waitForResponses(100, 20000));
            for (const auto &response : client->responses())
                QCOMPARE(response.status, 200); // nothing dropped across the reloads
        }

        // The valid edit is in force; the bad one changed nothing.
        TestHttpClient after;
        QVERIFY(after.connectTo(server.port()));
        after.send("POST", "/v1/chat/completions", {}, "{\"model\":\"fast\",\"messages\":[]}");
        QVERIFY(after.waitForResponses(1));
        QCOMPARE(after.responses().first().status, 200);
        QCOMPARE(changed.count(), 1);
    }
};

QTEST_GUILESS_MAIN(TestConfigReload)
#include "tst_configreload.moc"
